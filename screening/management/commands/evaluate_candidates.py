"""evaluate_candidates PATH|-  — the batch interface of spec section 6."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening import eligibility
from screening.eligibility import InvalidRecord
from screening.services.candidates import ReasonRequired, save_candidate


def read_batch(path, stdin):
    """The JSON array of candidate records at ``path`` (``-``: standard input), or CommandError (exit 2)."""
    try:
        text = stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}", returncode=2) from None
    try:
        batch = eligibility.loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: arrays nested thousands deep
        raise CommandError(f"{path} is not valid JSON: {error}", returncode=2) from None
    if not isinstance(batch, list) or not all(isinstance(entry, dict) for entry in batch):
        raise CommandError(f"{path} must hold a JSON array of candidate objects", returncode=2)
    return batch


class Command(BaseCommand):
    help = (
        "Evaluate candidate records (a JSON array; PATH '-' reads standard input) against "
        "protocol " + eligibility.PROTOCOL_VERSION + " and print a JSON array of results. "
        "Exit 0: all evaluated; 1: some entries are errors; 2: the input is not a JSON array of objects."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON file, or - for standard input")
        parser.add_argument(
            "--save", action="store_true",
            help="also store each valid candidate (create or update by screening number) and its evaluation",
        )
        parser.add_argument(
            "--reason", default="",
            help="with --save: reason for change, required to update a candidate that was signed or closed",
        )

    def handle(self, *args, path, save, reason, **options):
        results = []
        for record in read_batch(path, sys.stdin):
            entry = eligibility.evaluate_entry(record)
            if save and "error" not in entry:
                try:
                    save_candidate(record=record, reason=reason)
                except (InvalidRecord, ReasonRequired) as error:
                    entry = {"screening_number": entry["screening_number"], "error": f"not saved: {error}"}
            results.append(entry)
        ascii_only = (getattr(self.stdout._out, "encoding", "") or "").lower().replace("-", "") != "utf8"
        self.stdout.write(json.dumps(results, ensure_ascii=ascii_only, indent=2))
        if any("error" in entry for entry in results):
            sys.exit(1)
