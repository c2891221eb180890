"""The kinds of rule, one class per kind; ``KINDS`` maps each criterion id
of the spec to the class that implements it (a protocol definition
configures them, ``protocol.py`` reads it)."""

from .base import Criterion
from .demographics import Age, Consent
from .disease import Diagnosis, PriorTherapy
from .labs import Bilirubin, MinimumCount, RenalFunction, Transaminase
from .lesions import MeasurableDisease
from .reproductive import Contraception, PregnancyTestCriterion
from .status import Ecog, LifeExpectancy
from .washout import SupportiveCareWashout

_CLASSES = (
    Consent, Age, Diagnosis, PriorTherapy, Ecog, LifeExpectancy, MeasurableDisease, SupportiveCareWashout,
    MinimumCount, Bilirubin, Transaminase, RenalFunction, PregnancyTestCriterion, Contraception,
)

KINDS: dict[str, type[Criterion]] = {
    criterion_id: cls for cls in _CLASSES for criterion_id in (cls.ids or (cls.id,))
}

__all__ = ["KINDS", "Criterion"]
