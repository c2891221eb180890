"""Lab import in the database: the LIS mapping table, and the provenance of every imported row.

Imported from ``screening.models`` so Django registers them in the ``screening`` app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening import eligibility as rules
from screening import vocabulary
from screening.model_base import ImmutableModel, audit_history
from screening.vocabulary import choices
from screening.models import Candidate, Evaluation, LabResult, PregnancyTest

from .headers import header_key
from .loinc import Target


class LabTestMapping(models.Model):
    """An LIS test code or name -> a protocol lab test, a pregnancy test (with specimen), or a percentage
    (always rejected). Names are compared as headers are: NFKC, trimmed, case-insensitive."""

    class Kind(models.TextChoices):
        LAB = "lab", _("Lab test")
        PREGNANCY_TEST = "pregnancy_test", _("Pregnancy test")
        PERCENTAGE = "percentage", _("Percentage (rejected, never imported)")

    lis_name = models.CharField(_("LIS code or name"), max_length=100)
    key = models.CharField(_("key"), max_length=100, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    test = models.CharField(_("test"), max_length=12, choices=choices(rules.LAB_TESTS, vocabulary.LAB_TEST), blank=True)
    specimen = models.CharField(_("specimen"), max_length=6, choices=choices(rules.SPECIMENS, vocabulary.SPECIMEN),
                                blank=True)

    history = audit_history()

    class Meta:
        ordering = ["kind", "test", "lis_name"]
        verbose_name = _("LIS test mapping")
        verbose_name_plural = _("LIS test mappings")

    def __str__(self):
        return f"{self.lis_name} → {self.target_label}"

    @property
    def target_label(self):
        if self.kind == self.Kind.LAB:
            return self.test
        if self.kind == self.Kind.PREGNANCY_TEST:
            return _("pregnancy test (%(specimen)s)") % {"specimen": self.specimen}
        return _("percentage (rejected)")

    def clean(self):
        self.key = header_key(self.lis_name)
        if not self.key:
            raise ValidationError({"lis_name": _("Give the LIS code or name.")})
        if self.kind == self.Kind.LAB and not self.test:
            raise ValidationError({"test": _("Choose the protocol test this LIS name means.")})
        if self.kind == self.Kind.PREGNANCY_TEST and not self.specimen:
            raise ValidationError({"specimen": _("Choose the specimen (serum or urine).")})
        if self.kind != self.Kind.LAB and self.test:
            raise ValidationError({"test": _("Only a lab test mapping names a test.")})
        if self.kind != self.Kind.PREGNANCY_TEST and self.specimen:
            raise ValidationError({"specimen": _("Only a pregnancy test mapping names a specimen.")})
        if self.kind != self.Kind.PERCENTAGE and ("%" in self.key or "百分比" in self.key):
            raise ValidationError({"kind": _("A percentage is never imported as a count: map it to “Percentage”.")})

    def save(self, *args, **kwargs):
        self.key = header_key(self.lis_name)
        super().save(*args, **kwargs)

    def target(self) -> Target:
        return Target(self.kind, self.test or None, self.specimen or None)


class LabImport(ImmutableModel):
    """One applied source file: byte-exact copy kept outside the web root, bound by its SHA-256."""

    class Format(models.TextChoices):
        FHIR = "fhir", _("FHIR R4 JSON")
        CSV = "csv", _("LIS CSV")
        XLSX = "xlsx", _("LIS XLSX")

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="lab_imports",
                                  verbose_name=_("candidate"))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    evaluation = models.ForeignKey(Evaluation, null=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("evaluation"))

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("lab import")
        verbose_name_plural = _("lab imports")

    def __str__(self):
        return f"{self.file_name} (sha256 {self.sha256[:12]})"


class ImportedRow(models.Model):
    """Provenance of one imported lab result or pregnancy test: which file, which line or resource, and the
    entry exactly as imported (so a later edit of the row shows as "edited after import")."""

    lab_import = models.ForeignKey(LabImport, on_delete=models.PROTECT, related_name="rows",
                                   verbose_name=_("lab import"))
    locator = models.CharField(_("place in the file"), max_length=100,
                               help_text=_("“line 3”, “row 3” or “Observation/hb-1”"))
    lab_result = models.OneToOneField(
        LabResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="provenance",
        verbose_name=_("lab result"),
    )
    pregnancy_test = models.OneToOneField(
        PregnancyTest, null=True, blank=True, on_delete=models.SET_NULL, related_name="provenance",
        verbose_name=_("pregnancy test"),
    )
    entry = models.JSONField(_("entry"), help_text=_("The interchange entry as imported."))

    class Meta:
        ordering = ["lab_import", "id"]
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")

    def __str__(self):
        return f"{self.lab_import.file_name} {self.locator}"
