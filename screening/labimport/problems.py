"""What is wrong with an imported file or row, as a message template and its values (no Django).

``str(problem)`` is the English text (the ``import_labs`` command's JSON, the tests); the pages render
``problem.template`` with ``problem.values`` in the reader's language (``screening.templatetags.translated``).
Templates are marked with ``_`` (a no-op here) so that Django's ``makemessages`` extracts them.
"""


def _(text: str) -> str:
    return text


class Problem(ValueError):
    def __init__(self, template: str, **values):
        # A value may be the engine's InvalidRecord (an entry the engine refuses): its English message here.
        super().__init__(template.format(**{name: getattr(value, "message", value) for name, value in values.items()}))
        self.template = template
        self.values = values

    @property
    def fact(self) -> tuple[str, dict]:
        return self.template, self.values
