"""evaluate_candidates PATH|-  — the batch interface of spec section 6.

Streaming: the input is read twice (first its structure, then one record
at a time), standard input being spooled to a temporary file for that, and
each result is written as soon as it is computed, so memory does not grow
with the size of the batch.
"""

import json
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening import protocols
from screening.eligibility import InvalidRecord, ProtocolError, evaluate_entry, load_protocol
from screening.eligibility import BatchError, check_structure, records
from screening.services.candidates import save_candidate
from screening.services.refusals import ReasonRequired


def choose_protocol(version, path):
    """The protocol of ``--protocol`` / ``--protocol-file``, or the one in force today; CommandError (exit 2)."""
    try:
        if version and path:
            raise ProtocolError("give --protocol or --protocol-file, not both")
        if path:
            return load_protocol(Path(path))
        if version:
            try:
                return protocols.get(version)
            except ProtocolError:
                known = ", ".join(protocol.version for protocol in protocols.registry().all())
                raise ProtocolError(f"protocol version {version!r} is not registered (registered: {known})") from None
        return protocols.in_force()
    except ProtocolError as error:
        raise CommandError(f"protocol: {error}", returncode=2) from None


@contextmanager
def opened_input(path, stdin):
    """The input as a seekable binary file (standard input is spooled to a temporary file)."""
    if path != "-":
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}", returncode=2) from None
        with stream:
            yield stream
        return
    with tempfile.TemporaryFile() as spool:
        source = getattr(stdin, "buffer", None)
        if source is not None:
            shutil.copyfileobj(source, spool, 1 << 20)
        else:  # a text stream (tests replace sys.stdin with StringIO)
            while chunk := stdin.read(1 << 18):
                spool.write(chunk.encode("utf-8", "surrogatepass"))
        spool.seek(0)
        yield spool


class Command(BaseCommand):
    help = (
        "Evaluate candidate records (a JSON array; PATH '-' reads standard input) under a protocol version "
        "(default: the version in force today) and print a JSON array of results. Exit 0: all evaluated; "
        "1: some entries are errors; 2: the input is not a JSON array of objects, or the protocol is not usable."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON file, or - for standard input")
        parser.add_argument("--protocol", metavar="VERSION", help="a registered protocol version, e.g. 1.0")
        parser.add_argument("--protocol-file", metavar="PATH", help="a protocol definition file (TOML), e.g. a draft")
        parser.add_argument(
            "--save", action="store_true",
            help="also store each valid candidate (create or update by screening number) and its evaluation",
        )
        parser.add_argument(
            "--reason", default="",
            help="with --save: reason for change, required to update a candidate that was signed or closed",
        )

    def handle(self, *args, path, protocol, protocol_file, save, reason, **options):
        chosen = choose_protocol(protocol, protocol_file)
        ascii_only = (getattr(self.stdout._out, "encoding", "") or "").lower().replace("-", "") != "utf8"
        out = self.stdout._out
        errors = False
        with opened_input(path, sys.stdin) as stream:
            try:
                count = check_structure(stream)
            except BatchError as error:
                raise CommandError(f"{path}: {error}", returncode=2) from None
            stream.seek(0)
            out.write("[")
            for index, record in enumerate(records(stream)):
                entry = evaluate_entry(record, chosen)
                if save and "error" not in entry:
                    try:
                        save_candidate(record=record, reason=reason, protocol=chosen)
                    except (InvalidRecord, ReasonRequired) as error:
                        entry = {"screening_number": entry["screening_number"], "error": f"not saved: {error}"}
                errors = errors or "error" in entry
                out.write(("\n" if index == 0 else ",\n") + json.dumps(entry, ensure_ascii=ascii_only))
            out.write("\n]\n" if count else "]\n")
            out.flush()
        if errors:
            sys.exit(1)
