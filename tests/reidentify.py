"""A re-identification attack on de-identified files, as the security assessment ran it.

The attacker holds a de-identified file. Every value of an evaluated record
is in it except the secret date offset and the dates of birth (replaced by
the age in years). The attacker guesses them, rebuilds the record, hashes it
the way the application hashes records (SHA-256 of canonical JSON, a public
algorithm), and looks the digest up among the file's cells:

1. a candidate with no date of birth: try the 365 possible offsets;
2. with the offset known, each other candidate: try the ~366 birth dates
   that give the exported age.

``recover`` returns what it found; a safe file gives nothing.
"""

import re
from datetime import date, datetime, timedelta

from screening.services.candidates import sha256_of

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def shifted(value, days):
    """``value`` (an interchange record) with every ISO date and datetime moved by ``days``."""
    if isinstance(value, dict):
        return {key: shifted(item, days) for key, item in value.items()}
    if isinstance(value, list):
        return [shifted(item, days) for item in value]
    if isinstance(value, str) and ISO_DATE.match(value):
        if len(value) == 10:
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        return (datetime.fromisoformat(value) + timedelta(days=days)).isoformat()
    return value


def completed_years(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def birth_dates(age, on):
    """Every date of birth that gives completed ``age`` years on day ``on`` (about 366 of them)."""
    day, last = date(on.year - age - 1, 1, 1), date(on.year - age, 12, 31)
    while day <= last:
        if completed_years(day, on) == age:
            yield day
        day += timedelta(days=1)


def recover(*, cells, views):
    """Try the attack. ``cells``: every value in the file. ``views``: per evaluated record, what the file
    tells about it: {"record": the record with shifted dates and no date of birth, "age": int or None}.

    Returns {"shift_days": ..., "dates_of_birth": {screening number: date}} with what was recovered.
    """
    cells = set(cells)
    found = {"shift_days": None, "dates_of_birth": {}}
    for view in views:
        if view["age"] is None:
            for days in range(1, 366):
                if sha256_of(shifted(view["record"], days)) in cells:
                    found["shift_days"] = -days
                    break
        if found["shift_days"] is not None:
            break
    if found["shift_days"] is None:
        return found
    for view in views:
        if view["age"] is None:
            continue
        record = shifted(view["record"], -found["shift_days"])
        for born in birth_dates(view["age"], date.fromisoformat(record["screening_date"])):
            if sha256_of({**record, "date_of_birth": born.isoformat()}) in cells:
                found["dates_of_birth"][record["screening_number"]] = born
                break
    return found
