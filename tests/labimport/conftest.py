"""Fixtures for the lab import tests: the fixture files, a candidate without labs, an XLSX builder."""

import importlib
import io
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import eligible_record

FIXTURES = Path(__file__).parent / "fixtures"
LIS_TEXT = (FIXTURES / "lis-export.csv.txt").read_text(encoding="utf-8")


def fixture_bytes(name):
    return (FIXTURES / name).read_bytes()


def csv_bytes(*lines, header="项目代码,项目名称,结果,单位,参考范围,采集时间", encoding="utf-8"):
    return "\n".join((header, *lines)).encode(encoding)


def xlsx_bytes(rows):
    """An XLSX whose first sheet holds ``rows`` (lists of cell values; "=..." strings become formulas)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "检验结果"
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("其他").append(["项目名称", "结果"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lis_xlsx_rows():
    """The LIS export as typed cells: numbers as numbers, times as Excel dates, plus a formula row."""
    import csv

    rows = list(csv.reader(io.StringIO(LIS_TEXT)))
    out = [rows[0]]
    for row in rows[1:]:
        cells = list(row)
        try:
            cells[3] = float(cells[3]) if "." in cells[3] else int(cells[3])
        except ValueError:
            pass
        cells[6] = datetime.strptime(cells[6].replace("/", "-")[:16], "%Y-%m-%d %H:%M")
        out.append(cells)
    out.append(["0012345", "HGB", "血红蛋白", "=cmd|' /C calc'!A0", "g/L", "115-150",
                datetime(2026, 2, 27, 8, 30), "2026-02-27 10:02", "全血"])
    return out


def ensure_seeded_mappings():
    """The mapping table as the data migration seeds it. Tests that flush the database (live_server and other
    transactional tests) also flush migration data, so tests that need the seed put it back."""
    from django.apps import apps

    from screening.models import LabTestMapping

    if not LabTestMapping.objects.exists():
        importlib.import_module("screening.migrations.0007_seed_lab_test_mappings").seed(apps, None)


@pytest.fixture(autouse=True)
def seeded_mappings(request):
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            ensure_seeded_mappings()
            return


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.LAB_IMPORT_DIR = tmp_path / "lab-imports"
    return settings.LAB_IMPORT_DIR


@pytest.fixture
def candidate(make_candidate):
    """NLX-S-001, screened 2026-03-02, female of childbearing potential, no labs and no pregnancy test yet."""
    return make_candidate(labs=[], pregnancy_tests=[])


@pytest.fixture
def lis_xlsx():
    return xlsx_bytes(lis_xlsx_rows())


__all__ = ["FIXTURES", "LIS_TEXT", "csv_bytes", "eligible_record", "fixture_bytes", "xlsx_bytes"]
