"""Display and input formats, the same in every language (FORMAT_MODULE_PATH).

Dates read ISO (2026-03-02) and times 24-hour in both languages; the decimal
point is "." and numbers are not grouped. Date fields accept ISO, 2026/03/02
and 2026年3月2日 (``%m``/``%d`` also match one digit). Django 5.2's own zh_Hans
DATE_INPUT_FORMATS contain an invalid directive (``%Y年%n月%j日``), so without
this module no typed Chinese date would parse.
"""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "m-d"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日 %H:%M:%S",
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 0
FIRST_DAY_OF_WEEK = 1  # Monday
