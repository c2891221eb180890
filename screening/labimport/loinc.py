"""LOINC codes -> what a FHIR Observation holds (lab-import.md, "LOINC"); ``Target`` is also what a row of
the LIS mapping table points to."""

from __future__ import annotations

from dataclasses import dataclass

LOINC_SYSTEM = "http://loinc.org"


@dataclass(frozen=True)
class Target:
    kind: str                   # "lab", "pregnancy_test" or "percentage" (always rejected)
    test: str | None = None     # a lab test of the engine
    specimen: str | None = None  # a pregnancy test's specimen
    quantitative: bool = False  # a quantitative hCG: imported only with a POS/NEG interpretation


LOINC = {
    "751-8": Target("lab", "anc"), "753-4": Target("lab", "anc"), "26499-4": Target("lab", "anc"),
    "777-3": Target("lab", "platelets"), "26515-7": Target("lab", "platelets"),
    "718-7": Target("lab", "haemoglobin"), "59260-0": Target("lab", "haemoglobin"),
    "1975-2": Target("lab", "bilirubin"), "14631-6": Target("lab", "bilirubin"),
    "1742-6": Target("lab", "alt"), "1743-4": Target("lab", "alt"),
    "1920-8": Target("lab", "ast"), "30239-8": Target("lab", "ast"),
    "2160-0": Target("lab", "creatinine"), "14682-9": Target("lab", "creatinine"),
    "2118-8": Target("pregnancy_test", specimen="serum"),
    "21198-7": Target("pregnancy_test", specimen="serum", quantitative=True),
    "19080-1": Target("pregnancy_test", specimen="serum", quantitative=True),
    "2106-3": Target("pregnancy_test", specimen="urine"),
    "770-8": Target("percentage"), "23761-0": Target("percentage"),
}
