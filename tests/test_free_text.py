"""Every form field that takes free text applies the engine's rule (spec section 4, r2): look-alike,
invisible and control characters are bad input naming the field, nothing saved.

The assessment: soft hyphen, zero-width space, IPA ɡ, a right-to-left override let text that reads
"lung" pass criterion 3.
"""

import pytest

from screening.models import Candidate
from tests.conftest import eligible_record
from tests.test_forms import form_data

pytestmark = pytest.mark.django_db

LOOK_ALIKES = ["lun\u00adg", "lu\u200bng", "lun\u0261", "\u202egnul", "lu\u043dg"]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_primary_site_and_lesion_site_refuse_look_alikes(client_for, users, text):
    client = client_for("coordinator")
    record = eligible_record(screening_number="NLX-S-050")
    record["diagnosis"] = {**record["diagnosis"], "primary_site": text}
    response = client.post("/candidates/new/", form_data(record))
    assert response.status_code in (200, 400)
    assert "not allowed in free text" in response.content.decode()
    assert not Candidate.objects.filter(screening_number="NLX-S-050").exists()
    record = eligible_record(screening_number="NLX-S-051")
    record["lesions"][0]["site"] = text
    response = client.post("/candidates/new/", form_data(record))
    assert "not allowed in free text" in response.content.decode()
    assert not Candidate.objects.filter(screening_number="NLX-S-051").exists()


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_reasons_refuse_look_alikes(client_for, make_candidate, text):
    candidate = make_candidate()
    response = client_for("coordinator").post(
        f"/candidates/{candidate.screening_number}/close/", {"state": "not_enrolled", "reason": f"patient {text}"}
    )
    assert response.status_code == 200
    assert "not allowed in free text" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.state == "screening"


def test_a_reason_may_have_several_lines_and_chinese(client_for, make_candidate):
    candidate = make_candidate()
    response = client_for("coordinator").post(
        f"/candidates/{candidate.screening_number}/close/",
        {"state": "not_enrolled", "reason": "患者搬家。\r\nMoved to another city."},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state_reason == "患者搬家。\r\nMoved to another city."
