"""Free text (spec section 4, r2) and the pulmonary primary (section 3, r2)."""

import pytest

from screening.eligibility import Status, check_free_text, pulmonary_match
from screening.eligibility.text import primary_site_recorded

from .records import candidate, error, status



def diagnosis_status(site) -> Status:
    return status("diagnosis", candidate(diagnosis_fields={"primary_site": site}))


# --- the character set -------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-007")
@pytest.mark.parametrize(
    "text",
    ["pancreas", "Pancreas (head), 2 cm!", "胰腺", "直肠、乙状结肠", "“quoted” — dash", "Ménétrier", "Łódź", "ǅ",
     "ẞ", "ＬＵＮＧ", "１２", "胰腺　尾部", "a/b\\c~"],
)
def test_allowed_free_text(text):
    assert check_free_text(text) is None


@pytest.mark.requirement("URS-INPUT-007")
@pytest.mark.parametrize(
    "text, named",
    [
        ("lun\u0261", "U+0261"),  # IPA script g
        ("lung\u200b", "U+200B"),  # zero-width space
        ("pan\u00adcreas", "U+00AD"),  # soft hyphen
        ("\u202elung", "U+202E"),  # bidirectional override
        ("l\u0443ng", "U+0443"),  # Cyrillic u
        ("a\tb", "U+0009"),
        ("a\nb", "U+000A"),
        ("a\x00b", "U+0000"),
        ("٣", "U+0663"),  # Arabic-Indic digit
        ("liver ✓", "U+2713"),
        ("liver 😀", "U+1F600"),
        ("αβ", "U+03B1"),
        ("\ud800", "U+D800"),
    ],
)
def test_refused_free_text_names_the_character(text, named):
    problem = check_free_text(text)
    assert problem is not None and named in problem


@pytest.mark.requirement("URS-INPUT-007")
def test_a_refused_primary_site_is_bad_input_naming_the_field():
    assert error(candidate(diagnosis_fields={"primary_site": "lun\u0261"})).startswith("diagnosis.primary_site:")


@pytest.mark.requirement("URS-INPUT-007", "URS-CAND-003")
def test_free_text_is_checked_after_nfkc_but_kept_as_typed():
    from .records import parse_candidate

    record = parse_candidate(candidate(diagnosis_fields={"primary_site": "ｐａｎｃｒｅａｓ"}))
    assert record.diagnosis.primary_site == "ｐａｎｃｒｅａｓ"


# --- pulmonary primary -------------------------------------------------------------

PULMONARY = [
    "lung", "Lungs", "LUNG", "ＬＵＮＧ", "pulmonary", "bronchus", "bronchi", "bronchial", "bronchogenic",
    "bronchopulmonary", "SCLC", "nsclc", "left lung", "Lung (RUL)", "small-cell lung", "lung-based",
    "broncho-pulmonary", "non-SCLC", "extra-SCLC", "non-NSCLC", "right main bronchus", "C34", "C34.1", "C341",
    "C34.12", "ICD-O-3 C34.9", "c34", "右肺", "肺", "支气管", "支氣管", "肺外 and 肺", "肺外肺", "pancreas; lung",
    "lung/liver", "extrapulmonary, lung",
]
NOT_PULMONARY = [
    "pancreas", "extrapulmonary", "extra-pulmonary", "Extra-Pulmonary", "non-lung", "Non-Lung", "lunge", "lunging",
    "肺外", "肺外器官", "unknown", "C34A", "C34b", "AC34", "1C34", "C3", "C35.1", "bronchiole", "colon",
    "pulmonaryx", "xlung",
]


@pytest.mark.requirement("URS-ELIG-007")
@pytest.mark.parametrize("site", PULMONARY)
def test_pulmonary_primaries_fail(site):
    assert pulmonary_match(site) is not None
    assert diagnosis_status(site) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-007")
@pytest.mark.parametrize("site", NOT_PULMONARY)
def test_other_sites_are_not_pulmonary(site):
    assert pulmonary_match(site) is None
    assert diagnosis_status(site) is Status.PASS


@pytest.mark.requirement("URS-ELIG-007")
def test_c34_followed_by_a_digit_names_the_lung():
    # "not followed by a letter": C340 is ICD-O-3 C34.0 written without the dot
    assert pulmonary_match("C340") == "C34"
    assert pulmonary_match("C34x") is None


@pytest.mark.requirement("URS-ELIG-006")
@pytest.mark.parametrize("site", ["", "   ", "?", "-", "34", "n/a", "N/A", " na ", "TBD", "Not recorded", "待查", None])
def test_not_recorded_primary_sites_are_missing(site):
    assert primary_site_recorded(site) is False
    assert diagnosis_status(site) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-006")
def test_unknown_primary_is_a_recorded_site():
    assert primary_site_recorded("unknown") is True
    assert diagnosis_status("Unknown") is Status.PASS


@pytest.mark.requirement("URS-ELIG-007", "URS-ELIG-024")
def test_the_detail_names_the_pulmonary_word():
    from .records import result

    row = result("diagnosis", candidate(diagnosis_fields={"primary_site": "right main bronchus"}))
    assert "bronchus" in row.detail and "extrapulmonary" in row.detail
