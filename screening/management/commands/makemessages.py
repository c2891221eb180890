"""``makemessages`` without fuzzy matching: a new English string starts untranslated (the catalogue test
then names it) instead of inheriting the translation of a similar-looking one."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
