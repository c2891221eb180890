"""The upload: a size cap enforced while the body is read, and the form that checks what arrived."""

import io

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers, StopUpload
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What browsers and LIS send for JSON, CSV and XLSX (Windows sends CSV as vnd.ms-excel); the format
# itself is always detected from the content.
ACCEPTED_TYPES = frozenset({
    "application/json", "application/fhir+json", "text/json",
    "text/csv", "application/csv", "text/plain", "text/comma-separated-values", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream", "",
})


def max_bytes():
    return settings.LAB_IMPORT_MAX_BYTES


def too_large_message():
    return _("The file is larger than %(limit)d MB: export fewer results per file.") % {
        "limit": max_bytes() // (1024 * 1024)}


class CappedUploadHandler(FileUploadHandler):
    """Keeps one uploaded file in memory and stops reading past the limit (nothing reaches the disk)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large = False
        self.buffer = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_bytes():
            self.too_large = True
            self.buffer = None
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(self.buffer, self.field_name, self.file_name, self.content_type,
                                    file_size, self.charset, self.content_type_extra)


def body_too_large(request):
    """The declared body size is past the cap: refuse before reading it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes() + 64 * 1024


class UploadForm(forms.Form):
    source = forms.FileField(
        label=gettext_lazy("Lab results file"),
        help_text=gettext_lazy("FHIR R4 JSON (a Bundle of Observations or one Observation), or the LIS export as "
                               "CSV (UTF-8 or GB18030) or XLSX. The format is read from the content."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv,.xlsx,.txt"}),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_source(self):
        upload = self.cleaned_data["source"]
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type not in ACCEPTED_TYPES:
            raise forms.ValidationError(
                _("Files of type %(type)s are not accepted: upload FHIR JSON, CSV or XLSX.") % {"type": repr(content_type)}
            )
        if upload.size > max_bytes():
            raise forms.ValidationError(too_large_message())
        return upload

    def clean(self):
        if self.too_large:
            raise forms.ValidationError(too_large_message())
        return super().clean()

    def file_bytes(self):
        upload = self.cleaned_data["source"]
        upload.seek(0)
        return upload.read()
