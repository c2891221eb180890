"""The web flow: upload -> preview (nothing stored) -> apply or cancel; marks on the checklist."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from screening.models import AuditEvent, ImportedRow, LabImport, LabResult, PregnancyTest
from tests.labimport.conftest import fixture_bytes

pytestmark = pytest.mark.requirement("URS-LAB-003", "URS-LAB-004")


def upload(client, number, data, name="lis.csv", content_type="text/csv"):
    return client.post(reverse("screening:lab_import_upload", args=[number]),
                       {"source": SimpleUploadedFile(name, data, content_type=content_type)})


def test_upload_preview_apply(client_for, candidate):
    client = client_for("coordinator")
    data = fixture_bytes("lis-gb18030.csv")
    response = upload(client, candidate.screening_number, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-source="line 3" data-action="rejected"' in page
    assert LabResult.objects.count() == 0 and LabImport.objects.count() == 0
    plan = preview.context["plan"]
    applied = client.post(reverse("screening:lab_import_apply", args=[candidate.screening_number, plan.sha256]),
                          {"version": plan.version, "digest": plan.digest})
    assert applied.status_code == 302
    assert LabResult.objects.filter(candidate=candidate).count() == len([r for r in plan.adds if r.kind == "lab"])
    assert PregnancyTest.objects.filter(candidate=candidate).count() == 1
    assert ImportedRow.objects.count() == len(plan.adds)
    assert AuditEvent.objects.filter(action="lab_import").count() == 1
    detail = client.get(reverse("screening:candidate_detail", args=[candidate.screening_number]))
    assert "imported" in detail.content.decode()
