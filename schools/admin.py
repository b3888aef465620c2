from django.contrib import admin

from schools.models import Enrolment, KeyAdult, LocalAuthority, Partnership, Pupil, School


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "sharing_level"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "partnership"]
    search_fields = ["code", "name"]


class KeyAdultInline(admin.TabularInline):
    model = KeyAdult
    extra = 0
    raw_id_fields = ["user"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["urn", "name", "local_authority", "phase", "status", "participating"]
    list_filter = ["participating", "status", "phase", "local_authority"]
    search_fields = ["urn", "name", "postcode"]
    inlines = [KeyAdultInline]


@admin.register(Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ["upn", "last_name", "first_name", "dob"]
    search_fields = ["upn", "last_name"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["pupil", "school", "entry_date", "leaving_date"]
    raw_id_fields = ["pupil", "school"]
