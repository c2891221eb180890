"""The requirements catalogue: the project's own file is valid; every malformed entry is refused by name."""

import re

import pytest

from tests.traceability import catalogue

pytestmark = pytest.mark.requirement("URS-VAL-001")

GOOD = {"id": "URS-ELIG-001", "text": "Consent is checked.", "source": "eligibility.md §3", "risk": "patient safety"}


def yaml_of(*entries):
    import yaml

    return yaml.safe_dump({"requirements": list(entries)}, allow_unicode=True)


def test_the_project_catalogue_is_valid_and_covers_every_area():
    requirements = catalogue.load()
    areas = {requirement.area for requirement in requirements.values()}
    assert {"ELIG", "INPUT", "ROLE", "AUDIT", "SIGN", "IMM", "EXP", "SEC", "OPS", "PROT", "I18N", "LAB",
            "QRY", "SDV", "WQ"} <= areas
    assert all(requirement.risk in catalogue.RISKS for requirement in requirements.values())


def test_a_good_entry_is_read_with_its_text_normalised():
    requirement = catalogue.parse(yaml_of({**GOOD, "text": "Consent   is\nchecked."}))["URS-ELIG-001"]
    assert requirement.text == "Consent is checked." and requirement.gated and requirement.area == "ELIG"


@pytest.mark.parametrize("risk, planned, gated", [
    ("patient safety", None, True), ("data integrity", None, True), ("usability", None, False),
    ("patient safety", 10, False),
])
def test_only_active_patient_safety_and_data_integrity_requirements_are_gated(risk, planned, gated):
    entry = {**GOOD, "risk": risk} | ({"planned": planned} if planned else {})
    assert catalogue.parse(yaml_of(entry))["URS-ELIG-001"].gated is gated


@pytest.mark.parametrize("entry, message", [
    ({**GOOD, "id": "ELIG-1"}, "requirements[0] (ELIG-1).id: must look like URS-AREA-001"),
    ({**GOOD, "risk": "cosmetic"}, ".risk: one of patient safety, data integrity, usability"),
    ({**GOOD, "text": "No full stop"}, ".text: one sentence"),
    ({**GOOD, "source": " "}, ".source: required text"),
    ({k: v for k, v in GOOD.items() if k != "text"}, ".text: required text"),
    ({**GOOD, "owner": "me"}, "unknown key 'owner'"),
    ({**GOOD, "planned": "soon"}, ".planned: the number of the open issue"),
    ({**GOOD, "planned": True}, ".planned: the number of the open issue"),
    ("URS-ELIG-001", "requirements[0]: not a mapping"),
    ({**GOOD, "engines": "postgresql"}, ".engines: a list of distinct database engines"),
    ({**GOOD, "engines": []}, ".engines: a list of distinct database engines"),
    ({**GOOD, "engines": ["sqlite", "sqlite"]}, ".engines: a list of distinct database engines"),
])
def test_a_malformed_entry_is_refused_naming_it(entry, message):
    with pytest.raises(catalogue.CatalogueError, match=re.escape(message)):
        catalogue.parse(yaml_of(entry))


def test_a_duplicate_id_is_refused():
    with pytest.raises(catalogue.CatalogueError, match=r"requirements\[1\].id: URS-ELIG-001 is listed twice"):
        catalogue.parse(yaml_of(GOOD, GOOD))


@pytest.mark.parametrize("text", ["", "requirements: 3", "- a\n- b", "requirements: [\n"])
def test_a_file_without_a_requirements_list_is_refused(text):
    with pytest.raises(catalogue.CatalogueError):
        catalogue.parse(text)
