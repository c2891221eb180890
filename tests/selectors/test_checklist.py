"""21 CFR 11.50: a signature shows the signer's printed name, the date and time of signing and its meaning,
on the candidate page and in the PDF, in the site's time zone."""

import pytest
from django.utils import timezone

from screening.models import Signature
from tests.test_pdf import pdf_text
from tests.services.test_signoff import MEETS, post_sign

pytestmark = pytest.mark.requirement("URS-SIGN-002")


@pytest.fixture
def signed(client_for, users, make_candidate):
    users["investigator"].first_name, users["investigator"].last_name = "Wei", "Li"
    users["investigator"].save()
    candidate = make_candidate()
    post_sign(client_for("investigator"), candidate)
    return candidate, Signature.objects.get()


def test_the_candidate_page_shows_printed_name_date_time_and_meaning(client_for, signed):
    candidate, signature = signed
    html = client_for("monitor").get(f"/candidates/{candidate.screening_number}/").content.decode()
    at = timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M:%S")
    assert f'<strong>Signed</strong> by Wei Li (investigator) at <span class="iso-date">{at}</span>:' in html
    assert f"“{MEETS}”" in html


def test_the_pdf_shows_printed_name_date_time_and_meaning(client_for, signed):
    candidate, signature = signed
    text = pdf_text(client_for("coordinator").get(f"/candidates/{candidate.screening_number}/checklist.pdf"))
    at = timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M")
    assert f"Signed by Wei Li (investigator) at {at} (Asia/Shanghai)." in text
    assert f"Meaning: {MEETS}" in text


def test_the_signature_time_is_shown_in_the_site_time_zone(client_for, signed):
    candidate, signature = signed
    html = client_for("monitor").get(f"/candidates/{candidate.screening_number}/").content.decode()
    shanghai = timezone.localtime(signature.signed_at, timezone=timezone.get_fixed_timezone(8 * 60))
    assert shanghai.strftime("%Y-%m-%d %H:%M:%S") in html
