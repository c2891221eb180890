"""Every model is in the Django admin; its list pages load; records that are never edited are read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from screening import models

pytestmark = pytest.mark.django_db

REGISTERED = [
    models.Candidate, models.Lesion, models.LabResult, models.PregnancyTest, models.Evaluation,
    models.Signature, models.SubjectNumberCounter, models.EndpointAssessment, models.ReferenceRange,
    models.AuditEvent,
]


@pytest.mark.requirement("URS-ROLE-006")
def test_every_screening_model_is_registered():
    assert {model for model in REGISTERED} <= set(admin.site._registry)


@pytest.mark.requirement("URS-ROLE-006")
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelist_loads_with_data(client, users, make_candidate, model):
    make_candidate()
    users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    url = reverse(f"admin:screening_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.requirement("URS-IMM-002")
def test_evaluations_are_read_only_in_the_admin(client, users, make_candidate):
    evaluation = make_candidate().latest_evaluation
    users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    url = reverse("admin:screening_evaluation_change", args=[evaluation.pk])
    response = client.post(url, {"outcome": "ineligible"})
    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.outcome == "eligible"
