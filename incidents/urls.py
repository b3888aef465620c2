from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from incidents import api

app_name = "api"

urlpatterns = [
    path("v1/incidents/", api.IncidentUpsertApi.as_view(), name="incident_upsert"),
    # The police reference has slashes (42/123456/26): the path converter takes them all.
    path("v1/incidents/<path:reference>/", api.IncidentDetailApi.as_view(), name="incident_status"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
]
