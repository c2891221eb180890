"""The streaming reader of the batch input (screening/eligibility/batch.py)."""

import io
import json

import pytest

from screening.eligibility.batch import CHUNK, BatchError, check_structure, records



def read(data: bytes) -> list:
    return list(records(io.BytesIO(data)))


@pytest.mark.requirement("URS-BATCH-001", "URS-BATCH-004")
def test_reads_each_object_in_order():
    assert read(b' [ {"a": 1} ,\n{"b": [1, 2]} ] \n') == [{"a": 1}, {"b": [1, 2]}]
    assert read(b"[]") == [] and read(b" [ ] ") == []


@pytest.mark.requirement("URS-INPUT-005")
def test_a_byte_order_mark_is_skipped():
    assert read('\ufeff[{"a": "é"}]'.encode()) == [{"a": "é"}]


@pytest.mark.requirement("URS-BATCH-002")
@pytest.mark.parametrize(
    "data",
    [b"", b"{}", b'{"a": 1}', b"[1, 2]", b'[{"a": 1}, "x"]', b"not json", b'[{"a": 1}', b'[{"a": 1},]',
     b'[{"a": 1}] x', b'[{"a": 1}] []', b'[{"a": 1} {"b": 2}]', b"[\xff]", b'[{"a": "\xc3"}]', b"[{\"a\": 1}]]",
     b"[" + b'{"a":' * 100000 + b"1" + b"}" * 100000 + b"]", b'[{"a": "line\nbreak"}]'],
)
def test_input_that_is_not_a_utf8_json_array_of_objects_is_refused(data):
    with pytest.raises(BatchError):
        check_structure(io.BytesIO(data))


@pytest.mark.requirement("URS-INPUT-003", "URS-INPUT-005")
def test_nan_tokens_and_duplicates_are_read_for_the_record_to_refuse():
    (record,) = read(b'[{"ecog": NaN, "sex": "female", "sex": "male"}]')
    assert record["ecog"].is_nan()
    assert record.duplicates == ("sex",)


@pytest.mark.requirement("URS-BATCH-004")
def test_elements_larger_than_the_read_chunk_are_read_whole():
    big = {"screening_number": "A", "note": "x" * (3 * CHUNK)}
    data = json.dumps([big, {"b": 1}, big]).encode()
    assert read(data) == [big, {"b": 1}, big]
    assert check_structure(io.BytesIO(data)) == 3


@pytest.mark.requirement("URS-BATCH-004")
def test_many_small_records_across_chunk_boundaries():
    items = [{"i": index, "s": "é" * (index % 7)} for index in range(90000)]
    data = json.dumps(items, ensure_ascii=False).encode()  # multi-byte characters split across reads
    assert len(data) > 2 * CHUNK
    assert read(data) == items


@pytest.mark.requirement("URS-BATCH-004")
def test_the_buffer_stays_bounded():
    from screening.eligibility import batch

    data = b"[" + b",".join(b'{"a": 1}' for _ in range(600000)) + b"]"
    reader = batch._Reader(io.BytesIO(data))
    largest = 0
    assert reader.peek() == "["
    reader.position += 1
    for index in range(600000):
        reader.element(index)
        largest = max(largest, len(reader.buffer))
        reader.peek()
        reader.position += 1
    assert largest <= 3 * CHUNK
