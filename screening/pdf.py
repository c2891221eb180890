"""The eligibility checklist as a PDF for the paper study file (reportlab).

One candidate's latest evaluation: outcome, every criterion with its status
word and detail, protocol version, evaluation time, the electronic sign-off
if there is one (marked superseded when it covers an earlier evaluation),
and lines for the investigator's wet signature.

Details carry ≤, ≥, × and ×10⁹/L: the PDF embeds DejaVu Sans when the system
has it (Debian: fonts-dejavu-core), else reportlab's own Vera with the few
glyphs Vera lacks spelled out (⁹ → ^9).

In Chinese the PDF embeds WenQuanYi Zen Hei (Debian fonts-wqy-zenhei, installed
by ``make install``/the Dockerfile; a TrueType collection ReportLab reads with
``subfontIndex``; Noto CJK's CFF outlines it cannot use); the few glyphs that font
lacks (⁹, −) are set in DejaVu Sans inside the same paragraph.
"""

import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from screening import verdicts, vocabulary
from screening.selectors import checklist

STATUS_COLOURS = {"pass": "#0a6b36", "fail": "#b00020", "missing": "#7a5200", "not_applicable": "#555555"}
KEPT_ROWS = 3  # criteria rows kept on the page of the signatures

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
VERA = Path(reportlab.__file__).parent / "fonts"
SUPERSCRIPTS = str.maketrans({"⁰": "^0", "¹": "^1", "²": "^2", "³": "^3", "⁴": "^4", "⁵": "^5",
                              "⁶": "^6", "⁷": "^7", "⁸": "^8", "⁹": "^9", "→": "->"})
_fonts = {}


def fonts():
    """(regular, bold) font names for the active language, registered once; DejaVu Sans when available,
    WenQuanYi Zen Hei for Chinese."""
    latin()
    if translation.get_language() == "zh-hans":
        if "cjk" not in _fonts:
            if not CJK_FONT.exists():
                raise RuntimeError(f"{CJK_FONT} is missing: run `make install` (apt-get install fonts-wqy-zenhei)")
            pdfmetrics.registerFont(TTFont("Checklist-CJK", str(CJK_FONT), subfontIndex=0))
            _fonts["cjk"] = set(pdfmetrics.getFont("Checklist-CJK").face.charToGlyph)
        return "Checklist-CJK", "Checklist-CJK"
    return "Checklist", "Checklist-Bold"


def latin():
    if "fallback" not in _fonts:
        if (DEJAVU / "DejaVuSans.ttf").exists() and (DEJAVU / "DejaVuSans-Bold.ttf").exists():
            pdfmetrics.registerFont(TTFont("Checklist", str(DEJAVU / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("Checklist-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
            _fonts["fallback"] = False
        else:
            pdfmetrics.registerFont(TTFont("Checklist", str(VERA / "Vera.ttf")))
            pdfmetrics.registerFont(TTFont("Checklist-Bold", str(VERA / "VeraBd.ttf")))
            _fonts["fallback"] = True


def text(value, font="Checklist"):
    """Escaped for reportlab's paragraph markup, with glyphs the font lacks spelled out (Vera) or set in
    DejaVu Sans (the CJK font)."""
    value = str(value if value is not None else "")
    if font == "Checklist-CJK" and not _fonts.get("fallback"):
        covered = _fonts["cjk"]
        return "".join(escape(char) if ord(char) in covered or char in "\n\t"
                       else f'<font name="Checklist">{escape(char)}</font>' for char in value)
    value = escape(value)
    return value.translate(SUPERSCRIPTS) if _fonts.get("fallback") else value


def checklist_pdf(*, candidate, evaluation, signature, printed_by):
    """The PDF as bytes. ``signature``: the candidate's latest Signature or None. The facts and the
    sign-off are the print view's (``screening.selectors.checklist``); the last criteria rows, the
    sign-off and the wet-ink block are kept together, so a signature never stands alone on a page."""
    regular, bold = fonts()
    style = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=10)
    small = ParagraphStyle("small", parent=style, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444"))
    strong = ParagraphStyle("strong", parent=style, fontName=bold)
    heading = ParagraphStyle("heading", parent=style, fontName=bold, fontSize=14, leading=17, spaceAfter=2)
    section = ParagraphStyle("section", parent=style, fontName=bold, fontSize=10, leading=13,
                             spaceBefore=6, spaceAfter=3)
    styles = {"": style, "small": small, "strong": strong}

    def para(value, paragraph_style=style):
        return Paragraph(text(value, regular), paragraph_style)

    story = [
        para(_("Eligibility checklist — %(number)s") % {"number": candidate.screening_number}, heading),
        para(_("NALIRIFOX second-line chemotherapy for extrapulmonary high-grade neuroendocrine neoplasms · "
               "NCT07077551 · Second Affiliated Hospital, Zhejiang University School of Medicine"), small),
        Spacer(0, 2 * mm),
    ]
    outcome = (_("Outcome"), vocabulary.term("outcome", evaluation.outcome).on_paper)
    facts = [outcome, *checklist.facts(candidate, evaluation)]
    if len(facts) % 2:
        facts.append(("", ""))
    pairs = [facts[index:index + 2] for index in range(0, len(facts), 2)]
    fact_table = Table(
        [
            [cell for label, value in pair
             for cell in (para(label, strong), para(value, strong if (label, value) == outcome else style))]
            for pair in pairs
        ],
        colWidths=[30 * mm, 57 * mm, 30 * mm, 57 * mm], hAlign="LEFT",
    )
    fact_table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular),  # empty cells too: no unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    story += [fact_table, *(para(line, small) for line in checklist.notes(evaluation)), para(_("Criteria"), section)]

    header = [para("#", strong), para(_("Criterion"), strong), para(_("Status"), strong), para(_("Detail"), strong)]
    rows = []
    for number, criterion in enumerate(evaluation.criteria, start=1):
        status = criterion["status"]
        status_style = ParagraphStyle(f"status-{status}", parent=strong,
                                      textColor=colors.HexColor(STATUS_COLOURS.get(status, "#000000")))
        detail = verdicts.detail(criterion)
        notes = verdicts.notes(criterion)
        rows.append([
            para(number),
            para(verdicts.label(criterion)),
            para(vocabulary.term("criterion", status).on_paper, status_style),
            Paragraph("<br/>".join(text(line, regular) for line in [detail, *notes] if line), style),
        ])

    def criteria_table(table_rows, with_header):
        table = Table([header, *table_rows] if with_header else table_rows,
                      colWidths=[7 * mm, 60 * mm, 17 * mm, 90 * mm], repeatRows=1 if with_header else 0,
                      hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), regular),  # empty cells too: no unembedded Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *([("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)] if with_header else []),
            ("LINEBELOW", (0, 1 if with_header else 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ]))
        return table

    kept = rows[-KEPT_ROWS:]  # these rows go to the next page with the signatures, if they must
    if rows[:-KEPT_ROWS]:
        story.append(criteria_table(rows[:-KEPT_ROWS], with_header=True))
    signatures = [criteria_table(kept, with_header=not rows[:-KEPT_ROWS]), para(_("Electronic sign-off"), section)]
    signatures += [para(line, styles[kind]) for kind, line in checklist.sign_off(candidate, signature).lines]

    wet = Table(
        [
            [para(_("Investigator name"), strong), "", para(_("Date (YYYY-MM-DD)"), strong), ""],
            [para(_("Signature"), strong), "", "", ""],
        ],
        colWidths=[30 * mm, 72 * mm, 30 * mm, 42 * mm],
        rowHeights=[9 * mm, 11 * mm], hAlign="LEFT",
    )
    wet.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular),  # empty cells too: no unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
        ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black),
        ("LINEBELOW", (1, 1), (3, 1), 0.6, colors.black),
        ("SPAN", (1, 1), (3, 1)),
    ]))
    signatures += [
        para(_("Investigator's signature (wet ink)"), section),
        para(_("I have reviewed the eligibility criteria above against the source documents."), small),
        wet,
    ]
    story.append(KeepTogether(signatures))

    printed = _("%(number)s · protocol %(version)s · printed %(moment)s by %(user)s") % {
        "number": candidate.screening_number, "version": evaluation.protocol_version,
        "moment": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": printed_by.get_username()}
    page_word = _("page %(number)s")

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(18 * mm, 10 * mm, printed)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, page_word % {"number": doc.page})
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=12 * mm, bottomMargin=16 * mm,
        title=_("Eligibility checklist %(number)s") % {"number": candidate.screening_number},
        author="NALIRIFOX Screen", lang=translation.get_language(), initialFontName=regular,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
