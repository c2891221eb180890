"""The Django admin cannot bypass the evaluation, signature and reason-for-change chain.

The assessment, as an admin: changed a signed, enrolled candidate to primary_site=lung, ecog=3,
deleted a lab row, and reverted NLX-001 to an earlier version with django-simple-history (the subject
number vanished). Each of those POSTs is sent here directly, complete as the admin's own form would
send it; each is refused (403) and nothing changes. Reference data stays editable, with history.
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict
from django.urls import reverse

from screening import interchange
from screening.models import Candidate, EndpointAssessment, LabResult, ReferenceRange

pytestmark = pytest.mark.django_db

INLINES = tuple((rows.related_name, rows.related_name) for rows in interchange.ROWS)  # (prefix, related name)


def form_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def admin_post(candidate, *, delete_first_lab=False, **changes):
    """The complete change form of a candidate with its inlines, as the admin page submits it."""
    data = {}
    for name, value in model_to_dict(candidate).items():
        if name == "planned_first_dose" and value is not None:
            data["planned_first_dose_0"], data["planned_first_dose_1"] = value.date().isoformat(), "09:00:00"
        elif value is not None:
            data[name] = form_value(value)
    data.update(changes)
    for prefix, related in INLINES:
        rows = list(getattr(candidate, related).all())
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        data[f"{prefix}-MIN_NUM_FORMS"], data[f"{prefix}-MAX_NUM_FORMS"] = "0", "1000"
        for index, row in enumerate(rows):
            for name, value in model_to_dict(row).items():
                if name == "collected" and hasattr(value, "hour"):
                    data[f"{prefix}-{index}-collected_0"] = value.date().isoformat()
                    data[f"{prefix}-{index}-collected_1"] = "10:30:00"
                else:
                    data[f"{prefix}-{index}-{name}"] = form_value(value)
            if prefix == "lab_results" and index == 0 and delete_first_lab:
                data[f"{prefix}-{index}-DELETE"] = "on"
    return data


@pytest.fixture
def superadmin(client, users):
    users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    return client


@pytest.fixture
def enrolled(make_candidate, users):
    candidate = make_candidate(user=users["coordinator"])
    Candidate.objects.filter(pk=candidate.pk).update(
        state="enrolled", subject_number="NLX-001", enrolment_date=date(2026, 3, 9), version=2
    )
    candidate.refresh_from_db()
    candidate._change_reason = "Enrolled as NLX-001"
    candidate.save()  # a history row with the subject number, after the creation row without it
    return candidate


def snapshot(candidate):
    candidate = Candidate.objects.get(pk=candidate.pk)
    return (candidate.primary_site, candidate.ecog, candidate.subject_number, candidate.state, candidate.version,
            candidate.latest_evaluation_id, candidate.lab_results.count(), candidate.history.count())


@pytest.mark.requirement("URS-IMM-004")
def test_changing_a_candidate_in_the_admin_is_refused(superadmin, enrolled):
    before = snapshot(enrolled)
    url = reverse("admin:screening_candidate_change", args=[enrolled.pk])
    response = superadmin.post(url, admin_post(enrolled, primary_site="lung", ecog="3", delete_first_lab=True))
    assert response.status_code == 403
    assert snapshot(enrolled) == before


@pytest.mark.requirement("URS-IMM-004")
def test_the_change_page_only_shows_the_candidate(superadmin, enrolled):
    response = superadmin.get(reverse("admin:screening_candidate_change", args=[enrolled.pk]))
    assert response.status_code == 200
    assert b'name="primary_site"' not in response.content and b'name="lab_results-0-value"' not in response.content


@pytest.mark.requirement("URS-IMM-004")
def test_revert_to_an_earlier_version_is_refused(superadmin, enrolled):
    before = snapshot(enrolled)
    first = enrolled.history.order_by("history_date", "history_id").first()
    assert first.subject_number is None
    url = reverse("admin:screening_candidate_simple_history", args=[enrolled.pk, first.history_id])
    assert superadmin.get(url).status_code == 200  # the old version can be looked at
    data = admin_post(Candidate.objects.get(pk=enrolled.pk))
    data.pop("subject_number", None)
    response = superadmin.post(url, data)
    assert response.status_code == 403
    assert snapshot(enrolled) == before


@pytest.mark.requirement("URS-IMM-004")
@pytest.mark.parametrize("model", ["labresult", "lesion", "pregnancytest", "candidate"])
def test_deleting_clinical_rows_in_the_admin_is_refused(superadmin, enrolled, model):
    row = {"labresult": enrolled.lab_results.first(), "lesion": enrolled.lesions.first(),
           "pregnancytest": enrolled.pregnancy_tests.first(), "candidate": enrolled}[model]
    before = snapshot(enrolled)
    response = superadmin.post(reverse(f"admin:screening_{model}_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 403
    changelist = reverse(f"admin:screening_{model}_changelist")
    response = superadmin.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert type(row).objects.filter(pk=row.pk).exists()
    assert snapshot(enrolled) == before


@pytest.mark.requirement("URS-IMM-004")
def test_changing_a_lab_row_in_the_admin_is_refused(superadmin, enrolled):
    lab = enrolled.lab_results.get(test="platelets")
    data = {name: form_value(value) for name, value in model_to_dict(lab).items()}
    response = superadmin.post(reverse("admin:screening_labresult_change", args=[lab.pk]), {**data, "value": "50"})
    assert response.status_code == 403
    lab.refresh_from_db()
    assert lab.value == 120


@pytest.mark.requirement("URS-IMM-004")
@pytest.mark.parametrize("model", ["candidate", "labresult", "lesion", "pregnancytest", "endpointassessment"])
def test_adding_clinical_rows_in_the_admin_is_refused(superadmin, enrolled, model):
    response = superadmin.post(reverse(f"admin:screening_{model}_add"), {"candidate": enrolled.pk})
    assert response.status_code == 403


@pytest.mark.requirement("URS-IMM-004")
def test_changing_the_primary_endpoint_in_the_admin_is_refused(superadmin, enrolled):
    endpoint = EndpointAssessment.objects.create(candidate=enrolled, dfs_6_month="yes", assessed_on=date(2026, 9, 10))
    url = reverse("admin:screening_endpointassessment_change", args=[endpoint.pk])
    response = superadmin.post(url, {"candidate": enrolled.pk, "dfs_6_month": "no", "assessed_on": "2026-09-10",
                                     "updated_at_0": "2026-09-10", "updated_at_1": "10:00:00"})
    assert response.status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.dfs_6_month == "yes"


@pytest.mark.requirement("URS-IMM-004", "URS-AUDIT-001")
def test_reference_ranges_stay_editable_with_history(superadmin, users):
    reference = ReferenceRange.objects.create(test="alt", unit="U/L", uln="40")
    url = reverse("admin:screening_referencerange_change", args=[reference.pk])
    response = superadmin.post(url, {"test": "alt", "unit": "U/L", "uln": "45"})
    assert response.status_code == 302
    reference.refresh_from_db()
    assert reference.uln == 45
    latest = reference.history.first()
    assert (latest.history_type, latest.uln, latest.history_user) == ("~", 45, users["admin"])


@pytest.mark.requirement("URS-IMM-004", "URS-AUDIT-002")
def test_users_stay_editable_and_role_changes_are_in_their_history(superadmin, users):
    user = users["norole"]
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = {"username": "norole", "first_name": "", "last_name": "", "email": "", "is_active": "on",
            "groups": [Group.objects.get(name="monitor").pk], "date_joined_0": "2026-03-01",
            "date_joined_1": "08:00:00", "initial-date_joined_0": "2026-03-01", "initial-date_joined_1": "08:00:00"}
    response = superadmin.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    assert list(user.groups.values_list("name", flat=True)) == ["monitor"]
    history = user.history.order_by("-history_date", "-history_id").first()
    assert history.history_user == users["admin"]
    assert [group.group.name for group in history.groups.all()] == ["monitor"]
    assert not hasattr(history, "password")
