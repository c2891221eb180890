"""Reading files: format from the content, encodings, and hostile files (refused with a message)."""

import io
import zipfile
from decimal import Decimal

import pytest

from screening.labimport import readers
from screening.labimport.readers import UnreadableFile, read
from tests.labimport.conftest import LIS_TEXT, csv_bytes, fixture_bytes, xlsx_bytes

pytestmark = pytest.mark.requirement("URS-LAB-001", "URS-LAB-005")


@pytest.mark.parametrize(("name", "kind"), [
    ("lis-gb18030.csv", "csv"), ("lis-utf8-bom.csv", "csv"), ("bundle-cn.json", "fhir"),
])
def test_format_is_detected_from_the_content(name, kind):
    assert read(fixture_bytes(name)).format == kind


def test_xlsx_detected(lis_xlsx):
    assert read(lis_xlsx).format == "xlsx"


def test_gb18030_and_utf8_bom_read_the_same_rows():
    gb = read(fixture_bytes("lis-gb18030.csv")).rows
    bom = read(fixture_bytes("lis-utf8-bom.csv")).rows
    assert [row.cells for row in gb] == [row.cells for row in bom]
    assert gb[0].locator == "line 2"
    assert gb[0].cells["name"] == "中性粒细胞绝对值"
    assert len(gb) == len(LIS_TEXT.strip().splitlines()) - 1


def test_utf8_without_bom_and_tab_separated():
    text = LIS_TEXT.replace(",", "\t")
    rows = read(text.encode("utf-8")).rows
    assert rows[0].cells["value"] == "2.1"


def test_blank_lines_are_skipped_and_line_numbers_kept():
    rows = read(csv_bytes("", "PLT,血小板计数,120,10^9/L,125-350,2026-02-27 08:30")).rows
    assert [row.locator for row in rows] == ["line 3"]


def test_title_lines_before_the_header_are_skipped():
    rows = read("检验报告单\n\n项目名称,结果,单位\n血小板计数,120,10^9/L\n".encode()).rows
    assert rows[0].locator == "line 4"


def test_xlsx_cells_keep_numbers_exact_and_formulas_unevaluated(lis_xlsx):
    rows = read(lis_xlsx).rows
    assert rows[0].cells["value"] == Decimal("2.1")
    assert rows[0].locator == "row 2"
    formula = rows[-1]
    assert formula.formulas == frozenset({"value"})
    assert formula.cells["value"].startswith("=cmd|")


def test_fhir_bundle_skips_other_resources_and_keeps_decimal_text():
    rows = read(fixture_bytes("bundle-cn.json")).rows
    assert all(row.resource["resourceType"] == "Observation" for row in rows)
    anc = rows[0]
    assert anc.locator == "Observation/anc-1"
    assert str(anc.resource["valueQuantity"]["value"]) == "1.50"


def test_single_observation():
    rows = read(b'{"resourceType": "Observation", "id": "x", "status": "final"}').rows
    assert [row.locator for row in rows] == ["Observation/x"]


def test_observation_without_id_is_located_by_entry():
    rows = read(b'{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Observation"}}]}').rows
    assert rows[0].locator == "entry[0]"


HOSTILE = {
    "empty": b"",
    "blank": b"  \n\r\n ",
    "binary": bytes(range(256)) * 4,
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40,
    "old xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    "utf-16": "项目名称,结果\n血小板计数,120\n".encode("utf-16"),
    "truncated json": b'{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Obs',
    "json array": b"[1, 2, 3]",
    "json patient": b'{"resourceType": "Patient", "id": "p"}',
    "json NaN": b'{"resourceType": "Observation", "valueQuantity": {"value": NaN}}',
    "deeply nested json": b'{"resourceType": "Bundle", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "json not utf-8": b'{"resourceType": "Observation", "id": "\xb0\xa1\xff"}',
    "latin-1 csv": "name,result\ncaf\xe9,1\n".encode("latin-1") + b"\xff\xfe\xfd",
    "csv without header": b"PLT,120\nHGB,112\n",
    "zip, not xlsx": None,
    "truncated xlsx": None,
    "bundle entry not a list": b'{"resourceType": "Bundle", "entry": {"resource": {}}}',
}


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_with_a_message(name, lis_xlsx):
    data = HOSTILE[name]
    if name == "zip, not xlsx":
        data = _zip({"hello.txt": b"hello"})
    elif name == "truncated xlsx":
        data = lis_xlsx[: len(lis_xlsx) // 2]
    with pytest.raises(UnreadableFile) as error:
        read(data)
    assert str(error.value)


def test_xlsx_bomb_is_refused_before_parsing(monkeypatch):
    shared = b"<sst>" + b"<si><t>" + b"A" * (60 * 1024 * 1024) + b"</t></si></sst>"
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": shared})
    assert len(bomb) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not see a bomb")

    import openpyxl
    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read(bomb)


def test_xlsx_with_many_parts_is_refused():
    with pytest.raises(UnreadableFile, match="too many parts"):
        readers.check_zip(_zip({f"x{i}.xml": b"" for i in range(readers.XLSX_MAX_ENTRIES + 1)}))


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    with pytest.raises(UnreadableFile, match="more than 3"):
        read(csv_bytes(*["PLT,血小板计数,120,10^9/L,,2026-02-27"] * 5))


def test_huge_csv_field_is_refused():
    with pytest.raises(UnreadableFile, match="CSV"):
        read(csv_bytes('PLT,"' + "x" * 200_000 + '",1,g/L,,2026-02-27'))


def test_xlsx_without_header_row():
    with pytest.raises(UnreadableFile, match="header"):
        read(xlsx_bytes([["a", "b"], [1, 2]]))
