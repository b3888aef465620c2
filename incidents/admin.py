"""The administrators' pages for incidents' reference data: forces, API clients, and the
matching weights learned from people's decisions. The officer's interface is police/admin.py."""

import math

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from incidents.models import ApiClient, Force, MatchLabel, MatchWeightsVersion
from incidents.services import api_client_revoke
from matching import DESCRIPTIONS
from schools.census import weights_current


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


@admin.register(MatchLabel)
class MatchLabelAdmin(admin.ModelAdmin):
    """People's decisions on pairs, as estimate_match_weights reads them: ids and levels only."""

    list_display = ["labelled_at", "source", "same_child", "child_id", "pupil_id"]
    list_filter = ["source", "same_child"]
    readonly_fields = [
        "child",
        "pupil",
        "same_child",
        "levels",
        "source",
        "decision",
        "labelled_by",
        "labelled_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatchWeightsVersion)
class MatchWeightsVersionAdmin(admin.ModelAdmin):
    """Each version of m learned from people's decisions, per field and level with the number
    of confirmed pairs behind it, and the development evaluation it was checked with. Versions
    are made and made live by estimate_match_weights, never edited here."""

    list_display = [
        "version",
        "status",
        "same_child_labels",
        "other_child_labels",
        "created_at",
        "activated_at",
    ]
    fields = [
        "version", "status", "created_at", "same_child_labels", "other_child_labels",
        "weights_table", "evaluation_table", "evaluated_at", "activated_at", "activated_by",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Weights per field and level")
    def weights_table(self, obj):
        live = weights_current()
        rows = [
            (name.replace("_", " "), DESCRIPTIONS.get(level, level), f"{m:.4f}", f"{live.u[name][level]:.2e}",
             f"{math.log2(m / live.u[name][level]):+.1f}", obj.decisions.get(name, {}).get(level, 0))
            for name, levels in obj.m.items()
            for level, m in levels.items()
            if name in live.u and level in live.u[name]
        ]  # fmt: skip
        return format_html(
            '<table><thead><tr><th scope="col">Field</th><th scope="col">Level</th><th scope="col">m</th>'
            '<th scope="col">u (census now)</th><th scope="col">Weight (bits)</th>'
            '<th scope="col">Confirmed pairs</th></tr></thead><tbody>{}</tbody></table>',
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
            ),
        )

    @admin.display(description="Development evaluation")
    def evaluation_table(self, obj):
        if not obj.evaluation:
            return f"Not checked yet: manage.py estimate_match_weights --activate {obj.version}"
        rows = [
            (name, row["wrong_auto"], row["recall_auto"], row["recall_auto_review"], row["review_rate"])
            for name, row in obj.evaluation.items()
        ]
        return format_html(
            '<table><thead><tr><th scope="col">Set</th><th scope="col">Wrong automatic matches</th>'
            '<th scope="col">Recall auto</th><th scope="col">Recall auto + review</th>'
            '<th scope="col">Review rate</th></tr></thead><tbody>{}</tbody></table>',
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
