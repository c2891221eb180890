"""The one codec of criterion-id lists (``screening.criterion_ids``): round trip, SQL search and order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening import criterion_ids
from screening.models import Candidate
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record, with_lab

ids = st.lists(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), max_size=17)


@given(ids)
def test_decode_undoes_encode(values):
    assert criterion_ids.decode(criterion_ids.encode(values)) == values


def test_the_stored_form_and_the_empty_list():
    assert criterion_ids.encode(["anc", "platelets"]) == ",anc,platelets,"
    assert criterion_ids.encode([]) == "" and criterion_ids.decode("") == [] and criterion_ids.decode(None) == []


@given(ids, st.from_regex(r"[a-z_]{1,12}", fullmatch=True))
def test_contains_finds_exactly_the_lists_holding_the_id(values, wanted):
    assert (criterion_ids.contains(wanted) in criterion_ids.encode(values)) == (wanted in values)


@pytest.mark.django_db
def test_sql_finds_one_id_and_orders_by_the_number_of_ids(users):
    none = save_candidate(record=eligible_record(screening_number="NLX-S-601"), user=users["coordinator"])
    one = save_candidate(record=with_lab(eligible_record(screening_number="NLX-S-602"), "platelets", value="95"),
                         user=users["coordinator"])
    record = with_lab(eligible_record(screening_number="NLX-S-603"), "platelets", value="95")
    two = save_candidate(record=with_lab(record, "anc", value="1.0"), user=users["coordinator"])
    assert one.failing_criteria == ["platelets"] and two.failing_criteria == ["anc", "platelets"]
    found = Candidate.objects.filter(latest_evaluation__failing__contains=criterion_ids.contains("platelets"))
    assert set(found.values_list("screening_number", flat=True)) == {"NLX-S-602", "NLX-S-603"}
    ordered = Candidate.objects.order_by(criterion_ids.count_key("latest_evaluation__failing"), "id")
    assert [c.pk for c in ordered] == [none.candidate_id, one.candidate_id, two.candidate_id]
