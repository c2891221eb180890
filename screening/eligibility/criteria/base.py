"""The shape of a criterion (like Django's password validators): a small
class per kind of rule that owns its parameters (read from the protocol
definition), evaluates a record, and builds its label from its parameters.

A rule reads from the protocol it is given only what every criterion
shares (``Context``): the lab window and the first dose's site date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar, Protocol

from ..display import plain, rounded
from ..facts import Fact, fact
from ..messages import english, render
from ..types import CandidateRecord, CriterionResult, Status, Verdict


class Context(Protocol):
    """What a rule may read from the protocol it is evaluated under."""

    lab_window_days: int

    def first_dose_date(self, record: CandidateRecord) -> date | None: ...


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter's type in the protocol file: ``integer`` (TOML integer),
    ``number`` (integer or decimal), ``choices`` (non-empty list of
    ``allowed``); all are non-negative, at most ``maximum`` when set."""

    type: str
    maximum: int | None = None
    allowed: tuple[str, ...] = ()


INTEGER = Param("integer")
NUMBER = Param("number")
PERCENT = Param("number", maximum=100)


class Criterion:
    """One row of the checklist. Subclasses set ``id`` (or ``ids`` for a
    class serving several rows), ``parameters`` and ``label_code``, and
    implement ``check``; ``validate`` checks relations between parameters."""

    id: str
    ids: ClassVar[tuple[str, ...]] = ()
    parameters: ClassVar[dict[str, Param]] = {}
    label_code: ClassVar[str]

    def __init__(self, criterion_id: str | None = None, **params):
        self.id = criterion_id or type(self).id
        self.params = dict(params)
        self.label_fact = fact(self.label_code, **self.label_values())
        self.label = render(self.label_fact)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and (other.id, other.params) == (self.id, self.params)

    def __hash__(self) -> int:
        return hash((type(self), self.id))

    @classmethod
    def validate(cls, params: dict) -> tuple[str, str] | None:
        """(parameter, problem) when the parameters contradict each other."""
        return None

    def label_values(self) -> dict:
        return self.params

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        raise NotImplementedError

    def evaluate(self, record: CandidateRecord, protocol: Context) -> CriterionResult:
        verdict = self.check(record, protocol)
        return CriterionResult(
            self.id,
            self.label,
            verdict.status,
            "; ".join(map(english, verdict.facts)),
            tuple(map(english, verdict.notes)),
            verdict.facts,
            verdict.notes,
            self.label_fact,
        )


def decide(fails: list[Fact], missing: list[Fact], passed: tuple[Fact, ...]) -> Verdict:
    """A failing part decides the row even when other parts are missing."""
    if fails:
        return Verdict(Status.FAIL, tuple(fails))
    if missing:
        return Verdict(Status.MISSING, tuple(missing))
    return Verdict(Status.PASS, passed)


def distinct(exact: Decimal, thresholds: tuple[Decimal, ...], places: int = 2) -> Decimal:
    """``exact`` rounded for display to ``places``, with more places while
    the rounded number would read as a threshold it is not equal to
    (``2.50025``, never ``2.5`` beside "above 2.5")."""
    shown = rounded(exact, places)
    while places < 12 and any(shown == limit != exact for limit in thresholds):
        places += 1
        shown = rounded(exact, places)
    return shown


def exact(value: Decimal) -> Decimal:
    """``value`` unchanged in amount, without trailing zeros or exponent (1.50 -> 1.5, 1E+2 -> 100)."""
    return Decimal(plain(value))
