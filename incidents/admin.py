from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from incidents.models import Force, Incident, IncidentChild, IncidentStatus
from incidents.services import incident_submit


class PoliceAdminSite(admin.AdminSite):
    """The officer's interface: police users see and file their own force's incidents."""

    site_header = "Encompass: police"
    site_title = "Encompass police"
    index_title = "Incidents"
    site_url = None

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.is_verified() and user.is_police


police_site = PoliceAdminSite(name="police")


class ChildInline(admin.StackedInline):
    model = IncidentChild
    extra = 1
    min_num = 1
    fields = [
        ("first_name", "last_name"),
        ("dob", "estimated_age", "sex"),
        ("present", "relationship"),
        "upn",
        "match_status",
    ]
    readonly_fields = ["match_status"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_police

    def has_add_permission(self, request, obj=None):
        return _is_draft(obj)

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj)


def _is_draft(incident) -> bool:
    return incident is None or incident.status == IncidentStatus.DRAFT


@admin.register(Incident, site=police_site)
class IncidentPoliceAdmin(admin.ModelAdmin):
    inlines = [ChildInline]
    list_display = ["reference", "occurred_at", "status", "children_count"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "postcode"]
    exclude = ["force", "created_by", "status", "withdrawn_reason", "submitted_at", "created_at"]
    change_form_template = "police/incident_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(force=request.user.force)

    def has_module_permission(self, request):
        return request.user.is_police

    def has_view_permission(self, request, obj=None):
        return request.user.is_police

    def has_add_permission(self, request):
        return request.user.is_police

    def has_change_permission(self, request, obj=None):
        return request.user.is_police and (obj is None or obj.status == IncidentStatus.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="children")
    def children_count(self, obj):
        return obj.children.count()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.force = request.user.force
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if "_submit" in request.POST:
            return self._submit(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_submit" in request.POST:
            return self._submit(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _submit(self, request, obj):
        try:
            incident_submit(incident=obj, actor=request.user)
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, f"Incident {obj.reference} submitted: the schools are being told.")
        return HttpResponseRedirect(request.path)


admin.site.register(Force)
