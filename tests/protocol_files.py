"""Test-only protocol versions: protocol 1.0's definition file with edits, registered through PROTOCOL_DIRS."""

from screening.eligibility.protocol import PROTOCOLS_DIR

SHIPPED = (PROTOCOLS_DIR / "protocol-1.0.toml").read_text(encoding="utf-8")

# The amendment the tests walk through: ECOG ≤ 2, a 21-day lab window, life expectancy dropped.
AMENDMENT = (
    ('version = "1.0"', 'version = "2.0-test"'),
    ("effective_from = 2025-04-22", "effective_from = 2026-01-01"),
    ("lab_window_days = 14", "lab_window_days = 21"),
    ('id = "ecog"\nmax = 1', 'id = "ecog"\nmax = 2'),
    ('[[criterion]]\nid = "life_expectancy"\nmin_months = 3\n\n', ""),
)


def protocol_text(edits):
    text = SHIPPED
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text


def register(settings, tmp_path, edits=AMENDMENT, name="protocol-2.0-test.toml"):
    """Register protocol 1.0 plus a version made of ``edits``; returns the new file's path."""
    directory = tmp_path / "protocols"
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(protocol_text(edits), encoding="utf-8")
    settings.PROTOCOL_DIRS = [PROTOCOLS_DIR, directory]
    return path
