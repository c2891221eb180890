"""Facts and their English rendering (CONTRACTS.md)."""

import pytest
import json
import re
import string
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from screening.eligibility import MESSAGES, TERMS, Fact, render
from screening.eligibility.messages import VOCABULARY

from .records import candidate, evaluation, lab, lesion, pregnancy, with_labs



def sample_evaluations():
    records = [
        candidate(),
        candidate(ecog=3, consent_signed_on="2026-03-05", lesions=[lesion(method="CALIPER")], sex="male"),
        candidate(date_of_birth=None, diagnosis=None, lesions=None, transfusion_or_growth_factor=None, labs=None),
        candidate(pregnancy_tests=[pregnancy("positive", "2026-03-09T08:00:00+08:00", "urine")]),
        with_labs(lab("creatinine", "2.0", "mg/dL", "1.0"), lab("haemoglobin", "75", "g/L"), weight_kg="80"),
    ]
    return [evaluation(record) for record in records]


@pytest.mark.requirement("URS-ELIG-024", "URS-I18N-002")
def test_every_fact_used_has_an_english_template_with_its_fields():
    for result in sample_evaluations():
        for row in result.criteria:
            for fact in (*row.facts, *row.note_facts, row.label_fact):
                fields = {name for _, name, _, _ in string.Formatter().parse(MESSAGES[fact.code]) if name}
                assert fields <= {name for name, _ in fact.values}, fact.code


@pytest.mark.requirement("URS-ELIG-024")
def test_details_are_the_english_rendering_of_the_facts():
    for result in sample_evaluations():
        for row in result.criteria:
            assert row.detail == "; ".join(render(fact) for fact in row.facts)
            assert row.notes == tuple(render(fact) for fact in row.note_facts)
            assert row.label == render(row.label_fact)


@pytest.mark.requirement("URS-I18N-002")
def test_facts_round_trip_through_json_and_render_the_same():
    for result in sample_evaluations():
        for row in result.criteria:
            for fact in row.facts:
                stored = json.loads(json.dumps(fact.as_json()))
                assert render(Fact.from_json(stored)) == render(fact)


@pytest.mark.requirement("URS-I18N-002")
def test_json_values_are_json_safe_text():
    fact = Fact("lab.min_pass", (("test", "anc"), ("value", Decimal("1E+3")), ("unit", "/uL"), ("min", Decimal("1.5")),
                                 ("min_unit", "10*9/L"), ("collected", date(2026, 3, 1))))
    assert fact.as_json() == {"code": "lab.min_pass", "values": {
        "test": "anc", "value": "1000", "unit": "/uL", "min": "1.5", "min_unit": "10*9/L", "collected": "2026-03-01"}}
    moment = Fact("pregnancy.valid_until", (("until", datetime(2026, 3, 10, 9, tzinfo=timezone(timedelta(hours=8)))),))
    assert moment.as_json()["values"]["until"] == "2026-03-10 09:00 +08:00"


@pytest.mark.requirement("URS-I18N-002")
def test_vocabulary_values_go_through_terms_and_translate():
    fact = Fact("lab.min_fail", (("test", "anc"), ("value", Decimal("1.2")), ("unit", "10*9/L"), ("min", Decimal("1.5")),
                                 ("min_unit", "10*9/L"), ("collected", date(2026, 3, 1))))
    assert render(fact) == "ANC 1.2 ×10⁹/L < 1.5 ×10⁹/L (collected 2026-03-01)"
    seen = []
    render(fact, translate=lambda text: seen.append(text) or text)
    assert MESSAGES["lab.min_fail"] in seen and TERMS["anc"] in seen and TERMS["10*9/L"] in seen


@pytest.mark.requirement("URS-I18N-001")
def test_templates_and_terms_are_wrapped_for_makemessages():
    engine = __import__("pathlib").Path(__file__).resolve().parents[2] / "screening" / "eligibility"
    source = "".join((engine / name).read_text() for name in ("messages.py", "terms.py"))  # templates, terms
    assert "from django" not in source
    wrapped = re.findall(r'_\(\s*"', source)
    assert len(wrapped) >= len(MESSAGES) + len(TERMS)
    assert all(isinstance(name, str) for name in VOCABULARY)


@pytest.mark.requirement("URS-ELIG-024", "URS-CALC-003")
def test_a_ratio_next_to_its_threshold_is_never_rounded_onto_it():
    row = evaluation(with_labs(lab("alt", "100.01", "U/L", "40"))).result("alt")
    assert "2.50025 × ULN" in row.detail or "2.5002 × ULN" in row.detail
    assert "= 2.5 × ULN" not in row.detail
    row = evaluation(with_labs(lab("alt", "100", "U/L", "40"))).result("alt")
    assert "= 2.5 × ULN" in row.detail


def test_equal_instants_in_two_offsets_render_as_written_each_time():
    """Aware datetimes of the same instant compare equal; their texts must not be shared (a fact-keyed cache did)."""
    from screening.eligibility.messages import english

    utc = datetime(2026, 6, 11, 12, 0, tzinfo=timezone.utc)
    minus_five = utc.astimezone(timezone(timedelta(hours=-5)))
    assert utc == minus_five
    texts = [english(Fact("pregnancy.valid_until", (("until", moment),))) for moment in (minus_five, utc, minus_five)]
    assert texts == ["serum test valid until 2026-06-11 07:00 -05:00", "serum test valid until 2026-06-11 12:00 +00:00",
                     "serum test valid until 2026-06-11 07:00 -05:00"]
    assert [render(Fact("pregnancy.valid_until", (("until", utc),)))] == [texts[1]]
