"""Every accepted LIS header, in Chinese or English, case-insensitively."""

import pytest

from screening.labimport.headers import HEADERS, NotAHeader, columns

pytestmark = pytest.mark.requirement("URS-LAB-002")

ALL = [(role, header) for role, headers in HEADERS.items() for header in headers]


@pytest.mark.parametrize(("role", "header"), ALL)
def test_each_header_names_its_column(role, header):
    other_test = "项目名称" if role == "code" else "项目代码"
    cells = ["其他", header] + ([] if role in ("code", "name") else [other_test]) + (
        [] if role == "value" else ["结果"])
    assert columns(cells)[role] == 1


@pytest.mark.parametrize("header", ["RESULT", "Result", " result ", "Reference  Range", "COLLECTION TIME", "ｃｏｄｅ"])
def test_headers_match_case_insensitively_and_after_nfkc(header):
    found = columns(["test", header, "value" if "result" not in header.lower() else "unit"])
    assert 1 in found.values()


def test_code_and_name_both_found():
    assert columns(["项目代码", "项目名称", "结果"]) == {"code": 0, "name": 1, "value": 2}


@pytest.mark.parametrize("cells", [["项目名称", "单位"], ["结果", "单位"], [], ["", None]])
def test_a_row_without_test_and_result_is_not_a_header(cells):
    with pytest.raises(NotAHeader):
        columns(cells)


def test_two_columns_for_one_role_are_refused_not_guessed():
    with pytest.raises(NotAHeader, match="two columns"):
        columns(["项目名称", "结果", "检验结果"])
