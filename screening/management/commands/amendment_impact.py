"""amendment_impact — what a protocol version would change for the candidates still in screening (JSON).

    python manage.py amendment_impact                         # the version in force today
    python manage.py amendment_impact --protocol-file DRAFT.toml   # a draft amendment, before approval

Nothing is stored. Exit 2 with a message on standard error for a protocol file that cannot be used.
"""

import json
import sys

from django.core.management.base import BaseCommand

from screening import protocols
from screening.eligibility import ProtocolError, load_protocol
from screening.selectors.protocols import amendment_impact, impact_json


class Command(BaseCommand):
    help = ("Print, as JSON, each candidate in screening last evaluated under another protocol version and the "
            "criteria and outcome the given version (default: in force today) would change. Stores nothing.")

    def add_arguments(self, parser):
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument("--protocol-file", help="a protocol definition file (TOML), e.g. a draft amendment")
        choice.add_argument("--protocol", help="a registered protocol version")

    def handle(self, *args, protocol_file=None, protocol=None, **options):
        try:
            if protocol_file:
                chosen = load_protocol(protocol_file)
            elif protocol:
                chosen = protocols.get(protocol)
            else:
                chosen = protocols.in_force()
        except ProtocolError as error:
            sys.stderr.write(f"amendment_impact: {error}\n")
            sys.exit(2)
        report = impact_json(chosen, amendment_impact(chosen))
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
