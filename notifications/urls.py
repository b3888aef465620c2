from django.urls import path

from notifications import api, operations, views

app_name = "notifications"
urlpatterns = [
    path("school/", views.inbox, name="inbox"),
    path("school/search/", views.inbox_search, name="inbox_search"),
    path("school/switch/", views.school_switch, name="school_switch"),
    path("school/notifications/<int:pk>/", views.detail, name="detail"),
    path("school/notifications/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("school/notifications/<int:pk>/support/", views.support_add, name="support_add"),
    path(
        "school/notifications/<int:pk>/support/<int:action_pk>/correct/",
        views.support_correct,
        name="support_correct",
    ),
    path("school/notifications/<int:pk>/not-our-pupil/", views.reject, name="reject"),
    path("school/notifications/<int:pk>/export/", views.export, name="export"),
    path("operations/", operations.operations, name="operations"),
    path("api/notify/receipts/", api.notify_receipt, name="notify_receipt"),
]
