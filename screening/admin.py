"""The Django admin: reference data (reference ranges, users) is edited here, with its history;
clinical data is only shown.

Candidates and their lab results, lesions, pregnancy tests and 6-month DFS are
changed through the application, which asks for the reason for change,
re-evaluates and supersedes signatures. Here they are read-only: no add,
change or delete (Django answers a crafted POST with 403), and
django-simple-history's revert is off for every model (``HistoryAdmin``:
a revert POST would save an old version bypassing all of that).
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from screening import roles
from screening.downloads import attachment
from screening.models import (
    AuditEvent,
    Candidate,
    EndpointAssessment,
    Evaluation,
    LabResult,
    Lesion,
    PregnancyTest,
    ReferenceRange,
    Signature,
    SubjectNumberCounter,
)
from screening.deidentification import SHIFT, Policy
from screening.services import exports as export_service


def export_action(identified):
    """An admin action on candidates: the full data of the selected ones as an XLSX workbook (audited)."""

    def action(modeladmin, request, queryset):
        allowed = (roles.ADMIN,) if identified else roles.EXPORTERS
        if not roles.has_role(request.user, allowed):
            modeladmin.message_user(request, _("Your role does not allow this export."), messages.ERROR)
            return None
        export_file = export_service.export_book(
            user=request.user, dataset=export_service.FULL, fmt=export_service.XLSX, candidate_queryset=queryset,
            policy=Policy.identified() if identified else Policy.deidentify(SHIFT),
            scope={"via": "admin action", "candidates": sorted(queryset.values_list("screening_number", flat=True))},
        )
        return attachment(export_file)

    action.__name__ = "export_identified_xlsx" if identified else "export_deidentified_xlsx"
    action.short_description = (
        gettext_lazy("Export selected candidates (XLSX, identified)") if identified
        else gettext_lazy("Export selected candidates (XLSX, de-identified, dates shifted)")
    )
    return action


export_identified_xlsx = export_action(identified=True)
export_deidentified_xlsx = export_action(identified=False)


class ReadOnly:
    """For admins and inlines: shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """Records that are never edited or deleted."""


class HistoryAdmin(SimpleHistoryAdmin):
    """History shown, never reverted (SIMPLE_HISTORY_REVERT_DISABLED hides the button; this refuses the POST)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(_("Reverting to an earlier version is disabled."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class ClinicalAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Clinical data: shown with its history; every change goes through the application."""


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


class LesionInline(ReadOnlyInline):
    model = Lesion


class LabResultInline(ReadOnlyInline):
    model = LabResult


class PregnancyTestInline(ReadOnlyInline):
    model = PregnancyTest


@admin.register(Candidate)
class CandidateAdmin(ClinicalAdmin):
    list_display = (
        "screening_number", "initials", "screening_date", "sex", "state", "subject_number", "updated_at",
    )
    list_filter = ("state", "sex", "diagnosis_type", "screening_date")
    search_fields = ("screening_number", "initials", "subject_number")
    date_hierarchy = "screening_date"
    readonly_fields = ("version", "created_at", "updated_at", "updated_by", "subject_number", "state")
    inlines = [LesionInline, LabResultInline, PregnancyTestInline]
    actions = [export_deidentified_xlsx, export_identified_xlsx]  # issue 6: audited exports


@admin.register(LabResult)
class LabResultAdmin(ClinicalAdmin):
    list_display = ("candidate", "test", "value", "unit", "uln", "collected")
    list_filter = ("test", "unit", "collected")
    search_fields = ("candidate__screening_number",)


@admin.register(Lesion)
class LesionAdmin(ClinicalAdmin):
    list_display = ("candidate", "kind", "method", "size_mm", "slice_thickness_mm", "imaged_on", "locally_treated")
    list_filter = ("kind", "method", "locally_treated")
    search_fields = ("candidate__screening_number", "site")


@admin.register(PregnancyTest)
class PregnancyTestAdmin(ClinicalAdmin):
    list_display = ("candidate", "specimen", "result", "collected")
    list_filter = ("specimen", "result")
    search_fields = ("candidate__screening_number",)


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "outcome", "protocol_version", "created_at", "created_by")
    list_filter = ("outcome", "protocol_version", "created_at")
    search_fields = ("candidate__screening_number",)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("evaluation", "signed_by", "signed_at", "eligible")
    list_filter = ("eligible", "signed_at")
    search_fields = ("evaluation__candidate__screening_number",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "candidate")
    list_filter = ("action", "at")
    search_fields = ("candidate__screening_number", "user__username")


@admin.register(EndpointAssessment)
class EndpointAssessmentAdmin(ClinicalAdmin):
    list_display = ("candidate", "dfs_6_month", "assessed_on", "updated_by", "updated_at")
    list_filter = ("dfs_6_month",)
    search_fields = ("candidate__screening_number", "candidate__subject_number")


@admin.register(ReferenceRange)
class ReferenceRangeAdmin(HistoryAdmin):
    list_display = ("test", "unit", "uln", "reporting_unit")
    list_filter = ("test", "reporting_unit")


@admin.register(SubjectNumberCounter)
class SubjectNumberCounterAdmin(ReadOnlyAdmin):
    list_display = ("id", "last_number")


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin, HistoryAdmin):
    """Users and their roles (groups) stay editable; every change is in the user's history."""

from screening.labimport import admin as labimport_admin  # noqa: E402, F401  (issue 15: mapping table, imports)
