"""Protocol definitions (spec section 7): the shipped file, strict
validation, labels built from parameters, the registry."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from screening.eligibility import (
    KINDS,
    PROTOCOL,
    ProtocolError,
    Registry,
    Status,
    default_registry,
    evaluate,
    load_protocol,
    parse_candidate,
)

from .records import PROTOCOL_FILE, candidate


SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "spec" / "protocol-1.0.toml"
SOURCE = PROTOCOL_FILE.read_text(encoding="utf-8")


def scratch(old: str, new: str, count: int = 1) -> str:
    assert old in SOURCE, old
    return SOURCE.replace(old, new, count)


def refused(text: str) -> str:
    with pytest.raises(ProtocolError) as caught:
        load_protocol(text.encode("utf-8"))
    return str(caught.value)


@pytest.mark.requirement("URS-PROT-001")
def test_the_shipped_protocol_is_byte_identical_to_the_shared_spec():
    assert SHARED.is_file(), f"shared protocol not found at {SHARED.resolve()}"
    assert PROTOCOL_FILE.read_bytes() == SHARED.read_bytes()


@pytest.mark.requirement("URS-PROT-001")
def test_version_1_0_as_read():
    assert (PROTOCOL.trial, PROTOCOL.version, PROTOCOL.effective_from) == ("NCT07077551", "1.0", date(2025, 4, 22))
    assert PROTOCOL.site_timezone == "Asia/Shanghai" and PROTOCOL.lab_window_days == 14
    assert len(PROTOCOL.sha256) == 64 and re.fullmatch("[0-9a-f]{64}", PROTOCOL.sha256)
    import hashlib

    assert PROTOCOL.sha256 == hashlib.sha256(PROTOCOL_FILE.read_bytes()).hexdigest()
    assert PROTOCOL.criterion("ecog").params == {"max": 1}
    assert PROTOCOL.criterion("anc").params == {"min": Decimal("1.5")}
    assert PROTOCOL.criterion("diagnosis").params["types"] == ("NEC", "NET_G3", "MINEN")
    assert [c.id for c in PROTOCOL.criteria] == list(KINDS)


# --- labels follow every parameter -----------------------------------------------------

LABEL_CHANGES = [
    ("age", "min_years = 18", "min_years = 21", "Age 21–75 years"),
    ("age", "max_years = 75", "max_years = 80", "Age 18–80 years"),
    ("diagnosis", 'types = ["NEC", "NET_G3", "MINEN"]', 'types = ["NEC"]', "NEN: NEC (MINEN"),
    ("diagnosis", 'confirmations = ["histological", "cytological"]', 'confirmations = ["cytological"]',
     "; cytological"),
    ("diagnosis", "minen_ne_component_above_percent = 30", "minen_ne_component_above_percent = 40", "NE > 40%"),
    ("prior_therapy", "lines = 1", "lines = 2", "Exactly 2 prior"),
    ("ecog", "max = 1", "max = 2", "ECOG performance status 0–2"),
    ("life_expectancy", "min_months = 3", "min_months = 6", "Life expectancy ≥ 6 months"),
    ("measurable_disease", "non_nodal_min_mm = 10", "non_nodal_min_mm = 12", "lesion ≥ 12 mm"),
    ("measurable_disease", "chest_xray_min_mm = 20", "chest_xray_min_mm = 25", "X-ray ≥ 25,"),
    ("measurable_disease", "nodal_short_axis_min_mm = 15", "nodal_short_axis_min_mm = 16", "node ≥ 16)"),
    ("measurable_disease", "imaging_window_days = 28", "imaging_window_days = 21", "imaged ≤ 21 days"),
    ("supportive_care_washout", "days = 14", "days = 7", "within 7 days"),
    ("anc", "min = 1.5", "min = 2.0", "≥ 2.0 ×10⁹/L"),
    ("platelets", "min = 100", "min = 75", "Platelet count ≥ 75 ×10⁹/L"),
    ("haemoglobin", "min = 8", "min = 9", "Haemoglobin ≥ 9 g/dL"),
    ("bilirubin", "max_uln = 1.5", "max_uln = 2", "Total bilirubin ≤ 2 × ULN"),
    ("alt", "max_uln = 2.5", "max_uln = 3", "ALT ≤ 3 × ULN"),
    ("alt", "max_uln_liver_metastases = 5", "max_uln_liver_metastases = 6", "≤ 6 × ULN with liver"),
    ("renal_function", "creatinine_max_uln = 1.5", "creatinine_max_uln = 1.25", "Creatinine ≤ 1.25 × ULN"),
    ("renal_function", "clearance_above = 60", "clearance_above = 50", "clearance > 50 mL/min"),
    ("pregnancy_test", "window_hours = 72", "window_hours = 48", "≤ 48 h before"),
]


@pytest.mark.requirement("URS-PROT-003")
@pytest.mark.parametrize("criterion_id, old, new, expected", LABEL_CHANGES, ids=lambda v: str(v)[:30])
def test_each_parameter_change_shows_in_the_label(criterion_id, old, new, expected):
    block_start = SOURCE.index(f'id = "{criterion_id}"')
    changed = SOURCE[:block_start] + SOURCE[block_start:].replace(old, new, 1)
    before = PROTOCOL.criterion(criterion_id).label
    after = load_protocol(changed.encode()).criterion(criterion_id).label
    assert expected in after and expected not in before


@pytest.mark.requirement("URS-PROT-003")
def test_every_parameter_of_version_1_0_has_a_label_test():
    tested = {(cid, old.split(" = ")[0]) for cid, old, _, _ in LABEL_CHANGES}
    every = {(c.id, name) for c in PROTOCOL.criteria for name in c.params if c.id != "ast"}
    assert every <= tested


@pytest.mark.requirement("URS-PROT-001")
def test_thresholds_of_an_amendment_change_the_verdict():
    amended = load_protocol(scratch("max = 1", "max = 2").replace('version = "1.0"', 'version = "1.1"').encode())
    record = parse_candidate(candidate(ecog=2))
    assert evaluate(record, PROTOCOL).result("ecog").status is Status.FAIL
    result = evaluate(record, amended)
    assert result.result("ecog").status is Status.PASS
    assert result.protocol_version == "1.1" and result.protocol_sha256 != PROTOCOL.sha256


@pytest.mark.requirement("URS-PROT-001", "URS-ELIG-001")
def test_a_criterion_left_out_disappears_from_the_checklist():
    source = SOURCE.replace('[[criterion]]\nid = "life_expectancy"\nmin_months = 3\n\n', "")
    protocol = load_protocol(source.encode())
    assert "life_expectancy" not in [c.id for c in protocol.criteria]
    assert [row.id for row in evaluate(parse_candidate(candidate()), protocol).criteria].count("ecog") == 1


@pytest.mark.requirement("URS-PROT-001", "URS-ELIG-020")
def test_a_scratch_lab_window_is_used():
    protocol = load_protocol(scratch("lab_window_days = 14", "lab_window_days = 2").encode())
    # base labs are collected 2026-02-27, screening 2026-03-02: 3 days
    assert evaluate(parse_candidate(candidate()), protocol).result("anc").status is Status.MISSING


# --- refusals name the table and key -------------------------------------------------------

REFUSALS = [
    (scratch('trial = "NCT07077551"\n', 'trial = "NCT07077551"\nsponsor = "x"\n'), "top level, key 'sponsor': unknown key"),
    (scratch('trial = "NCT07077551"\n', ""), "top level, key 'trial': missing"),
    (scratch('version = "1.0"', "version = 1.0"), "top level, key 'version': must be non-empty text"),
    (scratch("effective_from = 2025-04-22", 'effective_from = "2025-04-22"'), "key 'effective_from': must be a TOML date"),
    (scratch("effective_from = 2025-04-22", "effective_from = 2025-04-22T00:00:00"), "key 'effective_from'"),
    (scratch('site_timezone = "Asia/Shanghai"', 'site_timezone = "Asia/Hangzhou"'), "key 'site_timezone'"),
    (scratch('site_timezone = "Asia/Shanghai"', 'site_timezone = "../../etc/passwd"'), "key 'site_timezone'"),
    (scratch("lab_window_days = 14", "lab_window_days = 14.0"), "key 'lab_window_days': must be a TOML integer"),
    (scratch("lab_window_days = 14", "lab_window_days = -1"), "key 'lab_window_days': must not be negative"),
    (scratch('id = "ecog"', 'id = "karnofsky"'), "[[criterion]] #5 (id = 'karnofsky'), key 'id': unknown criterion 'karnofsky'"),
    (scratch('id = "ecog"', 'id = "age"'), "(id = 'age'), key 'id': criterion 'age' appears twice"),
    (scratch("max = 1", "max = 1\nmin = 0"), "(id = 'ecog'), key 'min': unknown parameter"),
    (scratch("max = 1\n", ""), "(id = 'ecog'), key 'max': missing parameter"),
    (scratch("max = 1", "max = 6"), "(id = 'ecog'), key 'max': must be at most 5"),
    (scratch("max = 1", "max = 1.0"), "(id = 'ecog'), key 'max': must be a TOML integer"),
    (scratch("max = 1", 'max = "1"'), "(id = 'ecog'), key 'max': must be an integer"),
    (scratch("max = 1", "max = true"), "(id = 'ecog'), key 'max': must be an integer"),
    (scratch("min = 1.5", "min = -1.5"), "(id = 'anc'), key 'min': must not be negative"),
    (scratch("min = 1.5", "min = nan"), "(id = 'anc'), key 'min'"),
    (scratch("minen_ne_component_above_percent = 30", "minen_ne_component_above_percent = 101"),
     "key 'minen_ne_component_above_percent': must be at most 100"),
    (scratch("min_years = 18", "min_years = 80"), "(id = 'age'), key 'min_years': 80 is above max_years 75"),
    (scratch("max_uln = 2.5", "max_uln = 6"), "(id = 'alt'), key 'max_uln': 6 is above max_uln_liver_metastases 5"),
    (scratch('types = ["NEC", "NET_G3", "MINEN"]', "types = []"), "key 'types': must be a non-empty list"),
    (scratch('types = ["NEC", "NET_G3", "MINEN"]', 'types = ["NEC", "SCLC"]'), "key 'types': 'SCLC' is not one of"),
    (scratch('confirmations = ["histological", "cytological"]', 'confirmations = "histological"'),
     "key 'confirmations': must be a non-empty list"),
    (scratch("window_hours = 72", "window_hours = 72\nwindow_days = 3"), "key 'window_days': unknown parameter"),
    (scratch('[[criterion]]\nid = "consent"\n', '[[criterion]]\nid = "consent"\nlabel = "Consent"\n'),
     "(id = 'consent'), key 'label': unknown parameter"),
    (SOURCE[: SOURCE.index("[[criterion]]")], "top level, key 'criterion': missing"),
    (SOURCE[: SOURCE.index("[[criterion]]")] + "criterion = []\n", "key 'criterion': at least one"),
    (SOURCE + "\n[[criterion]]\nmax = 1\n", "[[criterion]] #18, key 'id': is required"),
    ("trial = ", "not valid TOML"),
]


@pytest.mark.requirement("URS-PROT-002")
@pytest.mark.parametrize("text, expected", REFUSALS, ids=lambda v: v[-40:] if isinstance(v, str) else v)
def test_a_bad_protocol_file_is_refused_naming_table_and_key(text, expected):
    assert expected in refused(text)


@pytest.mark.requirement("URS-PROT-002")
def test_a_file_that_is_not_utf8_or_cannot_be_read_is_refused(tmp_path):
    with pytest.raises(ProtocolError, match="UTF-8"):
        load_protocol(b"\xff\xfe")
    with pytest.raises(ProtocolError, match="cannot read"):
        load_protocol(tmp_path / "absent.toml")


# --- registry --------------------------------------------------------------------------------

def amendment(version: str, effective: str):
    source = SOURCE.replace('version = "1.0"', f'version = "{version}"')
    return load_protocol(source.replace("effective_from = 2025-04-22", f"effective_from = {effective}").encode())


@pytest.mark.requirement("URS-PROT-005")
def test_the_version_in_force_is_the_latest_effective_on_or_before_the_day():
    registry = Registry([amendment("2.0", "2027-01-01"), PROTOCOL, amendment("1.1", "2026-06-01")])
    assert [p.version for p in registry.all()] == ["1.0", "1.1", "2.0"]
    assert registry.in_force(date(2025, 4, 22)).version == "1.0"
    assert registry.in_force(date(2026, 5, 31)).version == "1.0"
    assert registry.in_force(date(2026, 6, 1)).version == "1.1"
    assert registry.in_force(date(2030, 1, 1)).version == "2.0"
    with pytest.raises(ProtocolError):
        registry.in_force(date(2025, 4, 21))
    assert registry.get("1.1").version == "1.1"
    with pytest.raises(KeyError):
        registry.get("9.9")


@pytest.mark.requirement("URS-PROT-002")
def test_a_version_registered_twice_is_refused():
    with pytest.raises(ProtocolError):
        Registry([PROTOCOL, amendment("1.0", "2026-01-01")])


@pytest.mark.requirement("URS-PROT-001")
def test_the_default_registry_ships_version_1_0():
    registry = default_registry()
    assert registry.get("1.0").sha256 == PROTOCOL.sha256
    assert registry.current().version == "1.0"


@pytest.mark.requirement("URS-ELIG-026")
def test_criteria_do_not_import_the_protocol_module():
    package = PROTOCOL_FILE.parents[1] / "criteria"
    for path in package.glob("*.py"):
        assert "protocol import" not in path.read_text() and "from ..protocol" not in path.read_text(), path
