"""Exports: build the files, stream the big one, and record every export in the audit trail.

Formats (see ``screening.resources`` for columns and de-identification):

- screening log, CSV: one CSV file, streamed row by row (memory stays flat
  whatever the number of attempts); its data dictionary is a separate
  download (``data_dictionary.csv``).
- screening log, XLSX: sheets ``screening_log``, ``data_dictionary``, ``about``.
- full candidate data, XLSX: sheets ``candidates``, ``lab_results``,
  ``lesions``, ``pregnancy_tests``, ``evaluations``, ``data_dictionary``, ``about``.
- full candidate data, CSV: a ZIP of one CSV per sheet above.

CSV files are UTF-8 with a byte-order mark (Excel reads the ≥ and × in
labels correctly) and comma-separated.

The audit event is written before the file is sent; its row count is the
count at that moment.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

import tablib
from django.utils import timezone
from django.utils.translation import gettext_noop

from screening import protocols
from screening.models import AuditEvent
from screening.resources import (
    DESCRIPTION_LANGUAGES, FULL_DATA, ScreeningLogResource, bilingual, data_dictionary, reference_dictionary,
)
from screening.selectors import exports as selectors

LOG = "screening_log"
FULL = "candidate_data"
DATASETS = {LOG: "Screening log", FULL: "Full candidate data"}
CSV, XLSX = "csv", "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
BOM = "\ufeff"
CSV_BATCH_ROWS = 500


@dataclass
class ExportFile:
    filename: str
    content_type: str
    content: object  # bytes, or an iterator of str for a streamed CSV
    rows: int


def filename(dataset, policy, extension):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    identification = "deidentified" if policy.deidentified else "identified"
    return f"nalirifox-{dataset.replace('_', '-')}-{identification}-{stamp}.{extension}"


def record_export(*, user, dataset, fmt, policy, rows, scope, candidate=None, action="export"):
    """The audit trail's record of an export: who, what, when (``at``), identified or not, how many rows."""
    return AuditEvent.objects.create(
        user=user if user and user.is_authenticated else None,
        action=action,
        candidate=candidate,
        details={
            "dataset": dataset,
            "format": fmt,
            "deidentified": policy.deidentified,
            "dates": policy.dates,
            "rows": rows,
            "scope": scope,
        },
    )


# What each item of the about sheet is, in English and Chinese (the item names stay machine names).
ABOUT_ITEMS = {
    "dataset": gettext_noop("Which data the file holds."),
    "application": gettext_noop("The application and trial that produced the file."),
    "protocol_version": gettext_noop("Protocol version in force when exporting."),
    "protocol_sha256": gettext_noop("SHA-256 of the definition file of the protocol version in force."),
    "protocol": gettext_noop("A registered protocol version: its effective date and the SHA-256 of its definition "
                             "file."),
    "identification": gettext_noop("Identified or de-identified, and how dates were treated."),
    "exported_at": gettext_noop("Time of the export (Asia/Shanghai)."),
    "exported_by": gettext_noop("User who exported the file."),
    "scope": gettext_noop("Filter applied to the export."),
    "rows": gettext_noop("Number of rows in this table."),
}


def about_sheet(*, dataset, policy, user, scope, rows):
    sheet = tablib.Dataset(headers=["item", "value", *DESCRIPTION_LANGUAGES])
    sheet.title = "about"
    for item, value in (
        ("dataset", DATASETS[dataset]),
        ("application", "NALIRIFOX Screen (NCT07077551)"),
        *protocol_items(),
        ("identification", policy.label),
        *scope_items(scope, policy),
        ("exported_at", timezone.localtime().isoformat(timespec="seconds")),
        ("exported_by", user.get_username() if user else ""),
        *((f"rows_{table}", count) for table, count in rows.items()),
    ):
        kind = item if item in ABOUT_ITEMS else item.split("_")[0]
        sheet.append([item, value, *bilingual(ABOUT_ITEMS.get(kind, ""))])
    return sheet


def protocol_items():
    """The version in force and every registered version with its effective date and file hash."""
    current = protocols.in_force()
    yield "protocol_version", current.version
    yield "protocol_sha256", current.sha256
    for protocol in protocols.registry().all():
        yield (f"protocol_{protocol.version}",
               f"effective from {protocol.effective_from.isoformat()}; sha256 {protocol.sha256}")


def scope_items(scope, policy):
    """What was exported; a de-identified file withholds the real filter dates (they would date the shift)."""
    for key, value in scope.items():
        if policy.deidentified and key in ("date_from", "date_to") and value:
            value = "(withheld in de-identified exports)"
        yield f"scope_{key}", value if isinstance(value, (str, int)) else ", ".join(map(str, value))


def dictionary_csv():
    """Every column of both datasets and how de-identification treats it, as CSV text."""
    return BOM + reference_dictionary().export("csv")


def export_log_csv(*, user, candidate_queryset, policy, scope):
    """The screening log as a streamed CSV; memory does not grow with the number of rows."""
    queryset = selectors.screening_log(candidate_queryset)
    rows = queryset.count()
    record_export(user=user, dataset=LOG, fmt=CSV, policy=policy, rows=rows, scope=scope)
    return ExportFile(
        filename=filename(LOG, policy, CSV),
        content_type=CONTENT_TYPES[CSV],
        content=csv_chunks(ScreeningLogResource(policy), queryset.iterator(chunk_size=selectors.CHUNK_SIZE)),
        rows=rows,
    )


def csv_chunks(resource, rows):
    """CSV text in chunks of ``CSV_BATCH_ROWS`` rows, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(resource.get_export_headers())
    for count, row in enumerate(rows, start=1):
        writer.writerow(resource.export_resource(row))
        if count % CSV_BATCH_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_book(*, user, dataset, fmt, candidate_queryset, policy, scope, action="export"):
    """The screening log as XLSX, or the full candidate data as XLSX or a ZIP of CSVs."""
    if dataset == LOG:
        resources = [ScreeningLogResource(policy)]
        querysets = [selectors.screening_log(candidate_queryset)]
    else:
        resources = [resource(policy) for resource in FULL_DATA]
        tables = selectors.full_data(candidate_queryset)
        querysets = [tables[resource.table] for resource in resources]
    sheets = [resource.export(queryset) for resource, queryset in zip(resources, querysets)]
    rows = {sheet.title: sheet.height for sheet in sheets}
    total = sum(rows.values())
    sheets += [
        data_dictionary(resources),
        about_sheet(dataset=dataset, policy=policy, user=user, scope=scope, rows=rows),
    ]
    record_export(
        user=user, dataset=dataset, fmt=fmt, policy=policy, rows=total,
        scope={**scope, "rows_per_table": rows}, action=action,
    )
    if fmt == XLSX:
        typed = [resource.typed(sheet) for resource, sheet in zip(resources, sheets)] + sheets[len(resources):]
        content = tablib.Databook(typed).export("xlsx")
        return ExportFile(filename(dataset, policy, XLSX), CONTENT_TYPES[XLSX], content, total)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for sheet in sheets:
            zipped.writestr(f"{sheet.title}.csv", (BOM + sheet.export("csv")).encode("utf-8"))
    return ExportFile(filename(dataset, policy, "zip"), CONTENT_TYPES["zip"], archive.getvalue(), total)
