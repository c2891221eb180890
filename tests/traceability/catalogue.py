"""The user requirements (docs/validation/requirements.yaml): loading and checking the catalogue.

One catalogue, read by the pytest plugin (unknown ids fail collection) and by the matrix generator.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = ROOT / "docs" / "validation" / "requirements.yaml"

ID_PATTERN = re.compile(r"URS-[A-Z0-9]+-\d{3}")
# Risk class -> whether CI fails when a requirement of that class has no passing test.
RISKS = {"patient safety": True, "data integrity": True, "usability": False}
KEYS = {"id", "text", "source", "risk", "planned", "engines"}


class CatalogueError(ValueError):
    """The requirements file is not a valid catalogue; the message names the entry and key."""


@dataclass(frozen=True)
class Requirement:
    id: str
    text: str
    source: str
    risk: str
    planned: int | None = None  # an open issue that delivers it; not yet part of the validated scope
    engines: tuple[str, ...] | None = None  # only these database engines can prove it (None: every engine)

    @property
    def gated(self) -> bool:
        """CI fails when this requirement has no passing test."""
        return RISKS[self.risk] and self.planned is None

    @property
    def area(self) -> str:
        return self.id.split("-")[1]


def _requirement(entry, index) -> Requirement:
    where = f"requirements[{index}]"
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: not a mapping")
    where = f"requirements[{index}] ({entry.get('id', 'no id')})"
    unknown = set(entry) - KEYS
    if unknown:
        raise CatalogueError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    for key in ("id", "text", "source", "risk"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise CatalogueError(f"{where}.{key}: required text")
    if not ID_PATTERN.fullmatch(entry["id"]):
        raise CatalogueError(f"{where}.id: must look like URS-AREA-001")
    if entry["risk"] not in RISKS:
        raise CatalogueError(f"{where}.risk: one of {', '.join(RISKS)}")
    text = " ".join(entry["text"].split())
    if not text.endswith("."):
        raise CatalogueError(f"{where}.text: one sentence, ending with a full stop")
    planned = entry.get("planned")
    if planned is not None and (not isinstance(planned, int) or isinstance(planned, bool) or planned < 1):
        raise CatalogueError(f"{where}.planned: the number of the open issue that delivers it")
    engines = entry.get("engines")
    if engines is not None and (not isinstance(engines, list) or not engines
                                or not all(isinstance(e, str) and e.strip() for e in engines)
                                or len(set(engines)) != len(engines)):
        raise CatalogueError(f"{where}.engines: a list of distinct database engines (sqlite, postgresql)")
    return Requirement(id=entry["id"], text=text, source=" ".join(entry["source"].split()),
                       risk=entry["risk"], planned=planned, engines=tuple(engines) if engines else None)


def parse(text: str) -> dict[str, Requirement]:
    """The catalogue from YAML text, in file order; raises CatalogueError."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CatalogueError(f"not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("requirements"), list):
        raise CatalogueError("the file must hold a 'requirements' list")
    catalogue = {}
    for index, entry in enumerate(data["requirements"]):
        requirement = _requirement(entry, index)
        if requirement.id in catalogue:
            raise CatalogueError(f"requirements[{index}].id: {requirement.id} is listed twice")
        catalogue[requirement.id] = requirement
    return catalogue


def load(path: Path | str = DEFAULT_PATH) -> dict[str, Requirement]:
    return parse(Path(path).read_text(encoding="utf-8"))
