"""Streaming reader of the batch interface's input (spec section 6): a JSON
array of candidate objects, read one element at a time so that memory does
not grow with the batch.

``check_structure(file)`` reads the whole input once and raises
``BatchError`` (exit 2) unless it is a UTF-8 JSON array of objects;
``records(file)`` then yields each element, parsed by the engine's strict
``loads`` decoder (exact numbers, duplicate keys kept for refusal, NaN
tokens read). Each element is decoded by the standard library's
``JSONDecoder.raw_decode`` from a bounded text buffer.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import BinaryIO

from .fields import DECODER

CHUNK = 1 << 20  # bytes read at a time
_WHITESPACE = " \t\n\r"


class BatchError(ValueError):
    """The input as a whole is not a JSON array of objects (exit 2)."""


class _Reader:
    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.buffer = ""
        self.position = 0
        self.eof = False
        self.started = False

    def more(self, size: int = CHUNK) -> bool:
        """Append decoded text; False at the end of the input."""
        if self.eof:
            return False
        data = self.stream.read(size)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            raise BatchError(f"the input is not UTF-8 text ({error.reason} at byte {error.start})") from None
        if not self.started:
            self.started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        if self.position > CHUNK:  # drop what was consumed: the buffer stays bounded
            self.buffer = self.buffer[self.position:]
            self.position = 0
        self.buffer += text
        if not data:
            self.eof = True
        return True

    def peek(self) -> str:
        """The next character that is not JSON whitespace ('' at the end)."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in _WHITESPACE:
                self.position += 1
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self.more():
                return ""

    def element(self, index: int):
        if self.peek() != "{":
            raise BatchError(f"element {index} of the array is not a JSON object")
        size = CHUNK
        while True:
            try:
                value, end = DECODER.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if self.more(size):
                    size *= 2  # a large element: read more before trying again
                    continue
                raise BatchError(f"the input is not valid JSON: {error.msg} (element {index})") from None
            except RecursionError:
                raise BatchError(f"the input is not valid JSON: element {index} is nested too deeply") from None
            self.position = end
            return value


def records(stream: BinaryIO) -> Iterator[dict]:
    """Each element of the JSON array in ``stream``, in order."""
    reader = _Reader(stream)
    if reader.peek() != "[":
        raise BatchError("the input must be a JSON array of candidate objects (it does not start with '[')")
    reader.position += 1
    index = 0
    if reader.peek() == "]":
        reader.position += 1
    else:
        while True:
            yield reader.element(index)
            index += 1
            separator = reader.peek()
            reader.position += 1
            if separator == "]":
                break
            if separator != ",":
                raise BatchError(f"the input is not valid JSON: expected ',' or ']' after element {index - 1}")
    if reader.peek() != "":
        raise BatchError("the input is not valid JSON: text after the end of the array")


def check_structure(stream: BinaryIO) -> int:
    """Read the whole input once; the number of records, or ``BatchError``."""
    count = 0
    for _ in records(stream):
        count += 1
    return count
