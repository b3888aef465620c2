from django.urls import path

from notifications import operations, views

app_name = "notifications"
urlpatterns = [
    path("school/", views.inbox, name="inbox"),
    path("school/notifications/<int:pk>/", views.detail, name="detail"),
    path("school/notifications/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("school/notifications/<int:pk>/support/", views.support_add, name="support_add"),
    path("statistics/", views.statistics, name="statistics"),
    path("operations/", operations.operations, name="operations"),
]
