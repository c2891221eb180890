"""The spec's worked examples: statuses and outcome exactly as expected."""

import json
from pathlib import Path

import pytest

from screening.eligibility import evaluate_entry, loads

# The CI clones the repo with shared/ beside it: <clone>/../shared.
EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "spec" / "examples"


def reduced(entry: dict) -> dict:
    """An output entry as the examples write it: statuses and outcome only,
    an error reduced to ``"error": true``."""
    if "error" in entry:
        return {"screening_number": entry["screening_number"], "error": True}
    return {
        "screening_number": entry["screening_number"],
        "outcome": entry["outcome"],
        "criteria": [{"id": row["id"], "status": row["status"]} for row in entry["criteria"]],
    }


def example_inputs() -> list[Path]:
    return sorted(EXAMPLES.glob("*.input.json"))


@pytest.mark.requirement("URS-ELIG-025")
def test_the_examples_folder_exists_and_holds_examples():
    assert EXAMPLES.is_dir(), f"spec examples not found at {EXAMPLES.resolve()}"
    assert len(example_inputs()) >= 4


@pytest.mark.requirement("URS-ELIG-025")
@pytest.mark.parametrize("source", example_inputs(), ids=lambda path: path.name.split(".")[0])
def test_example_gives_the_expected_statuses_and_outcome(source):
    expected = json.loads(source.with_name(source.name.replace(".input.", ".expected.")).read_text())
    entries = [evaluate_entry(obj) for obj in loads(source.read_text())]
    assert [reduced(entry) for entry in entries] == expected
    for entry in entries:
        if "error" in entry:
            assert isinstance(entry["error"], str) and entry["error"]
        else:
            assert entry["protocol_version"] == "1.0"
            assert all(row["detail"] for row in entry["criteria"])
