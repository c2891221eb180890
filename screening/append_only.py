"""Evidence the database itself keeps: on PostgreSQL, triggers (django-pgtrigger) refuse any UPDATE or
DELETE of evaluations, signatures, audit events and every history table (django-simple-history's
historical records: they only ever get INSERTs). So even SQL typed into ``manage.py dbshell`` cannot
silently rewrite the record; the ORM refuses it already (``ImmutableModel``).

The triggers are installed after every ``migrate`` (PGTRIGGER_INSTALL_ON_MIGRATE) and are no-ops
on SQLite (development). A database owner can still drop a trigger: that is a schema change, visible
in ``pg_trigger`` and the PostgreSQL log, not a silent edit.
"""

import pgtrigger
from django.apps import apps

TRIGGER = "append_only"


def append_only_models():
    """Evaluation, Signature, AuditEvent and every historical model of the screening app."""
    names = {"Evaluation", "Signature", "AuditEvent"}
    return [
        model for model in apps.get_app_config("screening").get_models()
        if model.__name__ in names or model.__name__.startswith("Historical")
    ]


def register():
    for model in append_only_models():
        pgtrigger.register(pgtrigger.Protect(name=TRIGGER, operation=pgtrigger.Update | pgtrigger.Delete))(model)
