"""URL × role (refusals by sending the request), hostile uploads (never a 500, nothing stored), the pages."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from screening.labimport import storage
from screening.models import AuditEvent, Evaluation, ImportedRow, LabImport, LabResult, PregnancyTest
from screening.services.labimport import apply_import
from tests.labimport.conftest import csv_bytes, fixture_bytes

pytestmark = pytest.mark.requirement("URS-LAB-003", "URS-LAB-005", "URS-LAB-007")

NUMBER = "NLX-S-001"
ROLES = ("coordinator", "investigator", "monitor", "admin", "norole")
STORED = (LabResult, PregnancyTest, Evaluation, LabImport, ImportedRow, AuditEvent)


def url(name, *args):
    return reverse(f"screening:{name}", args=[NUMBER, *args])


def upload(client, data, name="lis.csv", content_type="text/csv"):
    return client.post(url("lab_import_upload"), {"source": SimpleUploadedFile(name, data, content_type=content_type)})


def counts():
    return [model.objects.count() for model in STORED]


def staged_preview(client):
    response = upload(client, fixture_bytes("lis-gb18030.csv"))
    assert response.status_code == 302
    return response["Location"].rstrip("/").rsplit("/", 1)[1]


@pytest.mark.parametrize("role", ROLES)
def test_upload_page_by_role(client_for, candidate, role):
    client = client_for(role)
    allowed = role in ("coordinator", "admin")
    assert client.get(url("lab_import_upload")).status_code == (200 if allowed else 403)
    before = counts()
    response = upload(client, fixture_bytes("lis-gb18030.csv"))
    assert response.status_code == (302 if allowed else 403)
    assert counts() == before


def test_anonymous_is_sent_to_login(client, candidate):
    for response in (client.get(url("lab_import_upload")), upload(client, b"x")):
        assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("role", ("investigator", "monitor", "norole"))
def test_preview_apply_cancel_refused_to_other_roles(client_for, candidate, role):
    sha = staged_preview(client_for("coordinator"))
    client = client_for(role)  # the same session, now another role: crafted requests
    before = counts()
    assert client.get(url("lab_import_preview", sha)).status_code == 403
    assert client.post(url("lab_import_apply", sha), {"version": 1}).status_code == 403
    assert client.post(url("lab_import_cancel", sha)).status_code == 403
    assert counts() == before


def test_apply_needs_an_upload_of_this_session(client_for, candidate, client):
    sha = storage.stage(fixture_bytes("lis-gb18030.csv"))  # staged, but not by this session
    coordinator = client_for("coordinator")
    assert coordinator.get(url("lab_import_preview", sha)).status_code == 404
    assert coordinator.post(url("lab_import_apply", sha), {"version": 1}).status_code == 404
    assert coordinator.get(f"/candidates/{NUMBER}/import/..%2F..%2Fetc%2Fpasswd/").status_code == 404
    assert coordinator.get(url("lab_import_preview", "not-a-sha")).status_code == 404
    assert LabResult.objects.count() == 0


def test_apply_get_is_not_allowed(client_for, candidate):
    client = client_for("coordinator")
    sha = staged_preview(client)
    assert client.get(url("lab_import_apply", sha)).status_code == 405


def test_crafted_apply_without_version_or_digest_stores_nothing(client_for, candidate):
    client = client_for("coordinator")
    sha = staged_preview(client)
    for data in ({}, {"version": "x"}, {"version": candidate.version, "digest": "0" * 64}):
        response = client.post(url("lab_import_apply", sha), data)
        assert response.status_code == 302 and response["Location"].endswith(f"/import/{sha}/")
    assert LabResult.objects.count() == 0


def test_preview_then_cancel_stores_nothing(client_for, candidate):
    client = client_for("coordinator")
    before = counts()
    sha = staged_preview(client)
    page = client.get(url("lab_import_preview", sha)).content.decode()
    for fragment in ('data-source="line 3" data-action="rejected"', "percentage", 'data-action="duplicate"',
                     "no mapping for &#x27;GLU&#x27;", 'data-before="incomplete"', "labimport-changed",
                     "Apply: add"):
        assert fragment in page
    response = client.post(url("lab_import_cancel", sha))
    assert response.status_code == 302
    assert counts() == before
    assert storage.read(sha) is None
    assert client.get(url("lab_import_preview", sha)).status_code == 404


def test_apply_then_marks_and_source(client_for, candidate):
    client = client_for("coordinator")
    sha = staged_preview(client)
    plan = client.get(url("lab_import_preview", sha)).context["plan"]
    response = client.post(url("lab_import_apply", sha), {"version": plan.version, "digest": plan.digest})
    assert response.status_code == 302
    lab_import = LabImport.objects.get()
    page = client.get(url("candidate_detail")).content.decode()
    assert 'imported-badge">imported<' in page
    assert url("lab_import_detail", lab_import.pk) in page
    again = client.post(url("lab_import_apply", sha), {"version": plan.version, "digest": plan.digest})
    assert again.status_code == 404  # the upload was consumed: applying twice adds nothing
    assert LabImport.objects.count() == 1


def test_closed_candidate_preview_asks_for_a_reason(client_for, candidate):
    client = client_for("coordinator")
    sha = staged_preview(client)
    type(candidate).objects.filter(pk=candidate.pk).update(state="declined")  # closed: a change needs a reason
    assert 'name="reason"' in client.get(url("lab_import_preview", sha)).content.decode()
    plan = client.get(url("lab_import_preview", sha)).context["plan"]
    response = client.post(url("lab_import_apply", sha), {"version": plan.version, "digest": plan.digest})
    assert response.status_code == 400 and "give a reason" in response.content.decode()
    assert LabResult.objects.count() == 0
    response = client.post(url("lab_import_apply", sha),
                           {"version": plan.version, "digest": plan.digest, "reason": "LIS export"})
    assert response.status_code == 302 and LabResult.objects.count() > 0


@pytest.mark.parametrize(("role", "status"), [("monitor", 200), ("admin", 200), ("coordinator", 403),
                                              ("investigator", 403), ("norole", 403)])
def test_source_download_by_role(client_for, candidate, users, role, status):
    data = fixture_bytes("bundle-cn.json")
    _, lab_import = apply_import(candidate=candidate, data=data, file_name="bundle-cn.json", user=users["admin"])
    client = client_for(role)
    response = client.get(url("lab_import_download", lab_import.pk))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == data  # byte-exact
        assert response["Content-Type"] == "application/octet-stream"
        assert "attachment" in response["Content-Disposition"]
    detail = client.get(url("lab_import_detail", lab_import.pk))
    assert detail.status_code == (403 if role == "norole" else 200)
    if role != "norole":
        assert lab_import.sha256 in detail.content.decode()


def test_source_of_another_candidate_is_404(client_for, candidate, make_candidate, users):
    other = make_candidate(screening_number="NLX-S-002", labs=[], pregnancy_tests=[])
    _, lab_import = apply_import(candidate=other, data=fixture_bytes("bundle-cn.json"), file_name="b.json",
                                 user=None)
    assert client_for("monitor").get(url("lab_import_download", lab_import.pk)).status_code == 404


def _bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"<sst><si><t>" + b"A" * (60 * 1024 * 1024) + b"</t></si></sst>")
    return buffer.getvalue()


HOSTILE = {
    "empty": (b"", "text/csv"),
    "binary": (bytes(range(256)) * 64, "application/octet-stream"),
    "truncated json": (b'{"resourceType": "Bundle", "entry": [{"resource": ', "application/json"),
    "deeply nested json": (b'{"resourceType": "Bundle", "entry": ' + b"[" * 200_000 + b"}", "application/json"),
    "utf-16": ("项目名称,结果\n".encode("utf-16"), "text/csv"),
    "wrong encoding": ("项目名称,结果\n血小板计数,120\n".encode("big5", errors="ignore") + b"\xff\xfe", "text/csv"),
    "xlsx bomb": (None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": (b"<html><script>alert(1)</script></html>", "text/html"),
    "exe": (b"MZ\x90\x00" + b"\x00" * 100, "application/x-msdownload"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_uploads_are_refused_with_a_message_and_store_nothing(client_for, candidate, import_dir, name):
    data, content_type = HOSTILE[name]
    data = _bomb() if data is None else data
    client = client_for("coordinator")
    before = counts()
    response = upload(client, data, name=f"{name}.bin", content_type=content_type)
    assert response.status_code == 400
    assert 'class="invalid-feedback"' in response.content.decode() or "errorlist" in response.content.decode()
    assert counts() == before
    assert not any(path.is_file() for path in import_dir.rglob("*")) if import_dir.exists() else True


def test_a_50_mb_upload_is_refused_without_reading_it(client_for, candidate, import_dir):
    response = upload(client_for("coordinator"), b"a,b\n" * (50 * 1024 * 1024 // 4))
    # Refused from its Content-Length by screening.request_guards (413) before the view could read it.
    assert response.status_code == 413
    assert "at most 10485760 bytes" in response.content.decode()
    assert not import_dir.exists() or not any(import_dir.rglob("*"))


def test_the_handler_stops_past_the_cap_even_when_the_length_looks_small(client_for, candidate, settings):
    settings.LAB_IMPORT_MAX_BYTES = 1000
    response = upload(client_for("coordinator"), csv_bytes(*["PLT,血小板计数,120,10^9/L,,2026-02-27"] * 100))
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert LabResult.objects.count() == 0


def test_formulas_are_shown_as_text_and_never_stored(client_for, candidate, lis_xlsx):
    client = client_for("coordinator")
    response = upload(client, lis_xlsx, name="lis.xlsx",
                      content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    page = client.get(response["Location"]).content.decode()
    assert "holds a formula" in page
    plan = client.get(response["Location"]).context["plan"]
    client.post(url("lab_import_apply", plan.sha256), {"version": plan.version, "digest": plan.digest})
    assert ImportedRow.objects.exists()
    assert not ImportedRow.objects.filter(locator="row 16").exists()
    assert not any(str(value).startswith("=") for row in ImportedRow.objects.all() for value in row.entry.values())
