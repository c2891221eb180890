"""Lab import in a real browser: upload a CSV, read the preview, apply, see the checklist change and the marks."""

import re

import pytest
from playwright.sync_api import expect

from screening.models import LabImport, LabResult
from tests.conftest import eligible_record
from tests.labimport.conftest import ensure_seeded_mappings

pytestmark = [pytest.mark.e2e, pytest.mark.requirement("URS-LAB-003", "URS-LAB-004")]

DETAIL = "/candidates/NLX-S-001/"
CSV = "\r\n".join([
    "项目代码,项目名称,结果,单位,参考范围,采集时间,标本类型",
    "NEUT#,中性粒细胞绝对值,2.1,10^9/L,1.8-6.3,2026-02-27 08:30,全血",
    "NEUT%,中性粒细胞百分比,62.5,%,40-75,2026-02-27 08:30,全血",
    "PLT,血小板计数,120↓,×10⁹/L,125-350,2026-02-27 08:30,全血",
    "HGB,血红蛋白,112,g/L,115～150,2026-02-27 08:30,全血",
    "TBIL,总胆红素,12.5,μmol/L,0-21,2026-02-27 08:30,血清",
    "ALT,丙氨酸氨基转移酶,45↑,U/L,7-40,2026-02-27 08:30,血清",
    "AST,天门冬氨酸氨基转移酶,35,U/L,13-35,2026-02-27 08:30,血清",
    "CREA,肌酐,70,μmol/L,41～81,2026-02-27 08:30,血清",
    "β-HCG,人绒毛膜促性腺激素,阴性,,,2026-03-08 10:30,血清",
    "GLU,葡萄糖,5.6,mmol/L,3.9-6.1,2026-02-27 08:30,血清",
]) + "\r\n"


def test_upload_preview_apply_marks(logged_in_page, make_candidate, tmp_path, settings, screenshot, axe_check):
    settings.LAB_IMPORT_DIR = tmp_path / "imports"
    ensure_seeded_mappings()  # earlier live_server tests flush the migration's seed
    make_candidate(**{k: v for k, v in eligible_record(labs=[], pregnancy_tests=[]).items()
                      if k != "screening_number"})
    path = tmp_path / "检验结果.csv"
    path.write_bytes(CSV.encode("gb18030"))

    page = logged_in_page("coordinator")
    page.goto(DETAIL)
    expect(page.locator(".outcome-banner")).to_have_attribute("data-outcome", "incomplete")
    page.get_by_role("link", name="Import lab results").click()
    page.get_by_label("Lab results file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()

    expect(page).to_have_url(re.compile(r"/import/[0-9a-f]{64}/$"))
    rows = page.locator("tr.labimport-row")
    expect(rows).to_have_count(10)
    expect(page.locator('tr[data-source="line 3"]')).to_contain_text("percentage, not an absolute count")
    expect(page.locator('tr[data-source="line 11"]')).to_contain_text("no mapping for 'GLU'")
    expect(page.locator('tr[data-source="line 4"]')).to_contain_text("Platelets")
    expect(page.locator('tr[data-source="line 4"]')).to_contain_text("×10⁹/L")
    expect(page.locator(".labimport-outcome")).to_have_attribute("data-after", "eligible")
    expect(page.locator('tr.labimport-changed[data-criterion="anc"]')).to_have_attribute("data-after", "pass")
    assert LabResult.objects.count() == 0  # nothing stored before Apply
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("labimport-01-preview-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("labimport-02-preview-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name=re.compile("Apply: add 8")).click()
    expect(page).to_have_url(re.compile(f"{DETAIL}$"))
    expect(page.locator(".outcome-banner")).to_have_attribute("data-outcome", "eligible")
    expect(page.locator('[data-criterion="anc"] .imported-badge')).to_have_text("imported")
    expect(page.locator('[data-criterion="renal_function"] .imported-mark')).to_contain_text("检验结果.csv line 9")
    assert LabResult.objects.count() == 7 and LabImport.objects.count() == 1
    axe_check(page)
    screenshot("labimport-03-applied-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("labimport-04-applied-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator('[data-criterion="anc"] .imported-mark a').click()
    expect(page.locator("h1")).to_contain_text("Imported lab results")
    expect(page.locator("body")).to_contain_text(LabImport.objects.get().sha256)
    screenshot("labimport-05-source")
