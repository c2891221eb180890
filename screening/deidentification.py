"""How values leave the application (``Policy``): identified as stored, or de-identified with dates shifted by
one random offset per export or reduced to the month, ages 90+ grouped, digests keyed with the server's secret;
every value as a CSV/XLSX cell shows it (ISO dates, yes/no, formulas defused). ``screening.resources``
declares the export tables that pass their values through it.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_noop

from screening.eligibility import completed_years
from screening.models import plain_decimal

AS_STORED = gettext_noop("as stored")
SHIFT = "shift"
MONTH = "month"
DATE_TREATMENTS = {
    SHIFT: gettext_noop("shifted by a random number of days (one offset per export, 1–365 days earlier; intervals kept)"),
    MONTH: gettext_noop("reduced to the month (YYYY-MM)"),
}
AGE_TREATMENT = gettext_noop("completed years; 90 or older reads 90+")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DIGEST_KEY_SALT = "screening.resources.Policy.digest"  # where Policy was first defined: kept, digests stay the same
DIGEST_TREATMENT = gettext_noop("keyed with the server's secret (HMAC-SHA256 of the digest): cannot be recomputed "
                                "from the data")


@dataclass(frozen=True)
class Policy:
    """How values leave the application: identified, or de-identified with a date treatment."""

    deidentified: bool = True
    dates: str = SHIFT  # SHIFT or MONTH; ignored when identified
    shift_days: int = 0

    @classmethod
    def identified(cls):
        return cls(deidentified=False, dates="exact")

    @classmethod
    def deidentify(cls, dates=SHIFT):
        if dates not in DATE_TREATMENTS:
            raise ValueError(f"unknown date treatment {dates!r}")
        shift_days = -(secrets.randbelow(365) + 1) if dates == SHIFT else 0
        return cls(deidentified=True, dates=dates, shift_days=shift_days)

    @property
    def label(self):
        if not self.deidentified:
            return "identified"
        return f"de-identified, dates {DATE_TREATMENTS[self.dates]}"  # the about sheet's machine value

    def present(self, value):
        """One value as it appears in a CSV or XLSX cell."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Decimal):
            return plain_decimal(value)
        if isinstance(value, datetime):
            return self._datetime(value)
        if isinstance(value, date):
            return self._date(value)
        if isinstance(value, str) and value.startswith(FORMULA_START):
            return "'" + value
        return value

    def _date(self, value):
        if not self.deidentified:
            return value.isoformat()
        if self.dates == MONTH:
            return value.strftime("%Y-%m")
        return (value + timedelta(days=self.shift_days)).isoformat()

    def _datetime(self, value):
        value = timezone.localtime(value)
        if not self.deidentified:
            return value.isoformat(timespec="seconds")
        if self.dates == MONTH:
            return value.strftime("%Y-%m")
        return (value + timedelta(days=self.shift_days)).isoformat(timespec="seconds")

    def digest(self, value):
        """A digest of identified data: as stored when identified, else keyed with the server's secret."""
        if not value or not self.deidentified:
            return value
        return salted_hmac(DIGEST_KEY_SALT, value, algorithm="sha256").hexdigest()

    def age(self, born, on):
        if born is None or on is None:
            return None
        years = completed_years(born, on)
        return "90+" if self.deidentified and years >= 90 else years

    def treatment(self, kind):
        """How a column of this kind is treated in this export (for the data dictionary)."""
        if not self.deidentified:
            return AS_STORED
        if kind in ("date", "datetime"):
            return DATE_TREATMENTS[self.dates]
        if kind == "age":
            return AGE_TREATMENT
        if kind == "digest":
            return DIGEST_TREATMENT
        return AS_STORED
