"""Bad input never gives a server error and never half-saves (hypothesis).

Random and hostile values (huge numbers, NaN, Infinity, unicode, SQL and HTML
injection, template syntax, NUL bytes, missing fields, repeated fields,
tampered formset counts and versions, oversized bodies) are posted to the
candidate form (new and edit), its live preview, the login form and the list
filters, and fed to ``evaluate_candidates``. Every response is 200 / 302 /
400 / 403 and says what was wrong; the row counts change only when the
submission was accepted, and then by exactly one evaluation.
"""

import io
import json
from decimal import Decimal
from itertools import count

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening import eligibility, interchange
from screening.models import Candidate, Evaluation, LabResult, Lesion, PregnancyTest
from tests.conftest import eligible_record, run_evaluate_candidates
from tests.html_forms import form_fields

FUZZ = settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE = [
    "", " ", "NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "1e309", "-1e309", "1e-400",
    "9" * 400, "-" + "9" * 40, "0.000000000000000000001", "-0", "-1", "0x1A", "1_000", "12,5", "+5", "5.", ".5",
    "1e5", "--1", "١٢٣", "１２", "Ⅻ", "2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01", "10000-01-01",
    "2026-03-02T25:00", "2026-03-02T09:00:00+25:00", "True", "False", "None", "null", "true", "on", "[]", "{}",
    "' OR 1=1 --", "'; DROP TABLE screening_candidate; --", "\" OR \"\"=\"", "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% debug %}", "${jndi:ldap://x}", "../../etc/passwd",
    "\x00", "a\x00b", "\u202eevil", "\ud7ff", "😀" * 30, "A" * 5000, "\r\n\r\n", "%00", "%s%s%s%n",
]
hostile_value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
MESSAGE_MARKERS = ("Nothing was saved", "invalid-feedback", "alert-danger", "errorlist", "was changed by")
ROW_MODELS = (Candidate, Evaluation, LabResult, Lesion, PregnancyTest)


def counts():
    return tuple(model.objects.count() for model in ROW_MODELS) + (Candidate.history.count(),)


def mutations(keys):
    """A list of changes to a form: (key, value) to set, (key, None) to drop, (key, [values]) to repeat."""
    key = st.one_of(st.sampled_from(sorted(keys)), st.sampled_from(["unknown", "labs-99-value", "version"]))
    change = st.one_of(
        st.tuples(key, hostile_value),
        st.tuples(key, st.none()),
        st.tuples(key, st.lists(hostile_value, min_size=2, max_size=3)),
    )
    return st.lists(change, min_size=1, max_size=6)


def apply(base, changes):
    data = dict(base)
    for key, value in changes:
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def assert_answered(response, changes):
    assert response.status_code in (200, 302, 400, 403), (response.status_code, changes)
    if response.status_code == 200:
        page = response.content.decode()
        assert any(marker in page for marker in MESSAGE_MARKERS), (changes, page[:2000])
    if response.status_code == 400:
        assert response.content.strip()


def assert_saved_consistently(number):
    """An accepted submission stored a candidate the engine accepts, evaluated from what is stored."""
    candidate = Candidate.objects.get(screening_number=number)
    record = candidate.to_record()
    eligibility.parse_candidate(json.loads(json.dumps(record, default=str)))
    assert candidate.latest_evaluation.input["screening_number"] == number


@pytest.fixture
def coordinator(users):
    client = Client()
    client.force_login(users["coordinator"])
    return client


@pytest.fixture
def edit_form(coordinator, make_candidate):
    number = make_candidate(screening_number="NLX-FZ-001").screening_number
    page = coordinator.get(f"/candidates/{number}/edit/")
    return number, form_fields(page.content.decode())


@pytest.mark.requirement("URS-INPUT-010")
def test_hostile_edits_of_a_candidate(coordinator, edit_form):
    number, base = edit_form

    @FUZZ
    @given(changes=mutations(base))
    def check(changes):
        data = {**base, "version": str(Candidate.objects.get(screening_number=number).version)}
        data = apply(data, changes)
        before = counts()
        response = coordinator.post(f"/candidates/{number}/edit/", data)
        assert_answered(response, changes)
        after = counts()
        if response.status_code == 302:
            assert after[1] == before[1] + 1 and after[0] == before[0], changes  # one evaluation, same candidate
            assert_saved_consistently(number)
        else:
            assert after == before, changes

    check()


@pytest.mark.requirement("URS-INPUT-010")
def test_hostile_new_candidates(coordinator, edit_form):
    _, edit = edit_form
    numbers = count(1)
    page = coordinator.get("/candidates/new/")
    assert page.status_code == 200
    base = {key: edit.get(key, value) for key, value in form_fields(page.content.decode()).items()}
    base.update({key: value for key, value in edit.items() if key.startswith(("labs-", "lesions-", "pregnancy"))})
    for prefix in (rows.key for rows in interchange.ROWS):
        base[f"{prefix}-INITIAL_FORMS"] = "0"
        base = {k: v for k, v in base.items() if not (k.startswith(f"{prefix}-") and k.endswith("-id"))}
    base["version"] = ""

    @FUZZ
    @given(changes=mutations(base))
    def check(changes):
        number = f"NLX-FZN-{next(numbers):04d}"
        data = apply({**base, "screening_number": number}, changes)
        before = counts()
        response = coordinator.post("/candidates/new/", data)
        assert_answered(response, changes)
        after = counts()
        if response.status_code == 302:
            assert after[0] == before[0] + 1 and after[1] == before[1] + 1, changes
            saved = response["Location"].rstrip("/").rsplit("/", 1)[-1]
            assert_saved_consistently(saved)
        else:
            assert after == before, changes

    check()


@pytest.mark.requirement("URS-INPUT-010")
def test_the_unchanged_forms_are_accepted(coordinator, edit_form):
    """The base the fuzzer mutates is valid (otherwise the tests above would only ever see refusals)."""
    number, base = edit_form
    assert coordinator.post(f"/candidates/{number}/edit/", base).status_code == 302


@pytest.mark.requirement("URS-INPUT-010", "URS-CAND-008")
def test_hostile_live_previews_never_save(coordinator, edit_form):
    number, base = edit_form

    @FUZZ
    @given(changes=mutations(base))
    def check(changes):
        before = counts()
        response = coordinator.post(f"/candidates/{number}/preview/", apply(base, changes), HTTP_HX_REQUEST="true")
        assert response.status_code in (200, 400, 403), changes
        assert counts() == before

    check()


@pytest.mark.requirement("URS-INPUT-010")
@FUZZ
@given(params=st.dictionaries(st.sampled_from(["q", "outcome", "state", "sort", "page", "per_page", "failing",
                                               "screening_date_after", "screening_date_before", "x"]),
                              hostile_value, max_size=4))
def test_hostile_list_filters(coordinator, params):
    params = {key: value.replace("\x00", "") for key, value in params.items()}  # a URL cannot carry NUL
    response = coordinator.get("/candidates/", params)
    assert response.status_code in (200, 302, 400, 404), params


@pytest.mark.requirement("URS-INPUT-010")
@FUZZ
@given(username=hostile_value, password=hostile_value)
def test_hostile_logins(db, username, password):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code in (200, 400, 429), (username, password)


@pytest.mark.requirement("URS-INPUT-010")
def test_wrong_types_and_oversized_bodies(coordinator, edit_form):
    number, base = edit_form
    url = f"/candidates/{number}/edit/"
    cases = [
        # (what is posted, the statuses it may get)
        (dict(data=json.dumps(base), content_type="application/json"), {200}),  # JSON instead of a form
        (dict(data=b"\xff\xfe\x00garbage", content_type="application/x-www-form-urlencoded"), {200, 400}),
        (dict(data={**base, "reason": "x" * (3 * 1024 * 1024)}), {400}),  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        (dict(data={**base, **{f"f{i}": "1" for i in range(2000)}}), {400}),  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
        (dict(data={**base, "labs-TOTAL_FORMS": "1000000000"}), {200}),
        (dict(data={**base, "labs-TOTAL_FORMS": "-1", "labs-INITIAL_FORMS": "NaN"}), {200}),
        (dict(data={**base, "ecog": ["0", "1", "2"]}), {200, 302}),  # a repeated field: the last value counts
        (dict(data={**base, "weight_kg": io.BytesIO(b"60")}), {200, 302}),  # a file: the field is not sent
    ]
    for index, (request, allowed) in enumerate(cases):
        before = counts()
        version = Candidate.objects.get(screening_number=number).version
        if isinstance(request["data"], dict):
            request["data"]["version"] = str(version)
        response = coordinator.post(url, **request)
        assert response.status_code in allowed, (index, response.status_code)
        if response.status_code == 302:
            assert counts()[1] == before[1] + 1
            assert_saved_consistently(number)
        else:
            assert counts() == before, index
            assert_answered(response, index)


@pytest.mark.requirement("URS-ROLE-001")
def test_roles_without_edit_rights_are_refused(client_for, edit_form):
    number, base = edit_form
    before = counts()
    for role in ("investigator", "monitor", "norole"):
        assert client_for(role).post(f"/candidates/{number}/edit/", base).status_code == 403
    assert counts() == before


# --- evaluate_candidates ----------------------------------------------------------

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                      st.floats(allow_nan=False, allow_infinity=False), hostile_value)
json_value = st.recursive(json_leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                          max_leaves=8)
RECORD_KEYS = sorted(eligible_record())


@st.composite
def hostile_records(draw):
    record = eligible_record(screening_number=f"NLX-CMD-{draw(st.integers(0, 5))}")
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(RECORD_KEYS + ["labs.0.value", "labs.0.unit", "diagnosis.type", "extra"]))
        value = draw(st.one_of(json_value, st.sampled_from([Decimal("NaN"), Decimal("Infinity"), "9" * 500])))
        if draw(st.booleans()) and "." not in key:
            record.pop(key, None)
        elif "." in key:
            head, *rest = key.split(".")
            target = record.get(head)
            for part in rest[:-1]:
                target = target[int(part)] if isinstance(target, list) and target else None
            if isinstance(target, dict):
                target[rest[-1]] = value
        else:
            record[key] = value
    return record


def encode(value):
    return json.dumps(value, default=str, ensure_ascii=False)


@pytest.mark.requirement("URS-BATCH-001", "URS-INPUT-003")
@FUZZ
@given(batch=st.lists(hostile_records(), min_size=1, max_size=4))
def test_hostile_batches_for_evaluate_candidates(db, batch):
    text = encode(batch).replace('"NaN"', "NaN").replace('"Infinity"', "Infinity")
    before = counts()
    code, out = run_evaluate_candidates(text, "--save")
    assert code in (0, 1), out[:500]
    results = json.loads(out)
    assert len(results) == len(batch)
    assert all(("error" in entry) != ("outcome" in entry) for entry in results)
    saved = sum("error" not in entry for entry in results)
    assert counts()[1] == before[1] + saved  # one evaluation per accepted entry, none for the others
    assert code == (1 if saved < len(batch) else 0)


@pytest.mark.requirement("URS-BATCH-002")
@FUZZ
@given(text=st.one_of(st.text(max_size=200), st.sampled_from(
    ["", "[", "[" * 5000, "{" * 5000, "[{}]" * 3, '{"a": 1}', "[1, 2]", "NaN", "[NaN]", "\x00", "null",
     "[" + "1" * 100000 + "]", '[{"screening_number": "' + "x" * 100000 + '"}]'])))
def test_garbage_input_for_evaluate_candidates(db, text):
    before = counts()
    code, out = run_evaluate_candidates(text, "--save")
    assert code in (0, 1, 2)
    if code != 2:
        json.loads(out)
    assert counts()[0] == before[0] or code != 2
