from django.contrib import admin

from notifications.models import DeliveryAttempt, Notification, SupportAction, WebhookEndpoint


class AttemptInline(admin.StackedInline):
    # Stacked, not a table of a dozen columns: it reads on a phone without scrolling sideways.
    model = DeliveryAttempt
    extra = 0
    readonly_fields = [
        "recipient",
        "endpoint",
        "address",
        "purpose",
        "channel",
        "status",
        "tries",
        "error",
        "started_at",
        "duration_ms",
    ]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RecordAdmin(admin.ModelAdmin):
    """A record of what happened is read here, never edited or deleted: acknowledging,
    withdrawing and re-sending go through the services, which write the event trail."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(RecordAdmin):
    list_display = ["pk", "school", "status", "created_at", "due_at", "acknowledged_at"]
    list_filter = ["status"]
    raw_id_fields = ["child", "school", "acknowledged_by"]
    inlines = [AttemptInline]


@admin.register(SupportAction)
class SupportActionAdmin(RecordAdmin):
    list_display = ["pk", "notification", "kind", "given_on", "created_at"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["school", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    raw_id_fields = ["school"]
