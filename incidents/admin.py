"""The administrators' pages for incidents' reference data: forces and API clients. The
officer's interface is police/admin.py."""

from django.contrib import admin

from incidents.models import ApiClient, Force
from incidents.services import api_client_revoke


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Administrators see and revoke API clients; they are created with create_api_client."""

    list_display = ["name", "force", "token_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["force", "name", "token_prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected API clients")
    def revoke(self, request, queryset):
        for client in queryset:
            api_client_revoke(client=client, actor=request.user)
        self.message_user(request, f"{len(queryset)} API client(s) revoked.")


admin.site.register(Force)
