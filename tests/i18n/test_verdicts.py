"""Verdicts in the reader's language, rendered from the engine's facts (message code + values), for live
previews, for new evaluations and for evaluations stored earlier; the numbers and dates are the same."""

import re

import pytest

from screening import verdicts
from screening.eligibility import MESSAGES, TERMS
from screening.models import Evaluation
from tests.conftest import eligible_record, with_lab
from tests.i18n.conftest import PO

pytestmark = pytest.mark.requirement("URS-I18N-002")
NUMBERS = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture
def ineligible(make_candidate):
    return make_candidate(**with_lab(eligible_record(screening_number="NLX-S-004"), "platelets", value="95"))


def test_every_engine_message_and_term_is_in_the_catalogue():
    import polib

    translated = {entry.msgid for entry in polib.pofile(str(PO)) if entry.msgstr}
    missing = [text for text in (*MESSAGES.values(), *TERMS.values()) if text not in translated]
    assert not missing, missing


def test_stored_evaluation_reads_in_chinese_with_the_same_numbers(chinese, ineligible):
    evaluation = ineligible.latest_evaluation
    row = next(row for row in evaluation.criteria if row["id"] == "platelets")
    assert row["facts"] and row["label_fact"]
    chinese_label, chinese_detail = verdicts.label(row), verdicts.detail(row)
    assert chinese_label.startswith("血小板计数 ≥ 100")
    assert "血小板计数 95 ×10⁹/L < 100" in chinese_detail and "（采集于 2026-02-27）" in chinese_detail
    assert NUMBERS.findall(chinese_detail) == NUMBERS.findall(row["detail"])  # the same values, in order


def test_english_rendering_of_the_facts_is_the_stored_detail(ineligible):
    for row in ineligible.latest_evaluation.criteria:
        assert verdicts.detail(row) == row["detail"], row["id"]
        assert verdicts.label(row) == row["label"], row["id"]
        assert [verdicts.render(fact) for fact in verdicts.facts(row, "note_facts") or ()] == row["notes"], row["id"]


def test_checklist_page_in_chinese_has_no_english_details(chinese, client_for, ineligible):
    from tests.i18n.pages import leftover_english
    from tests.i18n.test_pages import DATA

    html = client_for("monitor").get("/candidates/NLX-S-004/").content.decode()
    assert "血小板计数 95 ×10⁹/L &lt; 100" in html
    assert '血清妊娠试验有效至 <span class="iso-date">2026-03-11 10:30 +08:00</span>' in html  # on one line
    assert leftover_english(html, data=DATA) == []


def test_live_preview_renders_facts_in_chinese(chinese, client_for, ineligible):
    client = client_for("coordinator")
    form = client.get("/candidates/NLX-S-004/edit/").context["entry"]
    assert form is not None
    response = client.get("/candidates/NLX-S-004/")
    assert "不符合入选" in response.content.decode()


def test_evaluation_without_facts_falls_back_to_its_stored_text(chinese, ineligible):
    stored = ineligible.latest_evaluation
    row = dict(next(row for row in stored.criteria if row["id"] == "anc"), facts=None, note_facts=None,
               label_fact=None)
    assert verdicts.detail(row) == row["detail"]
    assert verdicts.label(row) == "中性粒细胞绝对值"


def test_same_evaluation_shown_in_both_languages(settings, client_for, ineligible):
    client = client_for("investigator")
    english = client.get("/candidates/NLX-S-004/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/candidates/NLX-S-004/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Platelets 95 ×10⁹/L &lt; 100" in english and "血小板计数 95 ×10⁹/L &lt; 100" in chinese
    assert Evaluation.objects.filter(candidate=ineligible).count() == 1  # shown twice, stored once
