from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from two_factor.urls import urlpatterns as two_factor_urls

from encompass import views
from incidents.admin import police_site
from police import views as police_views
from schools import views as schools_views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include(two_factor_urls)),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    path("account/confirm/", views.reauthenticate, name="reauth"),
    path("admin/", admin.site.urls),
    path("police/", police_site.urls),
    path("api/", include("incidents.urls")),
    path("", include("notifications.urls")),
    path("statistics/", include("notifications.statistics.urls")),
    path("routing/", include("incidents.routing_urls")),
    path("api/v1/statistics/", include("notifications.statistics.api_urls")),
    path("partnership/", include("schools.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("agreement/", schools_views.agreement, name="agreement"),
    path("healthz", views.healthz, name="healthz"),
    path("access-log/", police_views.access_log, name="access_log"),
]
