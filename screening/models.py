"""Screening data: candidates and their source data (lesions, lab results, pregnancy tests), the 6-month DFS
endpoint and the audit events; evaluations and sign-off (``models_signoff``), reference data
(``models_reference``), lab import and monitoring live in their own modules, imported at the end.

The rules live in ``screening.eligibility``; a candidate turns itself into
the engine's JSON interchange record with ``Candidate.to_record()``, from the
one declaration of the map in ``screening.interchange``, so the web page, the
batch command and the tests all feed the engine the same thing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening import eligibility as rules
from screening import interchange, vocabulary
from screening.model_base import (  # noqa: F401  (plain_decimal, iso_datetime, mark_change: imported from here)
    NON_NEGATIVE,
    ImmutableModel,
    ImmutableQuerySet,
    audit_history,
    iso_datetime,
    mark_change,
    measured,
    plain_decimal,
)
from screening.validators import validate_initials, validate_screening_number
from screening.vocabulary import choices


STATE, DFS = vocabulary.STATUSES["state"], vocabulary.STATUSES["dfs"]  # labels of the choices below


class Candidate(models.Model):
    class State(models.TextChoices):
        SCREENING = "screening", STATE["screening"].choice_label
        ENROLLED = "enrolled", STATE["enrolled"].choice_label
        SCREEN_FAILURE = "screen_failure", STATE["screen_failure"].choice_label
        DECLINED = "declined", STATE["declined"].choice_label
        NOT_ENROLLED = "not_enrolled", STATE["not_enrolled"].choice_label

    screening_number = models.CharField(_("screening number"), max_length=40, unique=True,
                                        validators=[validate_screening_number])
    initials = models.CharField(_("initials"), max_length=5, blank=True, validators=[validate_initials],
                                help_text=_("Initials only, never names."))
    screening_date = models.DateField(_("screening date"))
    planned_first_dose = models.DateTimeField(_("planned first dose"), null=True, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=choices(rules.SEXES, vocabulary.SEX), blank=True)
    weight_kg = measured(validators=NON_NEGATIVE, verbose_name=_("weight (kg)"))
    consent_signed_on = models.DateField(_("informed consent signed on"), null=True, blank=True)

    diagnosis_type = models.CharField(_("diagnosis type"), max_length=10, choices=choices(rules.DIAGNOSIS_TYPES, vocabulary.DIAGNOSIS_TYPE), blank=True)
    diagnosis_confirmation = models.CharField(_("diagnosis confirmation"), max_length=15, choices=choices(rules.CONFIRMATIONS, vocabulary.CONFIRMATION), blank=True)
    primary_site = models.TextField(_("primary site"), blank=True)
    metastatic = models.BooleanField(_("metastatic"), null=True, blank=True)
    ne_component_percent = measured(validators=NON_NEGATIVE, verbose_name=_("NE component (%)"))

    prior_systemic_lines = models.PositiveSmallIntegerField(_("prior systemic lines"), null=True, blank=True)
    prior_line_failed = models.BooleanField(_("prior line failed"), null=True, blank=True)
    ecog = models.PositiveSmallIntegerField(_("ECOG performance status"), null=True, blank=True)
    life_expectancy_months = measured(validators=NON_NEGATIVE, verbose_name=_("life expectancy (months)"))
    liver_metastases = models.BooleanField(_("liver metastases"), null=True, blank=True)
    lesions_assessed = models.BooleanField(
        _("lesions assessed"),
        default=False,
        help_text=_("Baseline imaging reviewed: with no lesion rows, means no lesion was found."),
    )

    washout_any = models.BooleanField(
        null=True, blank=True, verbose_name=_("Blood components or growth factors given")
    )
    washout_last_date = models.DateField(_("washout last date"), null=True, blank=True)

    childbearing_potential = models.BooleanField(_("childbearing potential"), null=True, blank=True)
    partner_childbearing_potential = models.BooleanField(_("partner childbearing potential"), null=True, blank=True)
    contraception_agreed = models.BooleanField(_("contraception agreed"), null=True, blank=True)

    # Screening outcome and enrolment.
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SCREENING)
    state_reason = models.TextField(_("state reason"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("closed by"))
    subject_number = models.CharField(_("subject number"), max_length=20, unique=True, null=True, blank=True)
    enrolment_date = models.DateField(_("enrolment date"), null=True, blank=True)
    rescreen_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rescreens",
        verbose_name=_("rescreen of"))

    latest_evaluation = models.ForeignKey(
        "Evaluation", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("latest evaluation"))
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Optimistic lock: bumped on every save."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("updated by"))

    history = audit_history(excluded_fields=["latest_evaluation", "updated_at"])

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["-screening_date", "-id"]
        # The screening log and candidate list read pages in this order: walk the index, stop after a page.
        indexes = [models.Index(fields=["screening_date", "id"], name="candidate_screening_order")]
        constraints = [
            models.CheckConstraint(condition=Q(ecog__isnull=True) | Q(ecog__lte=5), name="candidate_ecog_0_5"),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | (Q(weight_kg__gt=0) & Q(weight_kg__lte=400)),
                name="candidate_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(ne_component_percent__isnull=True)
                | (Q(ne_component_percent__gte=0) & Q(ne_component_percent__lte=100)),
                name="candidate_ne_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(life_expectancy_months__isnull=True) | Q(life_expectancy_months__gte=0),
                name="candidate_life_expectancy_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(subject_number__isnull=True) | Q(state="enrolled"),
                name="candidate_subject_number_only_when_enrolled",
            ),
            # nlx-s-001 beside NLX-S-001 would be two records of one screening attempt.
            models.UniqueConstraint(Upper("screening_number"), name="candidate_screening_number_unique_ignoring_case"),
        ]

    def __str__(self):
        return self.screening_number

    def to_record(self):
        """The engine's JSON interchange record (spec section 4) for this candidate (``screening.interchange``).

        Lab results, lesions and pregnancy tests are listed in entry order, so
        "the last one listed wins" means the same thing here as in a JSON file.
        """
        return interchange.to_record(self)

    @property
    def is_closed(self):
        return self.state != self.State.SCREENING


class Lesion(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="lesions", verbose_name=_("candidate"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    site = models.TextField(_("site"), blank=True, help_text=_("Anatomical site (free text)."))
    kind = models.CharField(_("kind"), max_length=10, choices=choices(rules.LESION_KINDS, vocabulary.LESION_KIND))
    method = models.CharField(_("method"), max_length=12, choices=choices(rules.LESION_METHODS, vocabulary.LESION_METHOD))
    size_mm = measured(verbose_name=_("size mm"))
    slice_thickness_mm = measured(verbose_name=_("slice thickness (mm)"))
    imaged_on = models.DateField(_("imaged on"), null=True, blank=True, help_text=_("Date of the baseline imaging."))
    locally_treated = models.BooleanField(_("locally treated"), null=True, blank=True)
    progressed_after_local_treatment = models.BooleanField(_("progressed after local treatment"), null=True, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("lesion")
        verbose_name_plural = _("lesions")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size_mm__isnull=True) | Q(size_mm__gt=0), name="lesion_size_positive"),
            models.CheckConstraint(
                condition=Q(slice_thickness_mm__isnull=True) | Q(slice_thickness_mm__gt=0),
                name="lesion_slice_thickness_positive",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.method} {self.size_mm} mm"



# Where a lab result's ULN came from (issue 13): typed or confirmed from the report, or the site's default.
ULN_FROM_REPORT, ULN_SITE_DEFAULT = "report", "site_default"
ULN_SOURCES = [(ULN_FROM_REPORT, _("from the report")), (ULN_SITE_DEFAULT, _("site default"))]


class LabResult(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="lab_results", verbose_name=_("candidate"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    test = models.CharField(_("test"), max_length=12, choices=choices(rules.LAB_TESTS, vocabulary.LAB_TEST))
    value = measured(null=False, validators=NON_NEGATIVE, verbose_name=_("value"))
    unit = models.CharField(_("unit"), max_length=12)
    uln = measured(verbose_name=_("ULN"))
    uln_source = models.CharField(
        max_length=12, blank=True, choices=ULN_SOURCES, verbose_name=_("ULN source"),
        help_text=_("Where the ULN came from: the laboratory report, or the site's reference range (site default). "
                    "Empty for tests without a ULN and rows saved before this was recorded."),
    )
    collected = models.DateField(_("collected"))

    history = audit_history()

    class Meta:
        verbose_name = _("laboratory result")
        verbose_name_plural = _("laboratory results")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="lab_value_non_negative"),
            models.CheckConstraint(condition=Q(uln__isnull=True) | Q(uln__gt=0), name="lab_uln_positive"),
        ]

    def __str__(self):
        return f"{self.test} {plain_decimal(self.value)} {self.unit} ({self.collected})"



class PregnancyTest(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="pregnancy_tests", verbose_name=_("candidate"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    specimen = models.CharField(_("specimen"), max_length=6, choices=choices(rules.SPECIMENS, vocabulary.SPECIMEN))
    result = models.CharField(_("result"), max_length=8, choices=choices(rules.PREGNANCY_RESULTS, vocabulary.PREGNANCY_RESULT))
    collected = models.DateTimeField(_("collected"))

    history = audit_history()

    class Meta:
        verbose_name = _("pregnancy test")
        verbose_name_plural = _("pregnancy tests")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.specimen} {self.result} ({iso_datetime(self.collected)})"


class EndpointAssessment(models.Model):
    """Primary endpoint for an enrolled subject: 6-month disease-free survival."""

    class Dfs(models.TextChoices):
        YES = "yes", DFS["yes"].choice_label
        NO = "no", DFS["no"].choice_label
        NOT_EVALUABLE = "not_evaluable", DFS["not_evaluable"].choice_label

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="endpoint", verbose_name=_("candidate"))
    dfs_6_month = models.CharField(_("dfs 6 month"), max_length=14, choices=Dfs.choices, default=Dfs.NOT_EVALUABLE)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("updated by"))

    history = audit_history()

    class Meta:
        verbose_name = _("endpoint assessment")
        verbose_name_plural = _("endpoint assessments")

    def __str__(self):
        return f"{self.candidate} 6-month DFS: {self.dfs_6_month}"


class AuditEvent(ImmutableModel):
    """Actions that are not data edits: exports, sign-offs, enrolment, closure."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("user"))
    action = models.CharField(_("action"), max_length=40)
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("candidate"))
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"


class UserProfile(models.Model):
    """Per-user preferences; the interface language is applied at login (``screening.language``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile",
                                verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return f"{self.user} ({self.language or '-'})"


# Evaluations and sign-off, reference data (reference ranges, users): in their own modules.
from screening.models_signoff import Evaluation, Signature, SubjectNumberCounter  # noqa: E402, F401
from screening.models_reference import SITE_REPORTING_UNITS, ReferenceRange  # noqa: E402, F401

# Lab import (issue 15): the LIS mapping table and provenance, in their own module.
from screening.labimport.models import ImportedRow, LabImport, LabTestMapping  # noqa: E402, F401

# Queries and source-data verification (issue 16) live in their own module.
from screening.models_monitoring import Query, QueryMessage, Verification  # noqa: E402, F401
