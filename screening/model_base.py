"""Building blocks of the screening models: field kinds, value helpers, the audit trail, immutable records."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


def plain_decimal(value):
    """A Decimal without the trailing zeros the database column adds (2.10000 -> 2.1)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def iso_datetime(value):
    """An aware datetime as ISO 8601 in the site's timezone (keeps the offset)."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat()


NON_NEGATIVE = [MinValueValidator(Decimal(0))]


def measured(**options):
    """A measured value: 6 decimal places below 10⁹, every number the engine accepts (spec section 5)."""
    options.setdefault("null", True)
    options.setdefault("blank", options["null"])
    return models.DecimalField(max_digits=15, decimal_places=6, **options)


def reason_field():
    """simple_history's reason-for-change column, of any length (its default holds 100 characters)."""
    return models.TextField(null=True)


def audit_history(**options):
    """django-simple-history with a reason for change of any length."""
    return HistoricalRecords(history_change_reason_field=reason_field(), **options)


def mark_change(instance, *, reason, user):
    """What simple_history records with the instance's next save or delete: the reason and the user
    (also outside a request: commands, imports)."""
    instance._change_reason = reason
    if user is not None:
        instance._history_user = user


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(f"{self.model.__name__} rows are immutable.")

    def delete(self):
        raise PermissionError(f"{self.model.__name__} rows are immutable.")


class ImmutableModel(models.Model):
    """Written once, never updated or deleted (GCP: evaluations and signatures are records)."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError(f"{type(self).__name__} rows are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows are immutable.")
