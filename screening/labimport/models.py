"""Lab import in the database: the LIS mapping table, and the provenance of every imported row.

Imported from ``screening.models`` so Django registers them in the ``screening`` app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from screening import eligibility as rules
from screening.model_base import ImmutableModel, audit_history, choices
from screening.models import Candidate, Evaluation, LabResult, PregnancyTest

from .headers import header_key
from .loinc import Target


class LabTestMapping(models.Model):
    """An LIS test code or name -> a protocol lab test, a pregnancy test (with specimen), or a percentage
    (always rejected). Names are compared as headers are: NFKC, trimmed, case-insensitive."""

    class Kind(models.TextChoices):
        LAB = "lab", "Lab test"
        PREGNANCY_TEST = "pregnancy_test", "Pregnancy test"
        PERCENTAGE = "percentage", "Percentage (rejected, never imported)"

    lis_name = models.CharField("LIS code or name", max_length=100)
    key = models.CharField(max_length=100, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    test = models.CharField(max_length=12, choices=choices(rules.LAB_TESTS), blank=True)
    specimen = models.CharField(max_length=6, choices=choices(rules.SPECIMENS), blank=True)

    history = audit_history()

    class Meta:
        ordering = ["kind", "test", "lis_name"]
        verbose_name = "LIS test mapping"

    def __str__(self):
        return f"{self.lis_name} → {self.target_label}"

    @property
    def target_label(self):
        if self.kind == self.Kind.LAB:
            return self.test
        if self.kind == self.Kind.PREGNANCY_TEST:
            return f"pregnancy test ({self.specimen})"
        return "percentage (rejected)"

    def clean(self):
        self.key = header_key(self.lis_name)
        if not self.key:
            raise ValidationError({"lis_name": "Give the LIS code or name."})
        if self.kind == self.Kind.LAB and not self.test:
            raise ValidationError({"test": "Choose the protocol test this LIS name means."})
        if self.kind == self.Kind.PREGNANCY_TEST and not self.specimen:
            raise ValidationError({"specimen": "Choose the specimen (serum or urine)."})
        if self.kind != self.Kind.LAB and self.test:
            raise ValidationError({"test": "Only a lab test mapping names a test."})
        if self.kind != self.Kind.PREGNANCY_TEST and self.specimen:
            raise ValidationError({"specimen": "Only a pregnancy test mapping names a specimen."})
        if self.kind != self.Kind.PERCENTAGE and ("%" in self.key or "百分比" in self.key):
            raise ValidationError({"kind": "A percentage is never imported as a count: map it to “Percentage”."})

    def save(self, *args, **kwargs):
        self.key = header_key(self.lis_name)
        super().save(*args, **kwargs)

    def target(self) -> Target:
        return Target(self.kind, self.test or None, self.specimen or None)


class LabImport(ImmutableModel):
    """One applied source file: byte-exact copy kept outside the web root, bound by its SHA-256."""

    class Format(models.TextChoices):
        FHIR = "fhir", "FHIR R4 JSON"
        CSV = "csv", "LIS CSV"
        XLSX = "xlsx", "LIS XLSX"

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="lab_imports")
    format = models.CharField(max_length=4, choices=Format.choices)
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    evaluation = models.ForeignKey(Evaluation, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"{self.file_name} (sha256 {self.sha256[:12]})"


class ImportedRow(models.Model):
    """Provenance of one imported lab result or pregnancy test: which file, which line or resource, and the
    entry exactly as imported (so a later edit of the row shows as "edited after import")."""

    lab_import = models.ForeignKey(LabImport, on_delete=models.PROTECT, related_name="rows")
    locator = models.CharField(max_length=100, help_text="“line 3”, “row 3” or “Observation/hb-1”")
    lab_result = models.OneToOneField(
        LabResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="provenance"
    )
    pregnancy_test = models.OneToOneField(
        PregnancyTest, null=True, blank=True, on_delete=models.SET_NULL, related_name="provenance"
    )
    entry = models.JSONField(help_text="The interchange entry as imported.")

    class Meta:
        ordering = ["lab_import", "id"]

    def __str__(self):
        return f"{self.lab_import.file_name} {self.locator}"
