from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from two_factor.urls import urlpatterns as two_factor_urls

from encompass import views
from police import views as police_views
from police.admin import police_site
from schools import views as schools_views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/login/", views.SignIn.as_view(), name="sign_in"),
    path("", include(two_factor_urls)),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    path("account/confirm/", views.reauthenticate, name="reauth"),
    path("account/password/reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("account/password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("account/password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("police/", police_site.urls),
    path("api/", include("police.api_urls")),
    path("", include("notifications.urls")),
    path("statistics/", include("notifications.statistics.urls")),
    path("routing/", include("incidents.urls")),
    path("api/v1/statistics/", include("notifications.statistics.api_urls")),
    path("partnership/", include("schools.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("agreement/", schools_views.agreement, name="agreement"),
    path("healthz", views.healthz, name="healthz"),
    path("access-log/", police_views.access_log, name="access_log"),
]
