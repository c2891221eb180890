"""LIS column headers, in Chinese or English, matched case-insensitively (lab-import.md, "LIS export")."""

from __future__ import annotations

import re
import unicodedata

from .problems import Problem, _
from .values import shown

# role -> headers accepted. "code" and "name" both name the test (the code is preferred);
# "reported" is the collection time only when no collection column exists.
HEADERS = {
    "code": ("项目代码", "code"),
    "name": ("项目名称", "检验项目", "test", "name"),
    "value": ("结果", "检验结果", "result", "value"),
    "unit": ("单位", "unit"),
    "range": ("参考范围", "参考值", "reference range", "range"),
    "collected": ("采集时间", "采样时间", "collected", "collection time"),
    "reported": ("报告时间", "reported"),
    "specimen": ("标本类型", "标本", "specimen"),
}


def header_key(text: object) -> str:
    """How a header cell is compared: NFKC, trimmed, case-folded, inner blanks collapsed."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return re.sub(r"\s+", " ", text).strip().casefold()


_ROLE_OF = {header_key(header): role for role, headers in HEADERS.items() for header in headers}


class NotAHeader(Problem):
    pass


def columns(cells: list) -> dict[str, int]:
    """role -> column index for a header row; raises ``NotAHeader`` (with the reason) when the row lacks
    a test or a result column, or names one role twice."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        role = _ROLE_OF.get(header_key(cell))
        if role is None:
            continue
        if role in found:
            raise NotAHeader(_("two columns for the {role}: {first} and {second}; keep one"),
                             role=role, first=shown(cells[found[role]]), second=shown(cell))
        found[role] = index
    if ("code" in found or "name" in found) and "value" in found:
        return found
    raise NotAHeader(_("no header row with a test column (项目名称, test, …) and a result column (结果, result, …)"))
