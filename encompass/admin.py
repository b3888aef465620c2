from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from encompass.accounts import user_second_factor_reset
from encompass.events import client_ip
from encompass.models import Event, Heartbeat, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "force", "partnership", "is_active"]
    list_filter = ["role", "is_active", "force", "partnership"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "force", "partnership"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "role", "force", "partnership", "password1", "password2"]})
    ]
    actions = ["reset_second_factor"]

    @admin.action(description="Reset second factor (the person sets up a new one at next sign-in)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            user_second_factor_reset(user=user, actor=request.user, ip_address=client_ip(request))
        self.message_user(request, f"Second factor reset for {queryset.count()} account(s).")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["at", "verb", "object_type", "object_id", "actor"]
    list_filter = ["verb", "object_type"]
    search_fields = ["object_id"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(Heartbeat)
admin.site.site_header = "Encompass administration"


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):
    """Administrators may remove a lost device (the person then sets up a new one) but never
    see a device's secret: django-otp's config and QR code pages are left out."""

    def get_urls(self):
        hidden = {"otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode"}
        return [url for url in super().get_urls() if getattr(url, "name", None) not in hidden]


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
