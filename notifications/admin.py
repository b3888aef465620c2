from django.contrib import admin

from notifications.models import DeliveryAttempt, Notification, SupportAction, WebhookEndpoint


class AttemptInline(admin.TabularInline):
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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["pk", "school", "status", "created_at", "due_at", "acknowledged_at"]
    list_filter = ["status"]
    raw_id_fields = ["child", "school", "acknowledged_by"]
    inlines = [AttemptInline]


admin.site.register(SupportAction)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["school", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    raw_id_fields = ["school"]
