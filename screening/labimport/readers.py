"""Bytes -> source rows. The format is detected from the content, never from the file name:
a JSON object (FHIR), a ZIP (XLSX), otherwise text (CSV in UTF-8, with or without BOM, or GB18030).

Anything that cannot be read raises ``UnreadableFile`` with a message for the user; nothing here
evaluates a formula or follows a reference, and sizes are checked before anything is expanded.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .headers import NotAHeader, columns
from .problems import Problem, _

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 20
MAX_COLUMNS = 64
# XLSX is a ZIP: refuse a bomb (a few kB that expand to gigabytes of shared strings) before parsing.
XLSX_MAX_ENTRIES = 500
XLSX_MAX_ENTRY_BYTES = 40 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 80 * 1024 * 1024
XLSX_MAX_RATIO = 200  # uncompressed / compressed, for entries above 1 MB


class UnreadableFile(Problem):
    """The file as a whole cannot be read (exit 2 for the command, a form error on the web)."""


@dataclass
class SourceRow:
    locator: str                                   # "line 3", "row 3", "Observation/hb-1"
    cells: dict = field(default_factory=dict)      # LIS: role -> cell value (str, Decimal, datetime, ...)
    formulas: frozenset = frozenset()              # LIS roles whose cell holds a formula
    resource: dict | None = None                   # FHIR: the Observation, numbers as Decimal


@dataclass
class Source:
    format: str          # "fhir", "csv" or "xlsx"
    rows: list


def detect(data: bytes) -> str:
    if not data.strip():
        raise UnreadableFile(_("the file is empty"))
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(_("this is an old Excel .xls file: save it as .xlsx or CSV"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(_("the file is UTF-16 text: export it as UTF-8 or GB18030 CSV"))
    if b"\x00" in data[:65536]:
        raise UnreadableFile(_("the file is not text, JSON or XLSX (binary content)"))
    text_start = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    return "fhir" if text_start[:1] in (b"{", b"[") else "csv"


def read(data: bytes) -> Source:
    kind = detect(data)
    return Source(kind, {"fhir": read_fhir, "csv": read_csv, "xlsx": read_xlsx}[kind](data))


# --- FHIR ---------------------------------------------------------------------

def _json_decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"number {text[:20]!r} out of range") from None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def load_json(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("the JSON file is not UTF-8")) from None
    try:
        return json.loads(text, parse_float=_json_decimal, parse_int=_json_decimal,
                          parse_constant=_reject_constant)
    except RecursionError:
        raise UnreadableFile(_("the JSON is nested too deeply to be FHIR")) from None
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        raise UnreadableFile(_("the file is not valid JSON ({error})"), error=error) from None


def read_fhir(data: bytes) -> list[SourceRow]:
    document = load_json(data)
    if not isinstance(document, dict):
        raise UnreadableFile(_("the JSON is not a FHIR resource (expected a Bundle or an Observation object)"))
    kind = document.get("resourceType")
    if kind == "Observation":
        return [SourceRow(_observation_locator(document, "Observation"), resource=document)]
    if kind != "Bundle":
        raise UnreadableFile(_("the JSON is a FHIR {kind} resource, not a Bundle or an Observation"), kind=repr(kind))
    entries = document.get("entry") or []
    if not isinstance(entries, list):
        raise UnreadableFile(_("Bundle.entry is not a list"))
    rows = []
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
            continue  # other resource types are skipped silently (the contract)
        rows.append(SourceRow(_observation_locator(resource, f"entry[{index}]"), resource=resource))
        if len(rows) > MAX_ROWS:
            raise UnreadableFile(_("more than {limit} observations in one file"), limit=MAX_ROWS)
    return rows


def _observation_locator(resource: dict, fallback: str) -> str:
    identifier = resource.get("id")
    if isinstance(identifier, str) and identifier and len(identifier) <= 64:
        return f"Observation/{identifier}"
    return fallback


# --- LIS: CSV and XLSX ----------------------------------------------------------

def decode_text(data: bytes) -> str:
    """UTF-8 (a byte order mark is dropped) or, failing that, GB18030 — both decoded strictly."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile(_("the CSV is neither UTF-8 nor GB18030 text")) from None


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", "\t", ";"), key=first.count)


def read_csv(data: bytes) -> list[SourceRow]:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        lines = ((reader.line_num, row) for row in reader)
        return _table_rows(lines, "line")
    except csv.Error as error:
        raise UnreadableFile(_("the CSV cannot be read ({error})"), error=error) from None


def check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise UnreadableFile(_("the file looks like XLSX but is not a readable ZIP archive")) from None
    if len(entries) > XLSX_MAX_ENTRIES:
        raise UnreadableFile(_("the XLSX file has too many parts"))
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if (entry.file_size > XLSX_MAX_ENTRY_BYTES or total > XLSX_MAX_TOTAL_BYTES
                or (entry.file_size > 1024 * 1024 and ratio > XLSX_MAX_RATIO)):
            raise UnreadableFile(_("the XLSX part {part} expands to {size} bytes: refused as a zip bomb"),
                                 part=repr(entry.filename[:60]), size=format(entry.file_size, ","))
    return archive


def read_xlsx(data: bytes) -> list[SourceRow]:
    import openpyxl  # uses defusedxml when installed (it is): no entity expansion

    check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors)
        raise UnreadableFile(_("the XLSX file cannot be opened ({kind})"), kind=type(error).__name__) from None
    try:
        if not workbook.worksheets:
            raise UnreadableFile(_("the XLSX file has no worksheet"))
        sheet = workbook.worksheets[0]
        lines = (
            (cells[0].row if cells and hasattr(cells[0], "row") else number, [_cell(cell) for cell in cells])
            for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1)
        )
        return _table_rows(lines, "row")
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(_("the XLSX sheet cannot be read ({kind})"), kind=type(error).__name__) from None
    finally:
        workbook.close()


class Formula(str):
    """A cell that holds a formula: its text, never evaluated."""


def _cell(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        return Formula(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest text that reads back as the stored double
    if isinstance(value, (datetime, date)):
        return value
    return "" if value is None else str(value)


def _table_rows(lines, word: str) -> list[SourceRow]:
    """The first row that reads as a header names the columns; every later non-blank row is a result."""
    header = None
    problem = None
    rows = []
    iterated = 0
    for number, cells in lines:
        iterated += 1
        if iterated > MAX_ROWS * 2:
            raise UnreadableFile(_("more than {limit} rows in one file"), limit=MAX_ROWS)
        if header is None:
            if iterated > HEADER_SEARCH_ROWS:
                break
            try:
                header = columns(cells)
            except NotAHeader as error:
                problem = problem if problem is not None and "two columns" in problem.template else error
            continue
        if all(_blank(cell) for cell in cells):
            continue
        picked = {role: cells[index] if index < len(cells) else "" for role, index in header.items()}
        formulas = frozenset(role for role, cell in picked.items() if isinstance(cell, Formula))
        rows.append(SourceRow(f"{word} {number}", cells=picked, formulas=formulas))
        if len(rows) > MAX_ROWS:
            raise UnreadableFile(_("more than {limit} result rows in one file"), limit=MAX_ROWS)
    if header is None:
        raise UnreadableFile(problem.template, **problem.values) if problem else UnreadableFile(_("no header row found"))
    return rows


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
