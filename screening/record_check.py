"""Every error the engine finds in an interchange record, not only the first (issue 13: all errors at once).

``eligibility.parse_candidate`` stops at the first field it cannot trust. To list them all, the record is
parsed again with that field blanked (a row that stays wrong is set aside) until it parses: each message is
the engine's own, for the field it names, and no rule is restated here.
"""

import copy

from screening import eligibility
from screening.eligibility import InvalidRecord
from screening.interchange import ROW_PATH as ROW
LIMIT = 200  # parses at most: more than any form can hold errors


def _blank(record, path):
    """Set the value at dotted ``path`` to None; False when there was nothing to blank."""
    *heads, last = path.split(".")
    for key in heads:
        record = record.get(key) if isinstance(record, dict) else None
    if not isinstance(record, dict) or record.get(last) is None:
        return False
    record[last] = None
    return True


def record_errors(record, *, site_timezone):
    """The engine's ``InvalidRecord`` for every wrong field of ``record``, in the order found; paths name the
    rows of ``record`` as given (``labs[3].uln``) even after earlier rows were set aside."""
    record = copy.deepcopy(record)
    rows = {key: list(range(len(value))) for key, value in record.items()
            if ROW.fullmatch(f"{key}[0]") and isinstance(value, list)}
    errors, seen = [], set()
    for _ in range(LIMIT):
        try:
            eligibility.parse_candidate(record, site_timezone=site_timezone)
            return errors
        except InvalidRecord as error:
            match = ROW.fullmatch(error.field)
            if match and match[1] in rows:
                key, index, leaf = match[1], int(match[2]), match[3]
                path = f"{key}[{rows[key][index]}]" + (f".{leaf}" if leaf else "")
                first = path not in seen
                if first:
                    errors.append(InvalidRecord(path, error.message))
                    seen.add(path)
                entry = record[key][index]
                if not (first and leaf and isinstance(entry, dict) and _blank(entry, leaf)):
                    del record[key][index], rows[key][index]  # still wrong without it: set the row aside
                continue
            if error.field in seen or not _blank(record, error.field):
                if error.field not in seen:
                    errors.append(error)
                return errors  # a required field the rest depends on (the screening date): stop here
            errors.append(error)
            seen.add(error.field)
    return errors
