"""Reference data edited in the admin and audited: the site laboratory's reference ranges and reporting units,
and the users with their roles. Imported by ``screening.models``.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register

from screening import eligibility as rules
from screening import vocabulary
from screening.model_base import audit_history, measured, plain_decimal, reason_field
from screening.vocabulary import choices


# The units the Hangzhou site's laboratory reports in; an admin overrides one with ReferenceRange.reporting_unit.
SITE_REPORTING_UNITS = {
    "anc": "10*9/L", "platelets": "10*9/L", "haemoglobin": "g/L",
    "bilirubin": "umol/L", "alt": "U/L", "ast": "U/L", "creatinine": "umol/L",
}


class ReferenceRange(models.Model):
    """The site laboratory's upper limit of normal per test, unit and (where it differs) sex, and the unit it
    reports each test in.

    Both prefill the lab form visibly: a row of a test starts in the site's reporting unit with the ULN for the
    candidate's sex (a row without sex applies to both), marked "site default" until the coordinator confirms
    or overwrites it.
    """

    test = models.CharField(_("test"), max_length=12, choices=choices(rules.LAB_TESTS, vocabulary.LAB_TEST))
    unit = models.CharField(_("unit"), max_length=12)
    sex = models.CharField(_("sex"), max_length=6, choices=choices(rules.SEXES, vocabulary.SEX), blank=True,
                           help_text=_("Empty: the same limit for both sexes."))
    uln = measured(verbose_name=_("ULN"))
    reporting_unit = models.BooleanField(
        _("reporting unit"),
        default=False, help_text=_("The site's laboratory reports this test in this unit (one per test).")
    )

    history = audit_history()

    class Meta:
        verbose_name = _("reference range")
        verbose_name_plural = _("reference ranges")
        ordering = ["test", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["test", "unit", "sex"], name="reference_range_unique_test_unit_sex"),
            models.CheckConstraint(condition=Q(uln__isnull=True) | Q(uln__gt=0), name="reference_range_uln_positive"),
            models.UniqueConstraint(
                fields=["test"], condition=Q(reporting_unit=True), name="reference_range_one_reporting_unit"
            ),
        ]

    def __str__(self):
        return f"{self.test} {self.unit}{f' ({self.sex})' if self.sex else ''} ULN {plain_decimal(self.uln)}"

    def clean(self):
        if self.unit and self.unit not in rules.LAB_UNITS.get(self.test, ()):
            raise ValidationError({"unit": f"{self.unit} is not a unit of {self.test}: use one of "
                                           f"{', '.join(rules.LAB_UNITS.get(self.test, ()))}."})
        if self.uln is None and self.test in rules.ULN_REQUIRED:
            raise ValidationError({"uln": f"The {self.test} criterion compares with the ULN: give it."})


# Users and their roles (groups) are reference data edited in the admin: audited like the rest
# (the password hash and the last login time are not kept in the history).
register(User, app="screening", excluded_fields=["password", "last_login"], m2m_fields=["groups"],
         history_change_reason_field=reason_field())
