"""Floors: which module may import what. Imports are read from the source (``ast``), so a test fails
the day a module reaches past a floor."""

import ast
from pathlib import Path

import pytest

SCREENING = Path(__file__).resolve().parents[2] / "screening"
APP_MODULES = sorted(
    path for path in SCREENING.rglob("*.py")
    if "eligibility" not in path.relative_to(SCREENING).parts and "migrations" not in path.parts
)


def imported_modules(path):
    """Absolute names of the modules ``path`` imports (relative imports resolved against its package)."""
    package = ["screening", *path.relative_to(SCREENING).parent.parts]
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names += [module, *(f"{module}.{alias.name}" for alias in node.names)]
    return names


def relative(path):
    return str(path.relative_to(SCREENING.parent))


def test_there_are_modules_to_check():
    assert len(APP_MODULES) > 40


@pytest.mark.parametrize("path", APP_MODULES, ids=relative)
def test_the_application_uses_only_the_engines_public_api(path):
    """``screening.eligibility`` exports what the application needs; its submodules are its own."""
    internal = [name for name in imported_modules(path)
                if name.startswith("screening.eligibility.") and name.split(".")[2] in ENGINE_SUBMODULES]
    assert internal == []


ENGINE_SUBMODULES = {path.stem for path in (SCREENING / "eligibility").iterdir() if not path.stem.startswith("_")}


@pytest.mark.parametrize("path", [path for path in APP_MODULES if "admin" in path.stem], ids=relative)
def test_the_admin_imports_no_view(path):
    assert [name for name in imported_modules(path) if name.startswith("screening.views")] == []


VIEWS = sorted((SCREENING / "views").glob("*.py"))
ORM = {"objects", "select_related", "prefetch_related", "annotate", "values_list", "exists", "history"}


def orm_calls(path):
    tree = ast.parse(path.read_text())
    calls = [node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr in ORM]
    calls += [name for name in imported_modules(path) if name.startswith("django.db") or name.endswith("get_object_or_404")]
    return calls


@pytest.mark.parametrize("path", VIEWS, ids=relative)
def test_views_make_no_orm_call(path):
    """Views do request → selector / service → render: reads in selectors, writes in services."""
    assert orm_calls(path) == []


@pytest.mark.parametrize("path", VIEWS, ids=relative)
def test_views_define_no_form_filter_or_table(path):
    bases = {"Form", "ModelForm", "FilterSet", "Table"}
    defined = [node.name for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ClassDef)
               and any(getattr(base, "attr", getattr(base, "id", "")) in bases for base in node.bases)]
    assert defined == []


ROOT = SCREENING.parent
HAND_WRITTEN = sorted(
    path for folder in ("screening", "nalirifox_screen", "tests", "bench") for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts
)
MAX_LINES = 400


def test_no_hand_written_module_is_over_400_lines():
    """A module that outgrows this is split along a real seam (see README, Architecture)."""
    long = {str(path.relative_to(ROOT)): lines for path in HAND_WRITTEN
            if (lines := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}
