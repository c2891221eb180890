"""Exports keep their machine column names in every language; the data dictionary and the about sheet
describe each column and item in English and Chinese."""

import csv
import io

import openpyxl
import pytest

from tests.i18n.pages import CJK

pytestmark = pytest.mark.requirement("URS-I18N-005")


def sheet(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def download(client, **data):
    response = client.post("/exports/", {"dataset": "candidate_data", "format": "xlsx",
                                         "identification": "deidentified", "dates": "shift", **data})
    assert response.status_code == 200, response.content[:500]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                             else response.content), read_only=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_column_names_and_codes_are_the_same_in_both_languages(settings, client_for, make_candidate, language):
    settings.LANGUAGE_CODE = language
    make_candidate()
    book = download(client_for("monitor"))
    candidates = sheet(book, "candidates")
    assert "screening_number" in candidates[0] and "sex" in candidates[0]
    assert candidates[0]["sex"] == "female" and candidates[0]["outcome"] == "eligible"
    assert not any(CJK.search(str(key)) for key in candidates[0])


def test_dictionary_and_about_sheets_are_bilingual(chinese, client_for, make_candidate):
    make_candidate()
    book = download(client_for("monitor"))
    dictionary = sheet(book, "data_dictionary")
    assert {"table", "column", "type", "description", "description_zh"} <= set(dictionary[0])
    for row in dictionary:
        assert row["description"] and not CJK.search(row["description"]), row
        assert CJK.search(row["description_zh"]), row
    ecog = next(row for row in dictionary if row["table"] == "candidates" and row["column"] == "ecog")
    assert ecog["description"] == "ECOG performance status 0–5." and ecog["description_zh"] == "ECOG 体能状态 0–5 分。"
    platelets = next(row for row in dictionary if row["column"] == "status_platelets")
    assert platelets["description_zh"].startswith("血小板计数 ≥")
    about = {row["item"]: row for row in sheet(book, "about")}
    assert about["dataset"]["description_zh"] == "文件包含的数据。"
    assert about["dataset"]["description"] == "Which data the file holds."
    assert all(row["description"] and CJK.search(row["description_zh"]) for row in about.values())


def test_dictionary_csv_has_both_description_columns(chinese, client_for):
    response = client_for("monitor").get("/exports/data-dictionary.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and all(row["description"] and CJK.search(row["description_zh"]) for row in rows)
    assert all(not CJK.search(row["column"] + row["type"]) for row in rows)


def test_exports_page_shows_the_dictionary_in_the_readers_language(chinese, client_for):
    html = client_for("monitor").get("/exports/").content.decode()
    assert "ECOG 体能状态 0–5 分。" in html and "ECOG performance status 0–5." not in html
    html = client_for("monitor").get("/exports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ECOG performance status 0–5." in html
