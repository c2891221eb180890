"""View: the whole study's audit trail in one streamed CSV (auditing roles; de-identified for monitors)."""

import csv

from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from screening import roles
from screening.selectors.audit import study_audit_trail
from screening.services.audit import record_event
from screening.views.signoff import CSV_COLUMNS, IDENTIFIED


class Echo:
    """A file-like object whose write returns the line, for csv.writer in a streamed response."""

    def write(self, value):
        return value


def csv_lines(rows):
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(("screening_number", *CSV_COLUMNS))
    for screening_number, row in rows:
        yield writer.writerow([IDENTIFIED.present(screening_number),
                               *(IDENTIFIED.present(getattr(row, column)) for column in CSV_COLUMNS)])


@roles.role_required(roles.AUDITORS)
@require_GET
def study_audit_csv(request):
    deidentified = not roles.has_role(request.user, roles.IDENTIFIED_FILES)
    record_event("export_study_audit_csv", user=request.user, deidentified=deidentified)
    response = StreamingHttpResponse(csv_lines(study_audit_trail(deidentified=deidentified)),
                                     content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    kind = "deidentified" if deidentified else "identified"
    response["Content-Disposition"] = f'attachment; filename="nalirifox-audit-trail-{kind}-{stamp}.csv"'
    return response


urlpatterns = [path("audit/study.csv", study_audit_csv, name="study_audit_csv")]
