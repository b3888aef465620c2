from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from police import api

app_name = "api"


class ReferenceConverter:
    """A police reference has slashes (42/123456/26): take the rest of the path, slashes and
    all (Django's `path` converter would refuse a line break and answer with an HTML 404)."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")

urlpatterns = [
    path("v1/incidents/", api.IncidentUpsertApi.as_view(), name="incident_upsert"),
    path("v1/incidents/<reference:reference>/", api.IncidentDetailApi.as_view(), name="incident_status"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
]
