"""The officer's interface: an admin site at /police/ where police users file, amend and
withdraw their own force's incidents and see how far each child's notification has got.
Django admin draws the forms; every save goes through police/services.py (`incident_file`),
the same path as the REST API and the daily download."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse

from encompass.events import client_ip
from encompass.models import Role
from incidents.models import Incident, IncidentChild, IncidentStatus
from police import selectors, views
from police.forms import ChildFormSet, ImportForm, IncidentForm, WithdrawForm
from police.imports import incidents_import
from police.services import incident_file, incident_submit, incident_withdraw

SEARCH_KEY = "police_incident_search"


class PoliceAdminSite(admin.AdminSite):
    """The officer's interface: police users see and file their own force's incidents."""

    site_header = "Encompass: police"
    site_title = "Encompass police"
    index_title = "Incidents"
    index_template = "police/index.html"
    site_url = None

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.is_verified() and user.is_police

    def get_urls(self):
        return [
            path("review/", self.admin_view(lambda r: views.review_list(r, self)), name="review"),
            path(
                "review/<int:child_pk>/",
                self.admin_view(lambda r, child_pk: views.review_child(r, self, child_pk)),
                name="review_child",
            ),
            *super().get_urls(),
        ]


police_site = PoliceAdminSite(name="police")
WITHDRAW = "incidents_incident_withdraw"
IMPORT = "incidents_incident_import"


def _open(incident) -> bool:
    return incident is None or incident.status != IncidentStatus.WITHDRAWN


def _draft(incident) -> bool:
    return incident is None or incident.status == IncidentStatus.DRAFT


class ChildInline(admin.StackedInline):
    model = IncidentChild
    formset = ChildFormSet
    template = "police/child_inline.html"  # "Child 1", "Child 2": numbered within the incident
    verbose_name = "child"
    verbose_name_plural = "Children"
    extra = 1
    min_num = 1
    fields = [
        ("first_name", "last_name"),
        ("dob", "estimated_age", "sex"),
        ("present", "relationship"),
        ("upn", "known_school"),
        "progress",
    ]
    readonly_fields = ["progress"]
    raw_id_fields = ["known_school"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_police

    def has_add_permission(self, request, obj=None):
        return _open(obj)

    def has_change_permission(self, request, obj=None):
        return _open(obj)

    def has_delete_permission(self, request, obj=None):
        # After submission a child is never deleted (the school was told): withdraw instead.
        return _draft(obj)

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    @admin.display(description="where the notification has got")
    def progress(self, child):
        if child.pk is None:
            return "Not yet submitted"
        row = next(r for r in selectors.child_progress(child.incident) if r.child.pk == child.pk)
        school = f" ({row.school_name})" if row.school_name else ""
        passed = f"; {row.passed_on_words}" if row.passed_on else ""
        return f"{row.match_label}{school}; {row.notification_label}{passed}"


@admin.register(Incident, site=police_site)
class IncidentPoliceAdmin(admin.ModelAdmin):
    form = IncidentForm
    inlines = [ChildInline]
    list_display = ["reference", "occurred_at", "status", "children_summary"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "postcode", "children__first_name", "children__last_name"]
    exclude = ["force", "created_by", "status", "withdrawn_reason", "submitted_at", "created_at"]
    change_form_template = "police/incident_change_form.html"
    change_list_template = "police/incident_change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(force=request.user.force).prefetch_related("children")

    def changelist_view(self, request, extra_context=None):
        # A search names a child: it is posted and kept in the session, never put in a URL
        # (where it would reach browser history and server logs), as the school inbox does.
        if request.method == "POST" and "_search" in request.POST:
            search = "" if "_clear" in request.POST else request.POST.get("q", "").strip()[:100]
            request.session[SEARCH_KEY] = search
            return HttpResponseRedirect(request.path)
        if SEARCH_VAR in request.GET:
            kept = request.GET.copy()
            del kept[SEARCH_VAR]
            return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
        extra_context = (extra_context or {}) | {"police_search": request.session.get(SEARCH_KEY, "")}
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, request.session.get(SEARCH_KEY, ""))

    class Media:
        js = ["police/children.js"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type("IncidentForm", (form,), {"force": request.user.force})

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        force = request.user.force
        if db_field.name == "reference" and field is not None and force is not None:
            field.help_text = f"In the format {force.name} uses, for example {force.reference_example}"
        return field

    def get_readonly_fields(self, request, obj=None):
        # The reference is how police systems find the incident: fixed once schools are told.
        return [] if _draft(obj) else ["reference"]

    def has_module_permission(self, request):
        return request.user.is_police

    def has_view_permission(self, request, obj=None):
        return request.user.is_police

    def has_add_permission(self, request):
        return request.user.is_police

    def has_change_permission(self, request, obj=None):
        return request.user.is_police and _open(obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="children")
    def children_summary(self, obj):
        return ", ".join(c.get_match_status_display() for c in obj.children.all()) or "none"

    def save_model(self, request, obj, form, change):
        # Saved with its children in save_related, through the one write path.
        if not change:
            obj.force = request.user.force
            obj.created_by = request.user

    def save_related(self, request, form, formsets, change):
        children, removed = [], []
        for formset in formsets:
            children += formset.save(commit=False)
            removed += formset.deleted_objects
        incident_file(
            incident=form.instance,
            fields=list(form.changed_data) if change else [],
            children=children,
            removed=removed,
            actor=request.user,
        )

    def response_change(self, request, obj):
        if "_submit" in request.POST:
            return self._submit(request, obj)
        if obj.status == IncidentStatus.SUBMITTED:
            self.message_user(request, f"Incident {obj.reference} amended: the schools see it as updated.")
            return HttpResponseRedirect(request.path)
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
        return HttpResponseRedirect(reverse("police:incidents_incident_change", args=[obj.pk]))

    def get_urls(self):
        # Nobody deletes an incident (it is withdrawn instead), so there is no delete page.
        kept = [url for url in super().get_urls() if not (url.name or "").endswith("_delete")]
        return [
            path("<int:pk>/withdraw/", self.admin_site.admin_view(self.withdraw_view), name=WITHDRAW),
            path("import/", self.admin_site.admin_view(self.import_view), name=IMPORT),
            *kept,
        ]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another force's incident must look exactly like one that does not exist: 404.
        raise Http404

    def withdraw_view(self, request, pk: int):
        incident = self.get_object(request, str(pk))
        if incident is None or incident.status == IncidentStatus.WITHDRAWN:
            raise Http404
        form = WithdrawForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            incident_withdraw(
                incident=incident,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                ip=client_ip(request),
            )
            self.message_user(
                request, f"Incident {incident.reference} withdrawn: the schools no longer see it."
            )
            return HttpResponseRedirect(reverse("police:incidents_incident_change", args=[incident.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": incident,
            "form": form,
            "title": f"Withdraw incident {incident.reference}",
        }
        return TemplateResponse(request, "police/withdraw.html", context, status=400 if form.errors else 200)

    def import_view(self, request):
        if request.user.role != Role.REVIEWER:
            raise Http404
        posted = request.method == "POST"
        form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form}
        context["title"] = "Upload the daily download"
        if request.method == "POST" and form.is_valid():
            result = incidents_import(
                force=request.user.force, text=form.cleaned_data["file"].read(), actor=request.user
            )
            context["result"] = result
            return render(request, "police/import.html", context, status=400 if result.errors else 200)
        return render(request, "police/import.html", context, status=400 if form.errors else 200)
