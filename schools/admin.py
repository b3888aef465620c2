from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from matching.key_hash import key_hash
from schools.census import pupil_keys_store
from schools.forms import ImportForm, SchoolImportForm, TermDatesImportForm
from schools.imports.gias import schools_import
from schools.imports.pupils import pupils_import
from schools.imports.terms import term_dates_import
from schools.models import (
    AgreementAcceptance,
    Enrolment,
    KeyAdult,
    LocalAuthority,
    Partnership,
    Pupil,
    PupilAlias,
    PupilKey,
    RecipientKind,
    School,
    TermPeriod,
)
from schools.services import la_team_create


class ImportAdminMixin:
    """Adds an "Import" page to a model admin, calling the same service as the command."""

    import_form = ImportForm
    import_title = "Import"
    change_list_template = "admin/schools/change_list_with_import.html"

    def run_import(self, file, data):
        raise NotImplementedError

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def import_view(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        form = self.import_form(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            report = self.run_import(data["file"], data)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.import_title,
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/schools/import.html", context)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "sharing_level",
        "agreement_version",
        "early_years_opt_in",
        "transfer_support_logs",
    ]
    list_filter = ["sharing_level", "early_years_opt_in"]
    search_fields = ["name"]


def _teams_create(modeladmin, request, queryset, kind):
    for local_authority in queryset:
        la_team_create(local_authority=local_authority, kind=kind, actor=request.user)
    modeladmin.message_user(
        request, f"{queryset.count()} team(s) ready; add their members on the coordinator's pages."
    )


@admin.action(description="Create the home education (EHE/CME) team of the selected authorities")
def home_education_team_create(modeladmin, request, queryset):
    _teams_create(modeladmin, request, queryset, RecipientKind.HOME_EDUCATION)


@admin.action(description="Create the early years team of the selected authorities")
def early_years_team_create(modeladmin, request, queryset):
    _teams_create(modeladmin, request, queryset, RecipientKind.EARLY_YEARS)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["code", "name"]
    actions = [home_education_team_create, early_years_team_create]


class KeyAdultInline(admin.TabularInline):
    model = KeyAdult
    extra = 0
    raw_id_fields = ["user"]


class AgreementAcceptanceInline(admin.TabularInline):
    model = AgreementAcceptance
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(School)
class SchoolAdmin(ImportAdminMixin, admin.ModelAdmin):
    list_display = [
        "urn",
        "name",
        "local_authority",
        "establishment_type",
        "phase",
        "status",
        "participating",
    ]
    list_filter = [
        "kind",
        "participating",
        "status",
        "phase",
        "establishment_type",
        "local_authority__partnership",
    ]
    search_fields = ["urn", "name", "postcode", "town", "local_authority__code", "local_authority__name"]
    list_select_related = ["local_authority"]
    inlines = [KeyAdultInline, AgreementAcceptanceInline]
    import_form = SchoolImportForm
    import_title = "Import schools from a GIAS extract"

    def run_import(self, file, data):
        return schools_import(
            source=file,
            la_codes=data["la_codes"].split(),
            skip_invalid=data["skip_invalid"],
            dry_run=data["dry_run"],
        )


@admin.register(KeyAdult)
class KeyAdultAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "is_active", "trained_on", "delivery_failed_at"]
    list_filter = ["role", "is_active", "school__local_authority__partnership"]
    search_fields = ["user__email", "user__full_name", "school__name", "school__urn"]
    raw_id_fields = ["user", "school"]
    list_select_related = ["user", "school"]


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["school", "agreement_version", "accepted_by_name", "accepted_on", "recorded_by"]
    list_filter = ["agreement_version"]
    search_fields = ["school__name", "school__urn", "accepted_by_name"]
    raw_id_fields = ["school", "recorded_by"]


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ["school"]


class PupilAliasInline(admin.TabularInline):
    model = PupilAlias
    extra = 0


@admin.register(Pupil)
class PupilAdmin(ImportAdminMixin, admin.ModelAdmin):
    list_display = ["upn", "last_name", "first_name", "dob", "postcode"]
    list_filter = ["sex"]
    # Exact look-ups only: a contains-search over millions of pupils would scan the table.
    search_fields = ["=upn", "=last_name", "=postcode"]
    show_full_result_count = False
    inlines = [EnrolmentInline, PupilAliasInline]
    import_title = "Import a pupil census"

    def run_import(self, file, data):
        return pupils_import(source=file, skip_invalid=data["skip_invalid"], dry_run=data["dry_run"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A name, address or earlier name edited here is what the matcher must now find the pupil by.
        pupil_keys_store([form.instance])


@admin.register(PupilKey)
class PupilKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "pupil"]
    search_fields = ["=key"]
    search_help_text = "A blocking key as text, such as dl:2016-05-14:S530"
    raw_id_fields = ["pupil"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # Keys are stored hashed: look up the hash of the text typed.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(key=key_hash(search_term.strip())), False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["pupil", "school", "entry_date", "leaving_date"]
    list_filter = [("leaving_date", admin.EmptyFieldListFilter), "school__local_authority"]
    search_fields = ["=pupil__upn", "=school__urn"]
    raw_id_fields = ["pupil", "school"]
    list_select_related = ["pupil", "school"]
    show_full_result_count = False


@admin.register(TermPeriod)
class TermPeriodAdmin(ImportAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "starts_on", "ends_on", "local_authority", "school", "description"]
    list_filter = ["kind", "local_authority"]
    search_fields = ["description", "local_authority__code", "school__urn", "school__name"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["school"]
    list_select_related = ["local_authority", "school"]
    import_form = TermDatesImportForm
    import_title = "Import term dates (CSV or iCalendar)"

    def run_import(self, file, data):
        return term_dates_import(
            source=file,
            la_code=data["la_code"],
            school_urn=data["school_urn"],
            skip_invalid=data["skip_invalid"],
            dry_run=data["dry_run"],
        )
