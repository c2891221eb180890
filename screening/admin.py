from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
from screening.views.exports import export_deidentified_xlsx, export_identified_xlsx  # issue 6: export actions


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are never edited or deleted: shown, not changed."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LesionInline(admin.TabularInline):
    model = Lesion
    extra = 0


class LabResultInline(admin.TabularInline):
    model = LabResult
    extra = 0


class PregnancyTestInline(admin.TabularInline):
    model = PregnancyTest
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = (
        "screening_number", "initials", "screening_date", "sex", "state", "subject_number", "updated_at",
    )
    list_filter = ("state", "sex", "diagnosis_type", "screening_date")
    search_fields = ("screening_number", "initials", "subject_number")
    date_hierarchy = "screening_date"
    readonly_fields = ("version", "created_at", "updated_at", "updated_by", "subject_number", "state")
    inlines = [LesionInline, LabResultInline, PregnancyTestInline]
    actions = [export_deidentified_xlsx, export_identified_xlsx]  # issue 6: audited exports

    def has_delete_permission(self, request, obj=None):
        return False  # a screening record is never deleted (GCP)


@admin.register(LabResult)
class LabResultAdmin(SimpleHistoryAdmin):
    list_display = ("candidate", "test", "value", "unit", "uln", "collected")
    list_filter = ("test", "unit", "collected")
    search_fields = ("candidate__screening_number",)


@admin.register(Lesion)
class LesionAdmin(SimpleHistoryAdmin):
    list_display = ("candidate", "kind", "method", "size_mm", "slice_thickness_mm", "imaged_on", "locally_treated")
    list_filter = ("kind", "method", "locally_treated")
    search_fields = ("candidate__screening_number", "site")


@admin.register(PregnancyTest)
class PregnancyTestAdmin(SimpleHistoryAdmin):
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
class EndpointAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("candidate", "dfs_6_month", "assessed_on", "updated_by", "updated_at")
    list_filter = ("dfs_6_month",)
    search_fields = ("candidate__screening_number", "candidate__subject_number")


@admin.register(ReferenceRange)
class ReferenceRangeAdmin(SimpleHistoryAdmin):
    list_display = ("test", "unit", "uln", "reporting_unit")
    list_filter = ("test", "reporting_unit")


@admin.register(SubjectNumberCounter)
class SubjectNumberCounterAdmin(ReadOnlyAdmin):
    list_display = ("id", "last_number")


from screening.labimport import admin as labimport_admin  # noqa: E402, F401  (issue 15: mapping table, imports)
