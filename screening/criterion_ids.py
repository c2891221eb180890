"""The one codec for a list of criterion ids as an evaluation stores it: ``",anc,platelets,"``.

Leading and trailing commas let SQL find one id without matching another that contains it
(``failing__contains=contains("anc")``); an empty list is ``""``. The number of ids orders in SQL by
the number of commas (``count_key``: 0 for none, n + 1 for n ids).
"""

from django.db.models import Value
from django.db.models.functions import Length, Replace

SEPARATOR = ","


def encode(ids):
    """["anc", "platelets"] → ",anc,platelets,"; [] → ""."""
    ids = list(ids)
    return f"{SEPARATOR}{SEPARATOR.join(ids)}{SEPARATOR}" if ids else ""


def decode(text):
    """",anc,platelets," (or None, or "") → ["anc", "platelets"]."""
    return [id_ for id_ in (text or "").split(SEPARATOR) if id_]


def contains(id_):
    """The ``__contains`` argument that finds the list holding ``id_``."""
    return f"{SEPARATOR}{id_}{SEPARATOR}"


def count_key(field):
    """SQL sort key growing with the number of ids in the column ``field``."""
    return Length(field) - Length(Replace(field, Value(SEPARATOR), Value("")))
