"""Protocol definitions (spec section 7): one TOML file per protocol
version, read strictly into a frozen ``Protocol`` whose criteria are
configured rule objects (``criteria.KINDS``); a ``Registry`` of versions
answers which one is in force on a day.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .criteria import KINDS, Criterion
from .criteria.base import Param
from .types import CandidateRecord

PROTOCOLS_DIR = Path(__file__).resolve().parent / "protocols"
TOP_LEVEL_KEYS = ("trial", "version", "effective_from", "site_timezone", "lab_window_days", "criterion")


class ProtocolError(ValueError):
    """A protocol definition that cannot be used (refused as a whole), or no version in force."""


@dataclass(frozen=True, slots=True, eq=False)
class Protocol:
    trial: str
    version: str
    effective_from: date
    site_timezone: str
    lab_window_days: int
    criteria: tuple[Criterion, ...]
    sha256: str
    zone: ZoneInfo = field(repr=False, default=None)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def first_dose_date(self, record: CandidateRecord) -> date | None:
        """The calendar date of the planned first dose in the site's time zone."""
        first_dose = record.planned_first_dose
        return None if first_dose is None else first_dose.astimezone(self.zone).date()

    def today(self) -> date:
        return datetime.now(self.zone).date()


def _where(index: int, table: dict) -> str:
    criterion_id = table.get("id")
    return f"[[criterion]] #{index}" + (f" (id = {criterion_id!r})" if isinstance(criterion_id, str) else "")


def _parameter(value, spec: Param, where: str, key: str):
    def refuse(problem: str):
        raise ProtocolError(f"{where}, key {key!r}: {problem}")

    if spec.type == "choices":
        if not isinstance(value, list) or not value:
            refuse(f"must be a non-empty list of: {', '.join(spec.allowed)}")
        for item in value:
            if not isinstance(item, str) or item not in spec.allowed:
                refuse(f"{item!r} is not one of: {', '.join(spec.allowed)}")
        if len(set(value)) != len(value):
            refuse("lists a value twice")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        refuse(f"must be {'an integer' if spec.type == 'integer' else 'a number'}, not {type(value).__name__}")
    if spec.type == "integer" and not isinstance(value, int):
        refuse(f"must be a TOML integer, not {value}")
    if isinstance(value, Decimal) and not value.is_finite():
        refuse(f"must be a finite number, not {value}")
    if value < 0:
        refuse(f"must not be negative (got {value})")
    if spec.maximum is not None and value > spec.maximum:
        refuse(f"must be at most {spec.maximum} (got {value})")
    return value if spec.type == "integer" else Decimal(value)


def _criterion(index: int, table, seen: set[str]) -> Criterion:
    where = f"[[criterion]] #{index}"
    if not isinstance(table, dict):
        raise ProtocolError(f"{where}: must be a table")
    where = _where(index, table)
    criterion_id = table.get("id")
    if not isinstance(criterion_id, str):
        raise ProtocolError(f"{where}, key 'id': is required (text)")
    kind = KINDS.get(criterion_id)
    if kind is None:
        raise ProtocolError(f"{where}, key 'id': unknown criterion {criterion_id!r}; known: {', '.join(KINDS)}")
    if criterion_id in seen:
        raise ProtocolError(f"{where}, key 'id': criterion {criterion_id!r} appears twice")
    seen.add(criterion_id)
    for key in table:
        if key != "id" and key not in kind.parameters:
            known = ", ".join(kind.parameters) or "none"
            raise ProtocolError(f"{where}, key {key!r}: unknown parameter (parameters of {criterion_id}: {known})")
    params = {}
    for key, spec in kind.parameters.items():
        if key not in table:
            raise ProtocolError(f"{where}, key {key!r}: missing parameter")
        params[key] = _parameter(table[key], spec, where, key)
    problem = kind.validate(params)
    if problem:
        raise ProtocolError(f"{where}, key {problem[0]!r}: {problem[1]}")
    return kind(criterion_id, **params)


def load_protocol(source: bytes | Path) -> Protocol:
    """Read a protocol definition (its bytes, or a path); ``ProtocolError``
    names the table and key of the first problem."""
    if isinstance(source, (str, Path)):
        name = str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise ProtocolError(f"cannot read protocol file {name}: {error.strerror or error}") from None
    else:
        data = bytes(source)
    try:
        document = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise ProtocolError("the protocol file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ProtocolError(f"the protocol file is not valid TOML: {error}") from None

    for key in document:
        if key not in TOP_LEVEL_KEYS:
            raise ProtocolError(f"top level, key {key!r}: unknown key (allowed: {', '.join(TOP_LEVEL_KEYS)})")
    for key in TOP_LEVEL_KEYS:
        if key not in document:
            raise ProtocolError(f"top level, key {key!r}: missing")
    for key in ("trial", "version", "site_timezone"):
        if not isinstance(document[key], str) or not document[key].strip():
            raise ProtocolError(f"top level, key {key!r}: must be non-empty text")
    effective = document["effective_from"]
    if not isinstance(effective, date) or isinstance(effective, datetime):
        raise ProtocolError("top level, key 'effective_from': must be a TOML date (YYYY-MM-DD)")
    try:
        zone = ZoneInfo(document["site_timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ProtocolError(
            f"top level, key 'site_timezone': {document['site_timezone']!r} is not an IANA time zone"
        ) from None
    window = _parameter(document["lab_window_days"], Param("integer"), "top level", "lab_window_days")
    tables = document["criterion"]
    if not isinstance(tables, list) or not tables:
        raise ProtocolError("top level, key 'criterion': at least one [[criterion]] table is required")
    seen: set[str] = set()
    criteria = tuple(_criterion(index, table, seen) for index, table in enumerate(tables, 1))
    return Protocol(
        trial=document["trial"],
        version=document["version"],
        effective_from=effective,
        site_timezone=document["site_timezone"],
        lab_window_days=window,
        criteria=criteria,
        sha256=hashlib.sha256(data).hexdigest(),
        zone=zone,
    )


class Registry:
    """The registered protocol versions."""

    def __init__(self, protocols):
        self._protocols = tuple(sorted(protocols, key=lambda protocol: protocol.effective_from))
        versions = [protocol.version for protocol in self._protocols]
        for version in versions:
            if versions.count(version) > 1:
                raise ProtocolError(f"protocol version {version!r} is registered twice")

    def all(self) -> tuple[Protocol, ...]:
        return self._protocols

    def get(self, version: str) -> Protocol:
        for protocol in self._protocols:
            if protocol.version == version:
                return protocol
        raise KeyError(version)

    def in_force(self, day: date) -> Protocol:
        """The version with the latest ``effective_from`` on or before ``day``."""
        current = [protocol for protocol in self._protocols if protocol.effective_from <= day]
        if not current:
            raise ProtocolError(f"no protocol version is in force on {day.isoformat()}")
        return current[-1]

    def current(self) -> Protocol:
        """The version in force today in the site's time zone."""
        if not self._protocols:
            raise ProtocolError("no protocol version is registered")
        return self.in_force(self._protocols[-1].today())

    @classmethod
    def from_directories(cls, *directories: Path) -> Registry:
        return cls(load_protocol(path) for directory in directories for path in sorted(Path(directory).glob("*.toml")))


_DEFAULT: Registry | None = None


def default_registry() -> Registry:
    """The versions shipped in the engine package (``protocols/*.toml``)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Registry.from_directories(PROTOCOLS_DIR)
    return _DEFAULT
