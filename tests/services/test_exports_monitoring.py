"""Queries and verifications in the exports and the screening log; no free text when de-identified (issue 16)."""

import csv
import io
import zipfile

import pytest

from screening.deidentification import Policy
from screening.selectors import exports as export_selectors
from screening.services import exports, queries, sdv
from screening.source_items import items_of

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("URS-QRY-003", "URS-SDV-003")]
QUESTION = "Source note says ECOG 2 for WXL"


@pytest.fixture
def monitored(make_candidate, users):
    candidate = make_candidate()
    queries.raise_query(candidate=candidate, item="ecog", text=QUESTION, user=users["monitor"])
    lab = candidate.lab_results.first()
    sdv.verify(candidate=candidate, user=users["monitor"],
               shown={f"lab_results:{lab.pk}": next(i.fingerprint for i in items_of(candidate)
                                                   if i.key == f"lab_results:{lab.pk}")})
    return candidate


def sheets(user, policy):
    made = exports.export_book(user=user, dataset=exports.FULL, fmt=exports.CSV,
                               candidate_queryset=export_selectors.candidates(), policy=policy, scope={})
    archive = zipfile.ZipFile(io.BytesIO(made.content))
    return {name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()}


def test_deidentified_exports_list_queries_and_verifications_without_free_text(monitored, users):
    book = sheets(users["monitor"], Policy.deidentify())
    (query,) = book["queries"]
    assert query["item"] == "ecog" and query["state"] == "open" and query["messages"] == "1"
    assert "question" not in query and "item_label" not in query
    (mark,) = book["verifications"]
    assert mark["item"].startswith("lab_results:") and mark["verified_by"] == "monitor" and len(mark["fingerprint"]) == 64
    assert "item_label" not in mark
    everything = "".join(str(rows) for rows in book.values())
    assert QUESTION not in everything and "2026-02-27" not in str(book["verifications"])
    dictionary = {(row["table"], row["column"]) for row in book["data_dictionary"]}
    assert ("queries", "question") not in dictionary and ("queries", "state") in dictionary


def test_identified_exports_keep_the_text(monitored, users):
    book = sheets(users["admin"], Policy.identified())
    assert book["queries"][0]["question"] == QUESTION
    assert book["queries"][0]["item_label"] == "ECOG performance status"


def test_open_queries_in_the_screening_log_and_its_export(monitored, client_for, users):
    html = client_for("monitor").get("/log/").content.decode()
    assert '<a href="/queries/?candidate=NLX-S-001&amp;state=open">1</a>' in html
    made = exports.export_log_csv(user=users["monitor"], candidate_queryset=export_selectors.candidates(),
                                  policy=Policy.deidentify(), scope={})
    rows = list(csv.DictReader(io.StringIO("".join(made.content).lstrip("\ufeff"))))
    assert rows[0]["open_queries"] == "1"
