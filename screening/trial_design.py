"""The trial's two-stage design and where it stands: pure arithmetic (its words go through gettext).

Protocol (NCT07077551): stage 1 enrols 12 subjects and the trial continues
if MORE THAN 6 of them reach 6-month disease-free survival (DFS); in total
28 subjects, and the regimen is promising if MORE THAN 19 of them do.

A stage's subjects are the first ``planned`` enrolled subjects in subject
number order (stage 1 = NLX-001 … NLX-012). "Pending" = the stage's planned
slots without a yes/no result: enrolled but not yet evaluable, plus slots
not yet enrolled. A stage

- has passed when responders ≥ needed (needed = more_than + 1);
- cannot pass any more when responders + pending < needed;
- is still possible otherwise.

The overall decision is "stopped" when stage 1 cannot pass any more: the
design stops for futility after stage 1, whatever later subjects show.
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

STAGE_1_SIZE = 12
STAGE_1_MORE_THAN = 6
TOTAL_SIZE = 28
TOTAL_MORE_THAN = 19

PASSED = "passed"
CANNOT_PASS = "cannot_pass"
POSSIBLE = "possible"
STOPPED = "stopped"

YES, NO, NOT_EVALUABLE = "yes", "no", "not_evaluable"
DFS_VALUES = (YES, NO, NOT_EVALUABLE)


@dataclass(frozen=True)
class StageDecision:
    name: str  # "Stage 1" or "Overall"
    planned: int
    more_than: int
    enrolled: int
    evaluated: int
    responders: int
    decision: str  # PASSED, CANNOT_PASS, POSSIBLE (or STOPPED, overall only)

    @property
    def needed(self):
        return self.more_than + 1

    @property
    def pending(self):
        return self.planned - self.evaluated

    @property
    def non_responders(self):
        return self.evaluated - self.responders

    @property
    def awaiting_assessment(self):
        return self.enrolled - self.evaluated

    @property
    def open_slots(self):
        return self.planned - self.enrolled

    @property
    def still_needed(self):
        return max(0, self.needed - self.responders)

    @property
    def label(self):
        """The stage's name in the reader's language."""
        return _("Stage 1") if self.name == "Stage 1" else _("Overall")

    @property
    def goal(self):
        return _("to continue") if self.name == "Stage 1" else _("to call the regimen promising")

    @property
    def verdict(self):
        """The decision in plain words, e.g. "still possible" or "Stage 1 passed"."""
        if self.name == "Stage 1":
            return {
                PASSED: _("Stage 1 passed"),
                CANNOT_PASS: _("Stage 1 cannot pass any more"),
                POSSIBLE: _("still possible"),
            }[self.decision]
        return {
            PASSED: _("regimen promising"),
            CANNOT_PASS: _("the regimen cannot be shown promising any more"),
            POSSIBLE: _("still possible"),
            STOPPED: _("stopped: stage 1 cannot pass any more"),
        }[self.decision]

    @property
    def headline(self):
        """A few words for the dashboard card's title."""
        if self.name == "Stage 1":
            return _("Stage 1 still possible") if self.decision == POSSIBLE else self.verdict
        return {
            PASSED: _("Regimen promising"),
            CANNOT_PASS: _("Regimen cannot be shown promising any more"),
            POSSIBLE: _("Overall: still possible"),
            STOPPED: _("Trial stops after stage 1"),
        }[self.decision]

    @property
    def summary(self):
        """"Stage 1: 9 of 12 enrolled, 5 evaluated, 4 reached 6-month DFS; 7 needed to continue; still possible"."""
        return _(
            "%(name)s: %(enrolled)s of %(planned)s enrolled, %(evaluated)s evaluated, "
            "%(responders)s reached 6-month DFS; %(needed)s needed %(goal)s; %(verdict)s"
        ) % {"name": self.label, "enrolled": self.enrolled, "planned": self.planned, "evaluated": self.evaluated,
             "responders": self.responders, "needed": self.needed, "goal": self.goal, "verdict": self.verdict}

    @property
    def explanation(self):
        if self.decision == POSSIBLE:
            return _(
                "%(still_needed)s more of the %(pending)s pending "
                "(%(awaiting)s awaiting assessment, %(open)s not yet enrolled) must reach 6-month DFS."
            ) % {"still_needed": self.still_needed, "pending": self.pending,
                 "awaiting": self.awaiting_assessment, "open": self.open_slots}
        if self.decision == PASSED:
            return _("%(responders)s reached 6-month DFS: more than %(more_than)s of %(planned)s.") % {
                "responders": self.responders, "more_than": self.more_than, "planned": self.planned}
        if self.decision == STOPPED:
            return _("The design stops for futility when stage 1 cannot pass.")
        return _(
            "Even if all %(pending)s pending reach 6-month DFS, at most %(most)s can: not more than %(more_than)s."
        ) % {"pending": self.pending, "most": self.responders + self.pending, "more_than": self.more_than}


def decide(*, planned, more_than, enrolled, evaluated, responders):
    """PASSED, CANNOT_PASS or POSSIBLE for one stage, from its counts."""
    if not 0 <= responders <= evaluated <= enrolled <= planned:
        raise ValueError(
            f"inconsistent counts: need 0 ≤ responders ({responders}) ≤ evaluated ({evaluated}) "
            f"≤ enrolled ({enrolled}) ≤ planned ({planned})"
        )
    pending = planned - evaluated
    if responders > more_than:
        return PASSED
    if responders + pending <= more_than:
        return CANNOT_PASS
    return POSSIBLE


def stage(name, planned, more_than, outcomes):
    """The decision for the first ``planned`` of ``outcomes`` (DFS values in subject-number order)."""
    counted = list(outcomes)[:planned]
    unknown = set(counted) - set(DFS_VALUES)
    if unknown:
        raise ValueError(f"unknown 6-month DFS value(s): {sorted(unknown)}")
    counts = {
        "planned": planned,
        "more_than": more_than,
        "enrolled": len(counted),
        "evaluated": sum(value in (YES, NO) for value in counted),
        "responders": counted.count(YES),
    }
    return StageDecision(name=name, decision=decide(**counts), **counts)


@dataclass(frozen=True)
class TrialStatus:
    stage_1: StageDecision
    overall: StageDecision
    beyond_target: int  # subjects enrolled after the 28th (admin override): not part of the design counts


def trial_status(outcomes):
    """Both decisions from the enrolled subjects' 6-month DFS values, in subject-number order."""
    outcomes = list(outcomes)
    stage_1 = stage("Stage 1", STAGE_1_SIZE, STAGE_1_MORE_THAN, outcomes)
    overall = stage("Overall", TOTAL_SIZE, TOTAL_MORE_THAN, outcomes)
    if stage_1.decision == CANNOT_PASS:
        overall = replace(overall, decision=STOPPED)
    return TrialStatus(stage_1=stage_1, overall=overall, beyond_target=max(0, len(outcomes) - TOTAL_SIZE))
