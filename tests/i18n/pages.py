"""Reading a rendered page as a person does: its visible text and accessible names.

``leftover_english(html, data=...)`` lists the English words a Chinese page still shows
outside data values (screening numbers, initials, user names) and the abbreviations a Chinese
clinical team writes in Latin letters (ECOG, ALT, ULN, CSV …).
"""

import re
from html.parser import HTMLParser

# Written in Latin letters in Chinese clinical documents too.
ALLOWED = {
    "NALIRIFOX", "Screen", "NCT", "CONSORT", "ECOG", "RECIST", "ANC", "ALT", "AST", "ULN", "DFS", "CrCl",
    "CSV", "XLSX", "PDF", "ZIP", "SHA", "UTF", "Excel", "ISO", "YYYY", "MM", "DD", "NLX", "NEC", "NET", "MiNEN",
    "CT", "MRI", "CRC", "IU", "mL", "min", "kg", "mm", "dL", "mg", "mmol", "umol", "mol", "g", "L", "U", "n",
    "R", "S", "Cockcroft", "Gault", "II", "UCUM", "NE", "HMAC", "HH",
}
SKIPPED_ELEMENTS = {"script", "style", "code", "template"}
DATA_CLASSES = {"audit-old", "audit-new"}  # values as stored (codes, numbers), shown in the audit trail
NAMED_BY = ("aria-label", "title", "placeholder", "alt")
WORD = re.compile(r"[A-Za-z]+")
HEX = re.compile(r"\b[0-9a-f]{64}\b")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.opened = []  # tags that started a skipped region (closed by the same tag name)
        self.texts = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        # <code> holds machine names; an element with its own lang (the language switcher) is in that language.
        # translate="no" marks codes (criterion ids); data-value marks data shown as entered.
        if (tag in SKIPPED_ELEMENTS or "data-value" in attrs or attrs.get("translate") == "no"
                or DATA_CLASSES & set((attrs.get("class") or "").split())
                or (self.lang and attrs.get("lang", self.lang) != self.lang)):
            self.skipping += 1
            self.opened.append(tag)
            return
        if self.skipping:
            return
        self.texts += [attrs[name] for name in NAMED_BY if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self.skipping and tag in self.opened:
            self.opened.remove(tag)
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data)


def read(html):
    reader = _Reader()
    reader.feed(html)
    return reader


def visible_text(html):
    return "\n".join(read(html).texts)


def leftover_english(html, data=()):
    """English words (of two letters or more) in the page's text, outside ``data`` and ALLOWED."""
    text = HEX.sub(" ", visible_text(html))
    for value in sorted(data, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", " ", text)
    return sorted({word for word in WORD.findall(text) if word not in ALLOWED and len(word) > 1})


def chinese_in(html, data=()):
    text = visible_text(html)
    for value in data:
        text = text.replace(value, " ")
    return CJK.findall(text)


def html_lang(html):
    return read(html).lang
