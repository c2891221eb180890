"""Admin for the lab import: the LIS mapping table (edited by administrators, audited) and the applied files."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from screening.admin import ReadOnlyAdmin
from screening.models import ImportedRow, LabImport, LabTestMapping


@admin.register(LabTestMapping)
class LabTestMappingAdmin(SimpleHistoryAdmin):
    list_display = ("lis_name", "kind", "test", "specimen")
    list_filter = ("kind", "test")
    search_fields = ("lis_name", "key")
    fields = ("lis_name", "kind", "test", "specimen")


class ImportedRowInline(admin.TabularInline):
    model = ImportedRow
    extra = 0
    can_delete = False
    readonly_fields = ("locator", "lab_result", "pregnancy_test", "entry")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LabImport)
class LabImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "candidate", "file_name", "format", "sha256", "imported_by")
    search_fields = ("candidate__screening_number", "file_name", "sha256")
    inlines = [ImportedRowInline]
