"""One source row -> one entry or a rejection: the LIS mapping table, every LOINC code, every reason."""

import importlib
from datetime import date
from decimal import Decimal

import pytest

from screening.labimport.headers import header_key
from screening.labimport.loinc import LOINC, Target
from screening.labimport.mapping import map_row
from screening.labimport.readers import SourceRow

pytestmark = pytest.mark.requirement("URS-LAB-001", "URS-LAB-002")

SEED = importlib.import_module("screening.migrations.0007_seed_lab_test_mappings").SEED
TABLE = {header_key(name): Target(kind, test or None, specimen or None) for name, kind, test, specimen in SEED}
SITE = "Asia/Shanghai"


def lookup(name):
    return TABLE.get(header_key(name))


def lis(**cells):
    defaults = {"name": "血小板计数", "value": "120", "unit": "10^9/L", "range": "125-350",
                "collected": "2026-02-27 08:30"}
    return map_row(SourceRow("line 2", cells={**defaults, **cells}), lookup=lookup, site_zone=SITE)


# --- the mapping table seed (lab-import.md) -------------------------------------

@pytest.mark.parametrize(("name", "test"), [
    ("中性粒细胞绝对值", "anc"), ("NEUT#", "anc"), ("血小板计数", "platelets"), ("PLT", "platelets"),
    ("血红蛋白", "haemoglobin"), ("HGB", "haemoglobin"), ("Hb", "haemoglobin"), ("总胆红素", "bilirubin"),
    ("TBIL", "bilirubin"), ("丙氨酸氨基转移酶", "alt"), ("谷丙转氨酶", "alt"), ("ALT", "alt"),
    ("天门冬氨酸氨基转移酶", "ast"), ("谷草转氨酶", "ast"), ("AST", "ast"), ("肌酐", "creatinine"),
    ("CREA", "creatinine"), ("Cr", "creatinine"),
])
def test_each_seeded_lab_name(name, test):
    unit = {"haemoglobin": "g/L", "bilirubin": "μmol/L", "alt": "U/L", "ast": "U/L",
            "creatinine": "μmol/L"}.get(test, "10^9/L")
    row = lis(name=name, unit=unit, range="0-40")
    assert (row.reason, row.kind, row.test, row.unit) == (None, "lab", test, unit.replace("μ", "u").replace(
        "10^9", "10*9"))


@pytest.mark.parametrize(("name", "specimen"), [("β-HCG", "serum"), ("人绒毛膜促性腺激素", "serum"), ("尿妊娠试验", "urine")])
def test_each_seeded_pregnancy_name(name, specimen):
    row = lis(name=name, value="阴性", unit="", range="", collected="2026-03-08 10:30")
    assert (row.reason, row.kind, row.specimen, row.result) == (None, "pregnancy_test", specimen, "negative")
    assert row.instant.isoformat() == "2026-03-08T10:30:00+08:00"


@pytest.mark.parametrize("name", ["中性粒细胞百分比", "NEUT%", "neut%"])
def test_percentages_are_rejected_never_counts(name):
    row = lis(name=name, value="62.5", unit="%")
    assert "percentage" in row.reason and row.test is None


def test_a_percent_unit_is_rejected_even_under_a_count_name():
    assert "percentage" in lis(name="NEUT#", value="62.5", unit="%").reason


def test_names_match_case_insensitively_and_full_width():
    assert lis(name="plt").test == "platelets"
    assert lis(name="ＰＬＴ").test == "platelets"


def test_unmapped_name_is_rejected_not_guessed():
    assert lis(name="血小板").reason == "no mapping for '血小板'"
    assert lis(name="PLT-2").reason == "no mapping for 'PLT-2'"


def test_code_preferred_then_name():
    assert lis(code="PLT", name="未知").test == "platelets"
    assert lis(code="X1", name="血小板计数").test == "platelets"
    assert lis(code="X1", name="Y1").reason == "no mapping for 'X1' ('Y1')"


def test_code_and_name_that_disagree_are_rejected():
    assert "different tests" in lis(code="PLT", name="血红蛋白").reason


# --- every rejection reason of an LIS row ----------------------------------------

@pytest.mark.parametrize(("cells", "reason"), [
    ({"name": ""}, "no test code or name"),
    ({"value": ""}, "no value"),
    ({"value": "<10"}, "value '<10' is not a number"),
    ({"unit": ""}, "no unit"),
    ({"unit": "mg/L"}, "unit 'mg/L' is not a unit the import knows"),
    ({"range": "11-16 g/dL", "name": "HGB", "unit": "g/L", "value": "112"},
     "reference range unit 'g/dL' differs from the result's unit 'g/L'"),
    ({"range": "男 0-40; 女 0-35"}, "reference range '男 0-40; 女 0-35' is not understood"),
    ({"collected": ""}, "no collection time"),
    ({"collected": "27/02/2026"}, "collection time '27/02/2026' is not a date"),
    ({"specimen": "尿液"}, "a urine result is not the blood test"),
    ({"value": "=cmd|' /C calc'!A0"}, "is not a number"),
])
def test_lis_rejections(cells, reason):
    assert reason in lis(**cells).reason


def test_pregnancy_rejections():
    base = {"name": "β-HCG", "unit": "", "range": "", "collected": "2026-03-08 10:30"}
    assert "has no time of day" in lis(**base | {"value": "阴性", "collected": "2026-03-08"}).reason
    assert "neither positive" in lis(**base | {"value": "弱阳性"}).reason
    assert "is a number" in lis(**base | {"value": Decimal("2.1")}).reason
    assert "does not match a serum" in lis(**base | {"value": "阴性", "specimen": "尿"}).reason
    assert lis(**base | {"value": "阳性", "specimen": "血清"}).result == "positive"


def test_formula_cells_are_rejected_not_evaluated():
    row = map_row(SourceRow("row 3", cells={"name": "PLT", "value": "=1+1", "unit": "10^9/L",
                                            "collected": "2026-02-27"}, formulas=frozenset({"value"})),
                  lookup=lookup, site_zone=SITE)
    assert "formula" in row.reason


def test_flags_are_read_and_kept():
    row = lis(value="45↑", name="ALT", unit="U/L", range="7-40")
    assert (row.value, row.flag, row.uln) == (Decimal(45), "H", Decimal(40))


def test_reported_time_used_only_without_a_collection_column():
    cells = {"name": "PLT", "value": "120", "unit": "10^9/L", "reported": "2026-02-28 10:00"}
    row = map_row(SourceRow("line 2", cells=cells), lookup=lookup, site_zone=SITE)
    assert row.collected == date(2026, 2, 28)


def test_lab_collected_is_the_site_date():
    assert lis(collected="2026-02-26T23:30:00Z").collected == date(2026, 2, 27)


# --- FHIR Observations ------------------------------------------------------------

def observation(loinc="777-3", **changes):
    resource = {
        "resourceType": "Observation", "id": "o1", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "effectiveDateTime": "2026-02-27T08:30:00+08:00",
        "valueQuantity": {"value": Decimal("120"), "unit": "10^9/L"},
    }
    resource.update(changes)
    resource = {key: value for key, value in resource.items() if value is not None}
    return map_row(SourceRow("Observation/o1", resource=resource), lookup=lookup, site_zone=SITE)


LAB_CODES = [(code, target.test) for code, target in LOINC.items() if target.kind == "lab"]


@pytest.mark.parametrize(("code", "test"), LAB_CODES)
def test_each_lab_loinc_code(code, test):
    row = observation(code)
    assert (row.kind, row.test) == ("lab", test)


def test_the_loinc_table_is_the_contracts():
    assert {code for code, _ in LAB_CODES} == {
        "751-8", "753-4", "26499-4", "777-3", "26515-7", "718-7", "59260-0", "1975-2", "14631-6",
        "1742-6", "1743-4", "1920-8", "30239-8", "2160-0", "14682-9"}


@pytest.mark.parametrize("code", ["770-8", "23761-0"])
def test_percent_loinc_codes_are_rejected(code):
    assert "percent" in observation(code).reason


def test_no_loinc_coding_or_unknown_code():
    assert observation("2345-7").reason == "no known LOINC code (LOINC codes: 2345-7)"
    no_loinc = observation(code={"coding": [{"system": "http://example.org/lis", "code": "PLT"}]})
    assert no_loinc.reason == "no known LOINC code (LOINC codes: none)"


@pytest.mark.parametrize("status", ["final", "amended", "corrected"])
def test_imported_statuses(status):
    assert observation(status=status).reason is None


@pytest.mark.parametrize("status", ["preliminary", "registered", "cancelled", "entered-in-error", "unknown"])
def test_other_statuses_are_rejected_with_the_status(status):
    assert observation(status=status).reason.startswith(f"status '{status}'")


def test_value_code_preferred_to_unit_text_and_exact():
    row = observation(valueQuantity={"value": Decimal("1.50"), "unit": "×10⁹/L",
                                     "system": "http://unitsofmeasure.org", "code": "10*9/L"})
    assert (str(row.value), row.unit) == ("1.50", "10*9/L")


def test_reference_range_high_is_the_uln_and_its_unit_must_match():
    ok = observation(referenceRange=[{"high": {"value": Decimal("350"), "unit": "10^9/L"}}])
    assert ok.uln == Decimal(350)
    bad = observation(referenceRange=[{"high": {"value": Decimal("35"), "unit": "10^10/L"}}])
    assert "reference range unit" in bad.reason


def test_collected_from_period_then_issued():
    period = observation(effectiveDateTime=None, effectivePeriod={"start": "2026-02-26T08:00:00+08:00"})
    assert period.collected == date(2026, 2, 26)
    issued = observation(effectiveDateTime=None, issued="2026-02-25T08:00:00+08:00")
    assert issued.collected == date(2026, 2, 25)
    assert "no effectiveDateTime" in observation(effectiveDateTime=None).reason


def test_fhir_value_problems():
    assert "no value" in observation(valueQuantity=None).reason
    assert "not an exact result" in observation(
        valueQuantity={"value": Decimal("0.5"), "comparator": "<", "unit": "10^9/L"}).reason
    assert "no unit" in observation(valueQuantity={"value": Decimal("120")}).reason


def test_structurally_invalid_observation_is_rejected_by_the_fhir_model():
    row = observation(valueQuantity={"value": "lots", "unit": "10^9/L"})
    assert row.reason.startswith("not a valid FHIR Observation: valueQuantity.value")
    assert observation(unknownElement=1).reason.startswith("not a valid FHIR Observation")
    assert observation(effectiveDateTime="2026-02-27T08:30:00").reason.startswith("not a valid FHIR")


SNOMED = "http://snomed.info/sct"


def pregnancy(loinc="2118-8", **changes):
    return observation(loinc, **({"valueQuantity": None, "effectiveDateTime": "2026-03-08T10:30:00+08:00"} | changes))


@pytest.mark.parametrize(("snomed", "result"), [("10828004", "positive"), ("260385009", "negative")])
def test_qualitative_pregnancy_by_snomed(snomed, result):
    row = pregnancy(valueCodeableConcept={"coding": [{"system": SNOMED, "code": snomed}]})
    assert (row.kind, row.specimen, row.result) == ("pregnancy_test", "serum", result)


@pytest.mark.parametrize(("flag", "result"), [("POS", "positive"), ("A", "positive"), ("NEG", "negative"),
                                              ("N", "negative")])
def test_pregnancy_by_interpretation(flag, result):
    row = pregnancy("2106-3", interpretation=[{"coding": [{"code": flag}]}])
    assert (row.specimen, row.result) == ("urine", result)


@pytest.mark.parametrize("code", ["21198-7", "19080-1"])
def test_quantitative_hcg_needs_an_interpretation(code):
    numbers = pregnancy(code, valueQuantity={"value": Decimal("1.2"), "unit": "mIU/mL"})
    assert "quantitative hCG" in numbers.reason
    row = pregnancy(code, valueQuantity={"value": Decimal("1.2"), "unit": "mIU/mL"},
                    interpretation=[{"coding": [{"code": "NEG"}]}])
    assert (row.reason, row.result, row.specimen) == (None, "negative", "serum")


def test_pregnancy_contradiction_and_missing_result_and_date_only():
    both = pregnancy(valueCodeableConcept={"coding": [{"system": SNOMED, "code": "10828004"}]},
                     interpretation=[{"coding": [{"code": "NEG"}]}])
    assert "both positive and negative" in both.reason
    assert "no positive/negative result" in pregnancy().reason
    day_only = pregnancy(effectiveDateTime="2026-03-08",
                         valueCodeableConcept={"coding": [{"system": SNOMED, "code": "260385009"}]})
    assert "exact time" in day_only.reason
