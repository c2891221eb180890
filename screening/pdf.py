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

from screening import verdicts
from screening.services import signoff

STATUS_COLOURS = {"pass": "#0a6b36", "fail": "#b00020", "missing": "#7a5200", "not_applicable": "#555555"}

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


def moment(value):
    if not value:
        return "—"
    return _("%(moment)s (Asia/Shanghai)") % {"moment": timezone.localtime(value).strftime("%Y-%m-%d %H:%M")}


def checklist_pdf(*, candidate, evaluation, signature, printed_by):
    """The PDF as bytes. ``signature``: the candidate's latest Signature or None."""
    regular, bold = fonts()
    style = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=style, fontSize=8, leading=10, textColor=colors.HexColor("#444444"))
    strong = ParagraphStyle("strong", parent=style, fontName=bold)
    heading = ParagraphStyle("heading", parent=style, fontName=bold, fontSize=15, leading=19, spaceAfter=2)
    section = ParagraphStyle("section", parent=style, fontName=bold, fontSize=11, leading=14,
                             spaceBefore=8, spaceAfter=4)

    def para(value, paragraph_style=style):
        return Paragraph(text(value, regular), paragraph_style)

    story = [
        para(_("Eligibility checklist — %(number)s") % {"number": candidate.screening_number}, heading),
        para(_("NALIRIFOX second-line chemotherapy for extrapulmonary high-grade neuroendocrine neoplasms · "
               "NCT07077551 · Second Affiliated Hospital, Zhejiang University School of Medicine"), small),
        Spacer(0, 3 * mm),
    ]
    outcome = verdicts.outcome_word(evaluation.outcome).upper()
    outcome_label = _("Outcome")
    facts = [
        (_("Screening no."), candidate.screening_number),
        (_("Initials"), candidate.initials or "—"),
        (_("Screening date"), candidate.screening_date.isoformat()),
        (outcome_label, outcome),
        (_("Protocol version"), evaluation.protocol_version),
        (_("Evaluation time"), moment(evaluation.created_at)),
        (_("Evaluated by"), evaluation.created_by.get_username() if evaluation.created_by else _("batch import")),
        (_("Evaluation id"), f"{evaluation.pk}"),
    ]
    if candidate.subject_number:
        facts.append((_("Subject number"), _("%(subject)s (enrolled %(date)s)") % {
            "subject": candidate.subject_number, "date": candidate.enrolment_date}))
    if len(facts) % 2:
        facts.append(("", ""))
    pairs = [facts[index:index + 2] for index in range(0, len(facts), 2)]
    fact_table = Table(
        [
            [cell for label, value in pair
             for cell in (para(label, strong), para(value, strong if label == outcome_label else style))]
            for pair in pairs
        ],
        colWidths=[34 * mm, 53 * mm, 34 * mm, 53 * mm], hAlign="LEFT",
    )
    fact_table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular),  # empty cells too: no unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    story += [fact_table, para(_("Criteria"), section)]

    rows = [[para("#", strong), para(_("Criterion"), strong), para(_("Status"), strong), para(_("Detail"), strong)]]
    for number, criterion in enumerate(evaluation.criteria, start=1):
        status = criterion["status"]
        status_style = ParagraphStyle(f"status-{status}", parent=strong,
                                      textColor=colors.HexColor(STATUS_COLOURS.get(status, "#000000")))
        detail = verdicts.detail(criterion)
        notes = [note["text"] for note in verdicts.notes(criterion)]
        rows.append([
            para(number),
            para(verdicts.label(criterion)),
            para(verdicts.status_label(status), status_style),
            Paragraph("<br/>".join(text(line, regular) for line in [detail, *notes] if line), style),
        ])
    criteria_table = Table(rows, colWidths=[8 * mm, 62 * mm, 22 * mm, 82 * mm], repeatRows=1, hAlign="LEFT")
    criteria_table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular),  # empty cells too: no unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    story.append(criteria_table)

    story.append(para(_("Electronic sign-off"), section))
    if signature is None:
        story.append(para(_("No electronic sign-off recorded.")))
    else:
        story += [
            para(_("Signed by %(signer)s at %(moment)s.") % {
                "signer": signoff.printed_name(signature.signed_by), "moment": moment(signature.signed_at)}),
            para(_("Meaning: %(meaning)s") % {"meaning": signature.meaning}),
            para(_("Signed evaluation SHA-256: %(sha256)s") % {"sha256": signature.evaluation_sha256}, small),
        ]
        if signature.evaluation_id != candidate.latest_evaluation_id:
            story.append(para(
                _("SUPERSEDED: this signature covers the evaluation of %(moment)s; the candidate's data changed "
                  "afterwards and the evaluation above is not signed.")
                % {"moment": moment(signature.evaluation.created_at)}, strong,
            ))

    wet = Table(
        [
            [para(_("Investigator name"), strong), "", para(_("Date (YYYY-MM-DD)"), strong), ""],
            [para(_("Signature"), strong), "", "", ""],
        ],
        colWidths=[34 * mm, 68 * mm, 34 * mm, 38 * mm],
        rowHeights=[10 * mm, 12 * mm], hAlign="LEFT",
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
    story.append(KeepTogether([
        para(_("Investigator's signature (wet ink)"), section),
        para(_("I have reviewed the eligibility criteria above against the source documents."), small),
        wet,
    ]))

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
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
        title=_("Eligibility checklist %(number)s") % {"number": candidate.screening_number},
        author="NALIRIFOX Screen", lang=translation.get_language(), initialFontName=regular,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
