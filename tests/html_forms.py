"""What a browser would submit: the fields of a form in a page, with their current values."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id, action):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.action = action
        self.inside = False
        self.fields = []  # (name, value) in page order; a multi-valued name appears more than once
        self.select = None  # [name, first option value, selected value]
        self.textarea = None
        self.in_template = 0  # <template> content is inert: the browser does not submit it

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("action") == self.action) if self.action else attrs.get("id") == self.form_id
            return
        if tag == "template":
            self.in_template += 1
        if not self.inside or self.in_template:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "disabled" not in attrs:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value")  # (every option here has a value attribute)
            if self.select[1] is None:
                self.select[1] = value
            if "selected" in attrs:
                self.select[2] = value
        elif tag == "textarea" and name and "disabled" not in attrs:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, first, selected = self.select
            value = selected if selected is not None else first
            self.fields.append((name, value or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def form_fields(html, form_id="candidate-form", *, action=None):
    """{name: value} of the form ``form_id`` (or the one posting to ``action``) as the browser would post it
    (last value wins per name)."""
    parser = _FormParser(form_id, action)
    parser.feed(html)
    fields = dict(parser.fields)
    if not fields:
        raise AssertionError(f"no form {action or '#' + form_id} with fields in the page")
    return fields
