"""Views: import lab results for a candidate — upload, preview (nothing stored), apply or cancel;
the applied source files and their download.

The upload is staged (outside the web root) and bound to this session by its SHA-256 until the user
applies or cancels; the preview posts back the candidate version and a digest of the rows shown, so
what is applied is exactly what was reviewed.
"""

import io

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from screening import roles, verdicts
from screening.eligibility import InvalidRecord
from screening.labimport import storage
from screening.labimport.upload import CappedUploadHandler, UploadForm, body_too_large
from screening.selectors import labimport as selectors
from screening.selectors.candidates import get_candidate_for
from screening.services.candidates import needs_reason
from screening.services.labimport import (
    PlanChanged, ReasonRequired, StaleCandidate, UnreadableFile, apply_import, build_plan,
)

SESSION_KEY = "lab_import_uploads"
MAX_STAGED_PER_SESSION = 10


def _staged(request, candidate, sha256):
    """(bytes, metadata) of an upload this session staged for this candidate; 404 otherwise."""
    meta = request.session.get(SESSION_KEY, {}).get(sha256)
    if not meta or meta["candidate"] != candidate.screening_number:
        raise Http404(_("No such upload in this session: upload the file again."))
    data = storage.read(sha256)
    if data is None:
        raise Http404(_("The uploaded file is no longer staged: upload it again."))
    return data, meta


def _forget(request, sha256):
    staged = request.session.get(SESSION_KEY, {})
    if staged.pop(sha256, None) is not None:
        request.session[SESSION_KEY] = staged


@csrf_exempt  # the CSRF check runs in _upload, after the capped upload handler is installed
def import_upload(request, screening_number):
    try:
        request.upload_handlers = [CappedUploadHandler(request)]
    except AttributeError:  # a middleware already read the body: the form's size check still refuses it
        pass
    return _upload(request, screening_number)


@csrf_protect
@roles.role_required(selectors.IMPORTERS)
def _upload(request, screening_number):
    candidate = get_candidate_for(request.user, screening_number)
    if request.method != "POST":
        return render(request, "screening/labimport/upload.html", {"candidate": candidate, "form": UploadForm()})
    if body_too_large(request):
        form = UploadForm({}, too_large=True)
    else:
        handler = request.upload_handlers[0]
        form = UploadForm(request.POST, request.FILES, too_large=getattr(handler, "too_large", False))
    if form.is_valid():
        data = form.file_bytes()
        upload = form.cleaned_data["source"]
        try:
            build_plan(candidate=candidate, data=data, file_name=upload.name)
        except UnreadableFile as error:
            form.add_error("source", _("%(file)s: %(problem)s") % {"file": upload.name, "problem": verdicts.problem(error.fact)})
        else:
            sha256 = storage.stage(data)
            staged = request.session.get(SESSION_KEY, {})
            staged = dict(list(staged.items())[-(MAX_STAGED_PER_SESSION - 1):])
            staged[sha256] = {"candidate": candidate.screening_number, "file_name": upload.name[:255],
                              "content_type": (upload.content_type or "")[:100]}
            request.session[SESSION_KEY] = staged
            return redirect("screening:lab_import_preview", screening_number, sha256)
    return render(request, "screening/labimport/upload.html", {"candidate": candidate, "form": form}, status=400)


def _preview_page(request, candidate, plan, *, reason="", error=None, status=200):
    return render(request, "screening/labimport/preview.html", {
        "candidate": candidate, "plan": plan, "reason": reason, "error": error,
        "needs_reason": needs_reason(candidate),
        "checklist": plan.checklist(), "duplicates": plan.count("duplicate"), "rejected": plan.count("rejected"),
    }, status=status)


@roles.role_required(selectors.IMPORTERS)
def import_preview(request, screening_number, sha256):
    candidate = get_candidate_for(request.user, screening_number, with_rows=True)
    data, meta = _staged(request, candidate, sha256)
    try:
        plan = build_plan(candidate=candidate, data=data, file_name=meta["file_name"])
    except UnreadableFile as error:  # staged files were readable; the code may have changed since
        messages.error(request, verdicts.problem(error.fact))
        return redirect("screening:candidate_detail", screening_number)
    return _preview_page(request, candidate, plan)


@roles.role_required(selectors.IMPORTERS)
@require_POST
def import_apply(request, screening_number, sha256):
    candidate = get_candidate_for(request.user, screening_number)
    data, meta = _staged(request, candidate, sha256)
    reason = request.POST.get("reason", "")[:2000]
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1  # a crafted post without the version is stale by definition
    try:
        plan, lab_import = apply_import(
            candidate=candidate, data=data, file_name=meta["file_name"], content_type=meta["content_type"],
            user=request.user, reason=reason, expected_version=version,
            expected_digest=request.POST.get("digest", ""),
        )
    except (StaleCandidate, PlanChanged) as error:
        messages.warning(request, str(error))
        return redirect("screening:lab_import_preview", screening_number, sha256)
    except (ReasonRequired, InvalidRecord) as error:
        plan = build_plan(candidate=candidate, data=data, file_name=meta["file_name"])
        message = verdicts.invalid_record(error) if isinstance(error, InvalidRecord) else str(error)
        return _preview_page(request, candidate, plan, reason=reason, error=message, status=400)
    _forget(request, sha256)
    if lab_import is None:
        messages.info(request, _("Nothing added from %(file)s: every row is already stored or rejected.")
                      % {"file": meta["file_name"]})
    else:
        count = len(plan.adds)
        messages.success(request, ngettext("Imported %(count)d result from %(file)s; %(number)s is now %(outcome)s.",
                                           "Imported %(count)d results from %(file)s; %(number)s is now %(outcome)s.",
                                           count)
                         % {"count": count, "file": meta["file_name"], "number": candidate.screening_number,
                            "outcome": verdicts.outcome_word(lab_import.evaluation.outcome)})
    return redirect("screening:candidate_detail", screening_number)


@roles.role_required(selectors.IMPORTERS)
@require_POST
def import_cancel(request, screening_number, sha256):
    candidate = get_candidate_for(request.user, screening_number)
    _staged(request, candidate, sha256)
    storage.discard(sha256)
    _forget(request, sha256)
    messages.info(request, _("Import cancelled: nothing was stored."))
    return redirect("screening:candidate_detail", screening_number)


@roles.role_required(roles.READERS)
def lab_import_detail(request, screening_number, pk):
    candidate = get_candidate_for(request.user, screening_number)
    lab_import = selectors.lab_import_for(request.user, candidate, pk)
    return render(request, "screening/labimport/detail.html", {
        "candidate": candidate, "lab_import": lab_import, "rows": lab_import.rows.all(),
        "can_download": selectors.can_download_source(request.user),
    })


@roles.role_required(selectors.SOURCE_DOWNLOADERS)
def lab_import_download(request, screening_number, pk):
    candidate = get_candidate_for(request.user, screening_number)
    lab_import = selectors.lab_import_for(request.user, candidate, pk)
    data = storage.read(lab_import.sha256)
    if data is None:
        raise Http404(_("The stored source file is missing or does not match its SHA-256."))
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=lab_import.file_name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("candidates/<str:screening_number>/import/", import_upload, name="lab_import_upload"),
    path("candidates/<str:screening_number>/import/<str:sha256>/", import_preview, name="lab_import_preview"),
    path("candidates/<str:screening_number>/import/<str:sha256>/apply/", import_apply, name="lab_import_apply"),
    path("candidates/<str:screening_number>/import/<str:sha256>/cancel/", import_cancel, name="lab_import_cancel"),
    path("candidates/<str:screening_number>/imports/<int:pk>/", lab_import_detail, name="lab_import_detail"),
    path("candidates/<str:screening_number>/imports/<int:pk>/source/", lab_import_download,
         name="lab_import_download"),
]
