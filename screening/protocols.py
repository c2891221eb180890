"""The protocol versions the application evaluates under (spec section 7), Django side.

The engine reads protocol definitions (``screening.eligibility.load_protocol``)
and answers which version is in force on a day (``Registry``). This module
chooses the directories (``settings.PROTOCOL_DIRS``, default the engine
package's own ``protocols/``; tests add a test-only version there) and the
rule for a candidate:

- still in screening: the version in force on the day of the evaluation
  (site time zone);
- enrolled or closed: the version of its last evaluation, so a data
  correction never re-judges an enrolled subject under a later amendment.

Views, services, selectors and commands ask here, never the engine's default
registry, so everything in the application uses the same versions.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from screening.eligibility import ProtocolError, Registry
from screening.eligibility import PROTOCOLS_DIR

__all__ = [
    "ProtocolError", "all_criteria", "criterion_choices", "directories", "for_candidate", "get", "in_force", "newest", "registry", "today",
]


@cache
def directories():
    return tuple(Path(directory) for directory in getattr(settings, "PROTOCOL_DIRS", None) or (PROTOCOLS_DIR,))


@cache
def registry():
    """Every registered version, oldest ``effective_from`` first (``.all()``, ``.get()``, ``.in_force()``).

    Read from the files once per process; a changed ``PROTOCOL_DIRS`` (``override_settings``, pytest-django's
    ``settings`` fixture) reads them again."""
    return Registry.from_directories(*directories())


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "PROTOCOL_DIRS":
        directories.cache_clear()
        registry.cache_clear()


def today():
    """Today in the site's time zone (the newest version's ``site_timezone``)."""
    return newest().today()


def in_force(day=None):
    """The version in force on ``day`` (default: today, site time zone); ``ProtocolError`` when none."""
    return registry().in_force(day or today())


def get(version):
    """The registered version ``version``; ``ProtocolError`` when it is not (or no longer) registered."""
    try:
        return registry().get(version)
    except KeyError:
        raise ProtocolError(f"protocol version {version!r} is not registered") from None


def newest():
    """The registered version with the latest ``effective_from`` (perhaps not yet in force)."""
    versions = registry().all()
    if not versions:
        raise ProtocolError("no protocol version is registered")
    return versions[-1]


def for_candidate(candidate):
    """The version ``candidate`` is evaluated under now (see the module docstring)."""
    if candidate.pk and candidate.is_closed and candidate.latest_evaluation is not None:  # closed first: no query
        return get(candidate.latest_evaluation.protocol_version)
    return in_force()


def all_criteria():
    """Every criterion of any registered version, once: the newest version's, in its order, then those only
    older versions have (for filters, tallies and export columns that span evaluations of several versions)."""
    seen = {}
    for protocol in reversed(registry().all()):
        for criterion in protocol.criteria:
            seen.setdefault(criterion.id, criterion)
    return tuple(seen.values())


def criterion_choices():
    """(id, label) of ``all_criteria()``, for filter choices; labels in the reader's language."""
    from screening import vocabulary

    return vocabulary.criterion_choices(all_criteria())
