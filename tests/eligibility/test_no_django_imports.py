"""The rules engine is pure Python: nothing in screening/eligibility may import Django."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "screening" / "eligibility"
MODULES = sorted(PACKAGE.rglob("*.py"))


def django_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "django"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "django":
                found.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
            "__import__",
            "import_module",
        ):
            if any(isinstance(arg, ast.Constant) and str(arg.value).startswith("django") for arg in node.args):
                found.append("dynamic import of django")
    return found


@pytest.mark.requirement("URS-ELIG-026")
def test_the_engine_package_has_modules_to_check():
    names = {path.name for path in MODULES}
    assert {"__init__.py", "engine.py", "parsing.py", "protocol.py", "units.py", "labs.py"} <= names


@pytest.mark.requirement("URS-ELIG-026")
@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_module_does_not_import_django(path):
    assert django_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.requirement("URS-ELIG-026")
@pytest.mark.parametrize(
    "source",
    ["import django", "from django.db import models", "import django.conf as c", "__import__('django')"],
)
def test_the_check_detects_a_django_import(source):
    assert django_imports(source)
