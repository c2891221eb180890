"""``Fact``: one statement of a verdict's detail as a stable message code
and its values, so that each language renders it (``messages.render``) and
a stored evaluation can be shown again in another language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from .display import moment, number


class Fact(NamedTuple):
    """Immutable (a NamedTuple: a verdict makes about twenty of them per
    candidate, and a tuple is the cheapest immutable object to build)."""

    code: str
    values: tuple[tuple[str, object], ...] = ()

    def value(self, name: str):
        for key, value in self.values:
            if key == name:
                return value
        raise KeyError(name)

    def as_json(self) -> dict:
        """``{"code": ..., "values": {name: value}}`` with JSON-safe values:
        numbers, dates and datetimes as the text they are shown as (Decimal
        exactly, dates ISO), ints, text and null as they are, lists for tuples."""
        return {"code": self.code, "values": {name: _json_value(value) for name, value in self.values}}

    @classmethod
    def from_json(cls, data: dict) -> Fact:
        values = tuple(
            (name, tuple(value) if isinstance(value, list) else value) for name, value in data["values"].items()
        )
        return cls(data["code"], values)


def fact(code: str, **values) -> Fact:
    """``fact("lab.below_min", test="anc", ...)``: values keep their order."""
    return Fact(code, tuple(values.items()))


def _json_value(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    raise TypeError(f"a fact's value cannot be {type(value).__name__}")
