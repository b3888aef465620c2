from django.urls import path

from notifications import api
from notifications.views import operations, school, transfers

app_name = "notifications"
urlpatterns = [
    path("school/", school.inbox, name="inbox"),
    path("school/search/", school.inbox_search, name="inbox_search"),
    path("school/switch/", school.school_switch, name="school_switch"),
    path("school/notifications/<int:pk>/", school.detail, name="detail"),
    path("school/notifications/<int:pk>/acknowledge/", school.acknowledge, name="acknowledge"),
    path("school/notifications/<int:pk>/support/", school.support_add, name="support_add"),
    path(
        "school/notifications/<int:pk>/support/<int:action_pk>/correct/",
        school.support_correct,
        name="support_correct",
    ),
    path("school/notifications/<int:pk>/not-our-pupil/", school.reject, name="reject"),
    path("school/notifications/<int:pk>/export/", school.export, name="export"),
    path("operations/", operations.operations, name="operations"),
    path("transfers/", transfers.transfers, name="transfers"),
    path("transfers/<int:transfer_pk>/handled/", transfers.transfer_handled, name="transfer_handled"),
    path("api/notify/receipts/", api.notify_receipt, name="notify_receipt"),
]
