"""import_labs PATH --candidate SCREENING_NUMBER [--apply] [--reason TEXT] (lab-import.md section 4).

Prints one JSON object. Exit 0: no row rejected; 1: some rows rejected (the others still apply with
--apply); 2: the file cannot be read, the candidate does not exist, or the apply was refused
(message on standard error).
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening.eligibility import InvalidRecord
from screening.models import Candidate
from screening.services.labimport import (
    PlanChanged, ReasonRequired, StaleCandidate, UnreadableFile, apply_import, build_plan,
)


class Command(BaseCommand):
    help = "Preview (or --apply) a FHIR R4 JSON or LIS CSV/XLSX lab file for one candidate; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--candidate", required=True, metavar="SCREENING_NUMBER")
        parser.add_argument("--apply", action="store_true", help="store the rows marked add")
        parser.add_argument("--reason", default="", help="reason for change (required once signed or closed)")

    def handle(self, *args, path, candidate, apply, reason, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}", returncode=2) from None
        found = Candidate.objects.filter(screening_number=candidate).first()
        if found is None:
            raise CommandError(f"no candidate with screening number {candidate!r}", returncode=2)
        name = Path(path).name
        try:
            if apply:
                plan, lab_import = apply_import(candidate=found, data=data, file_name=name, user=None, reason=reason)
            else:
                plan, lab_import = build_plan(candidate=found, data=data, file_name=name), None
        except UnreadableFile as error:
            raise CommandError(f"{path}: {error}", returncode=2) from None
        except (ReasonRequired, StaleCandidate, PlanChanged, InvalidRecord) as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(json.dumps(plan.as_dict(applied=lab_import is not None), ensure_ascii=False, indent=1))
        if plan.count("rejected"):
            sys.exit(1)
