"""Keystrokes and Tab stops to enter one whole candidate in the candidate form, by keyboard only (issue 13).

    .venv/bin/python bench/keystrokes.py [--show]

Measured, not estimated: Debian's Chromium (Playwright) opens /candidates/new/ on a live server over a
throwaway SQLite database, focuses the first field and enters the same candidate as a coordinator would
from the paper file: Tab until the field is focused (every Tab counted, including the segment stops inside
a browser date input), then the characters typed (a <select> by its shortest type-ahead prefix, a checkbox
with Space, a button with Enter). What the form already shows correctly (the site's reporting unit, a
prefilled ULN the report agrees with) is left alone, as a coordinator would. At the end every field's
value is read back and compared with what was meant, and the form is saved: a figure is only printed for
an entry that the application accepted as that candidate, and whose every field reads back the same on its
edit page after saving. Dates are typed in ISO 8601's basic format (``20260302``, ``20260310 0900``), which
the form reads and shows back as ``2026-03-02``; ``--plan extended`` types them in the extended form instead.

The baseline is the form before issue 13, measured with this script's first version (the same candidate,
the same counting) on commit 67b228f; that form no longer exists in this tree, so its figures are carried
as constants (``BASELINE``) rather than re-measured. The plan it followed is kept in ``OLD_PLAN``.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

# Measured on commit 67b228f (the form before issue 13) with OLD_PLAN below.
BASELINE = {"keystrokes": 289, "tabs": 96, "fields": 46, "tab_stops": 85}

SITE_ULNS = [("bilirubin", "umol/L", "", "21"), ("alt", "U/L", "", "40"), ("ast", "U/L", "", "40"),
             ("creatinine", "umol/L", "female", "84"), ("creatinine", "umol/L", "male", "104")]
# The laboratory report, in the site's reporting units and with the site's ULNs.
REPORT = [("anc", "2.1"), ("platelets", "120"), ("haemoglobin", "112"), ("bilirubin", "12"), ("alt", "32"),
          ("ast", "35"), ("creatinine", "70")]
DRAWN = "2026-02-27"
DATE_FIELDS = ("_date", "_on", "date_of_birth", "planned_first_dose", "-collected")

CANDIDATE = [  # (field name, value) in the order of the paper file
    ("screening_number", "NLX-S-101"), ("initials", "LQ"), ("screening_date", "2026-03-02"),
    ("consent_signed_on", "2026-03-01"), ("date_of_birth", "1961-05-14"), ("sex", "female"),
    ("weight_kg", "58.5"),
    ("diagnosis_type", "NEC"), ("diagnosis_confirmation", "histological"), ("primary_site", "pancreas"),
    ("metastatic", "True"),
    ("prior_systemic_lines", "1"), ("prior_line_failed", "True"), ("ecog", "1"), ("life_expectancy_months", "6"),
    ("liver_metastases", "True"), ("lesions_assessed", True),
    ("lesions-0-site", "liver segment VII"), ("lesions-0-kind", "non_nodal"), ("lesions-0-method", "CT"),
    ("lesions-0-size_mm", "23"), ("lesions-0-slice_thickness_mm", "5"), ("lesions-0-imaged_on", "2026-02-26"),
    ("lesions-0-locally_treated", "False"),
]
TAIL = [
    ("planned_first_dose", "2026-03-10T09:00"), ("washout_any", "False"),
    ("childbearing_potential", "True"), ("contraception_agreed", "True"),
    ("add:pregnancy_tests", None),
    ("pregnancy_tests-0-specimen", "serum"), ("pregnancy_tests-0-result", "negative"),
    ("pregnancy_tests-0-collected", "2026-03-08T10:30"),
]
# Before issue 13: seven free lab rows, each with its own collection date.
OLD_PLAN = CANDIDATE + [
    step for index, (_, value) in enumerate(REPORT)
    for step in ((f"labs-{index}-value", value), (f"labs-{index}-collected", DRAWN))
] + TAIL
# The fixed panel: one blood-draw date, then the values in the report's order.
PANEL_PLAN = CANDIDATE + [("labs_drawn_on", DRAWN)] + [
    (f"labs-{index}-value", value) for index, (_, value) in enumerate(REPORT)
] + TAIL


def basic(value):
    """A date or date-time in ISO 8601's basic format, as this form also reads it: 20260302, 20260310 0900."""
    return value.replace("-", "").replace(":", "").replace("T", " ")


# This form: dates in the basic format; "Baseline imaging reviewed" is implied by the lesion row (the record's
# lesions are the row either way) and the pregnancy test's row is offered once childbearing potential is Yes.
EXTENDED_PLAN = [(name, value) for name, value in PANEL_PLAN if name not in ("lesions_assessed", "add:pregnancy_tests")]
NEW_PLAN = [(name, basic(value) if name.endswith(DATE_FIELDS) else value) for name, value in EXTENDED_PLAN]


def setup_django(database):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "1"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nalirifox_screen.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def site_data():
    from django.contrib.auth.models import Group, User

    from screening.models import ReferenceRange

    fields = {field.name for field in ReferenceRange._meta.fields}
    for test, unit, sex, uln in SITE_ULNS:
        if "sex" not in fields:  # the old model: one creatinine ULN
            if sex == "female":
                continue
            ReferenceRange.objects.create(test=test, unit=unit, uln=uln)
        else:
            ReferenceRange.objects.create(test=test, unit=unit, sex=sex, uln=uln)
    user = User.objects.create_user("bench-coordinator", password="bench-password-123")
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    return user


def start_server():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return f"http://127.0.0.1:{server.port}", server


FOCUSED = "() => { const e = document.activeElement; return e ? (e.name || e.dataset.formsetAdd && 'add:' + e.dataset.formsetAdd || e.id) : null; }"


def type_ahead(select, value):
    """The shortest prefix of the option's label that Chromium's type-ahead would land on (from the top)."""
    options = select.evaluate("s => Array.from(s.options).map(o => [o.value, o.label])")
    label = next(label for option, label in options if option == value)
    for length in range(1, len(label) + 1):
        prefix = label[:length].lower()
        first = next(option for option, text in options if text.lower().startswith(prefix))
        if first == value:
            return label[:length]
    return label[0]  # a label that is a prefix of another ("No", "Not recorded"): cycled to below


def enter(page, element, value, counts):
    kind = element.evaluate("e => e.tagName === 'SELECT' ? 'select' : (e.type || e.tagName.toLowerCase())")
    if kind == "checkbox":
        page.keyboard.press("Space")
        counts["keystrokes"] += 1
    elif kind in ("button", "submit"):
        page.keyboard.press("Enter")
        counts["keystrokes"] += 1
    elif kind == "select":
        text = type_ahead(element, value)
        page.keyboard.type(text)
        counts["keystrokes"] += len(text)
        for _ in range(10):  # the same letter again moves to the next option starting with it
            if element.input_value() == value:
                break
            page.keyboard.type(text[0])
            counts["keystrokes"] += 1
    elif kind == "date":  # Chromium's mm/dd/yyyy segments (its UI language), auto-advancing
        year, month, day = value.split("-")
        page.keyboard.type(month + day + year)
        counts["keystrokes"] += 8
    elif kind == "datetime-local":  # mm/dd/yyyy, hh:mm AM/PM; the year does not auto-advance: Tab to the hours
        day, time = value.split("T")
        year, month, day_ = day.split("-")
        hours, minutes = (int(part) for part in time.split(":"))
        clock = f"{(hours - 1) % 12 + 1:02d}{minutes:02d}" + ("P" if hours >= 12 else "A")
        page.keyboard.type(month + day_ + year)
        page.keyboard.press("Tab")
        page.keyboard.type(clock)
        counts["keystrokes"] += 8 + 1 + len(clock)
        counts["tabs"] += 1
    else:
        page.keyboard.type(value)
        counts["keystrokes"] += len(value)


def measure(page, base_url, plan):
    page.goto(base_url + "/candidates/new/")
    page.locator('[name="screening_number"]').focus()  # the one click into the form (not counted)
    counts = {"keystrokes": 0, "tabs": 0, "fields": len(plan), "steps": []}
    for name, value in plan:
        before = dict(counts)
        for _ in range(200):
            if page.evaluate(FOCUSED) == name:
                break
            page.keyboard.press("Tab")
            counts["tabs"] += 1
            counts["keystrokes"] += 1
        else:
            raise AssertionError(f"{name} is never reached by Tab")
        element = page.locator(":focus")
        enter(page, element, value, counts)
        if isinstance(value, str):
            got = page.locator(f'[name="{name}"]').input_value()
            assert got == value, f"{name}: typed {value!r}, the form holds {got!r}"
        counts["steps"].append((name, counts["tabs"] - before["tabs"], counts["keystrokes"] - before["keystrokes"]))
    counts["tab_stops"] = tab_stops(page)
    return counts


def meant(plan, *, saved):
    """What the form must show for each step once entered: a date typed in the basic format in the extended
    form (as the page shows it once the field is left), the rest as typed; after saving, every date in the
    extended form with a space before the time (as the edit page shows it)."""
    extended = {name: value.replace("T", " ") for name, value in PANEL_PLAN if isinstance(value, str)}
    return {name: extended[name] if name.endswith(DATE_FIELDS) and (saved or value == basic(extended[name]))
            else value for name, value in plan if isinstance(value, str)}


def read_back(page, expected, where):
    for name, value in expected.items():
        got = page.locator(f'[name="{name}"]').input_value()
        assert got == value, f"{where}: {name} should show {value!r}, the form holds {got!r}"


def tab_stops(page):
    """Focusable controls inside the form (a date input counts once here; its segments are Tabs above)."""
    controls = ", ".join(f"#candidate-form {tag}" for tag in ("input", "select", "textarea", "button", "a[href]"))
    return page.evaluate("selector => Array.from(document.querySelectorAll(selector)).filter(e => e.type !== 'hidden'"
                         " && !e.disabled && e.tabIndex >= 0 && e.offsetParent !== null).length", controls)


def saved(page, base_url, plan):
    """Save the entry, then read every field back from the saved candidate's edit page."""
    page.evaluate("() => document.activeElement.blur()")  # as the click on "Save" does (the change event)
    read_back(page, meant(plan, saved=False), "entered")
    page.wait_for_timeout(500)  # the live preview the blur sets off (400 ms), answered before saving: SQLite
    page.wait_for_function("() => !document.querySelector('.htmx-request')")  # takes one write at a time
    page.locator('#candidate-form button[type="submit"]').click()
    page.wait_for_load_state()
    from screening.models import Candidate

    candidate = Candidate.objects.filter(screening_number="NLX-S-101").first()
    assert candidate is not None, "the entry was not saved: " + page.locator(".error-summary").inner_text()
    page.goto(base_url + "/candidates/NLX-S-101/edit/")
    read_back(page, meant(plan, saved=True), "saved")
    return candidate.latest_evaluation.outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", choices=("new", "extended", "old"), default="new",
                        help="old: the plan of the form before issue 13 (to re-measure it on commit 67b228f); "
                             "extended: this form with the dates typed in the extended format (2026-03-02)")
    parser.add_argument("--show", action="store_true", help="print the Tab presses and keystrokes of every field")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(Path(directory) / "bench.sqlite3")
        user = site_data()
        base_url, server = start_server()
        from django.test import Client
        from playwright.sync_api import sync_playwright

        client = Client()
        client.force_login(user)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                          timezone_id="Asia/Shanghai")
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                  "url": base_url}])
            page = context.new_page()
            page.set_default_timeout(10_000)
            plan = {"old": OLD_PLAN, "extended": EXTENDED_PLAN, "new": NEW_PLAN}[options.plan]
            counts = measure(page, base_url, plan)
            outcome = saved(page, base_url, plan if options.plan != "old" else [])
            browser.close()
        server.terminate()
    if options.show:
        for name, tabs, keys in counts["steps"]:
            print(f"  {name:34}{tabs:>4} Tab{keys:>5} keys")
    print(f"candidate NLX-S-101 entered by keyboard and saved ({outcome}); plan: {options.plan}")
    print(f"{'':28}{'keystrokes':>12}{'of them Tab':>13}{'values':>8}{'tab stops':>11}")
    rows = [("this form", counts)]
    if options.plan == "new" and BASELINE["keystrokes"]:
        rows.insert(0, ("before issue 13 (67b228f)", BASELINE))
    for name, row in rows:
        print(f"{name:28}{row['keystrokes']:>12}{row['tabs']:>13}{row['fields']:>8}{row.get('tab_stops', ''):>11}")
    if len(rows) == 2:
        ratio = counts["keystrokes"] / BASELINE["keystrokes"]
        tabs = counts["tabs"] / BASELINE["tabs"]
        print(f"ratio keystrokes {ratio:.2f}, Tab {tabs:.2f} (target <= 0.50): "
              f"{'OK' if ratio <= 0.5 else 'ABOVE TARGET'}")
        own = counts["keystrokes"] - counts["tabs"]  # the candidate's characters, type-ahead letters, Space
        floor = own + counts["fields"] - 1  # and one Tab from each value to the next: nothing prefilled
        print(f"floor without prefilling: {own} own keystrokes + {counts['fields'] - 1} Tab (one per value) = "
              f"{floor} (ratio {floor / BASELINE['keystrokes']:.2f}); the own keystrokes alone are "
              f"{own / BASELINE['keystrokes']:.2f} of the baseline")


if __name__ == "__main__":
    main()
