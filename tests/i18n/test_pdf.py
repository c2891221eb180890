"""The PDF checklist in Chinese: Chinese labels read back by pypdf, every font embedded."""

import io
import re

import pytest
from pypdf import PdfReader

from screening import verdicts
from tests.conftest import eligible_record, with_lab

pytestmark = pytest.mark.requirement("URS-I18N-005")


def fonts_of(reader):
    """{font name: embedded?} over every page (a Type0 font is embedded through its descendant)."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descriptor_owner.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


@pytest.fixture
def chinese_pdf(chinese, client_for, make_candidate):
    make_candidate(**with_lab(eligible_record(screening_number="NLX-S-007"), "platelets", value="95"))
    response = client_for("investigator").get("/candidates/NLX-S-007/checklist.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def test_chinese_pdf_reads_back_in_chinese(chinese_pdf):
    text = " ".join(" ".join(page.extract_text() for page in chinese_pdf.pages).split())
    for word in ("入选标准核查表", "NLX-S-007", "不符合入选", "方案版本", "研究者手写签名", "尚无研究者电子签名"):
        assert word in text, word
    for label in ("血小板计数", "中性粒细胞绝对值", "血红蛋白", "总胆红素", "丙氨酸氨基转移酶（ALT）", "血清妊娠试验阴性"):
        assert label in text, label
    assert re.search(r"血小板计数 ≥ 100 \S+ 不符合", text), text
    assert "95 ×10" in text  # the value used, its unit's superscript set in the Latin font


def test_every_font_of_the_chinese_pdf_is_embedded(chinese_pdf):
    fonts = fonts_of(chinese_pdf)
    assert any("WenQuanYi" in name or "Checklist-CJK" in name or "Zen" in name for name in fonts), fonts
    assert all(fonts.values()), fonts


def test_english_pdf_stays_english(client_for, make_candidate):
    make_candidate()
    reader = PdfReader(io.BytesIO(client_for("investigator").get("/candidates/NLX-S-001/checklist.pdf").content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Eligibility checklist" in text and "入选" not in text
    assert all(fonts_of(reader).values())


def test_criterion_labels_come_from_the_readers_language(chinese):
    assert verdicts.label({"id": "platelets", "label": "Platelet count"}) == "血小板计数"
