"""The eligibility checklist as a PDF for the paper study file (reportlab).

One candidate's latest evaluation: outcome, every criterion with its status
word and detail, protocol version, evaluation time, the electronic sign-off
if there is one (marked superseded when it covers an earlier evaluation),
and lines for the investigator's wet signature.

Details carry ≤, ≥, × and ×10⁹/L: the PDF embeds DejaVu Sans when the system
has it (Debian: fonts-dejavu-core), else reportlab's own Vera with the few
glyphs Vera lacks spelled out (⁹ → ^9).
"""

import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from screening import vocabulary
from screening.selectors.signoff import SUPERSEDED
from screening.services import signoff

STATUS_COLOURS = {"pass": "#0a6b36", "fail": "#b00020", "missing": "#7a5200", "not_applicable": "#555555"}

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
VERA = Path(reportlab.__file__).parent / "fonts"
SUPERSCRIPTS = str.maketrans({"⁰": "^0", "¹": "^1", "²": "^2", "³": "^3", "⁴": "^4", "⁵": "^5",
                              "⁶": "^6", "⁷": "^7", "⁸": "^8", "⁹": "^9", "→": "->"})
_fonts = {}


def fonts():
    """(regular, bold) font names, registered once; DejaVu Sans when available."""
    if not _fonts:
        if (DEJAVU / "DejaVuSans.ttf").exists() and (DEJAVU / "DejaVuSans-Bold.ttf").exists():
            pdfmetrics.registerFont(TTFont("Checklist", str(DEJAVU / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("Checklist-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
            _fonts["fallback"] = False
        else:
            pdfmetrics.registerFont(TTFont("Checklist", str(VERA / "Vera.ttf")))
            pdfmetrics.registerFont(TTFont("Checklist-Bold", str(VERA / "VeraBd.ttf")))
            _fonts["fallback"] = True
    return "Checklist", "Checklist-Bold"


def text(value):
    """Escaped for reportlab's paragraph markup, with glyphs the font lacks spelled out."""
    value = escape(str(value if value is not None else ""))
    return value.translate(SUPERSCRIPTS) if _fonts.get("fallback") else value


def moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") + " (Asia/Shanghai)" if value else "—"


def checklist_pdf(*, candidate, evaluation, signature, printed_by):
    """The PDF as bytes. ``candidate``: with its ``signoff_state`` (``selectors.exports.checklist``);
    ``signature``: the candidate's latest Signature or None."""
    regular, bold = fonts()
    style = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=style, fontSize=8, leading=10, textColor=colors.HexColor("#444444"))
    strong = ParagraphStyle("strong", parent=style, fontName=bold)
    heading = ParagraphStyle("heading", parent=style, fontName=bold, fontSize=15, leading=19, spaceAfter=2)
    section = ParagraphStyle("section", parent=style, fontName=bold, fontSize=11, leading=14,
                             spaceBefore=8, spaceAfter=4)

    def para(value, paragraph_style=style):
        return Paragraph(text(value), paragraph_style)

    story = [
        para(f"Eligibility checklist — {candidate.screening_number}", heading),
        para("NALIRIFOX second-line chemotherapy for extrapulmonary high-grade neuroendocrine neoplasms · "
             "NCT07077551 · Second Affiliated Hospital, Zhejiang University School of Medicine", small),
        Spacer(0, 3 * mm),
    ]
    outcome = vocabulary.term("outcome", evaluation.outcome).on_paper
    facts = [
        ("Screening no.", candidate.screening_number),
        ("Initials", candidate.initials or "—"),
        ("Screening date", candidate.screening_date.isoformat()),
        ("Outcome", outcome),
        ("Protocol version", evaluation.protocol_version),
        ("Evaluation time", moment(evaluation.created_at)),
        ("Evaluated by", evaluation.created_by.get_username() if evaluation.created_by else "batch import"),
        ("Evaluation id", f"{evaluation.pk}"),
    ]
    if candidate.subject_number:
        facts.append(("Subject number", f"{candidate.subject_number} (enrolled {candidate.enrolment_date})"))
    if len(facts) % 2:
        facts.append(("", ""))
    pairs = [facts[index:index + 2] for index in range(0, len(facts), 2)]
    fact_table = Table(
        [
            [cell for label, value in pair
             for cell in (para(label, strong), para(value, strong if label == "Outcome" else style))]
            for pair in pairs
        ],
        colWidths=[34 * mm, 53 * mm, 34 * mm, 53 * mm], hAlign="LEFT",
    )
    fact_table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    story += [
        fact_table,
        para(f"Protocol {evaluation.protocol_version} definition file SHA-256: "
             f"{evaluation.protocol_sha256 or 'not recorded (evaluated before revision 2)'}", small),
        para("Criteria", section),
    ]

    rows = [[para("#", strong), para("Criterion", strong), para("Status", strong), para("Detail", strong)]]
    for number, criterion in enumerate(evaluation.criteria, start=1):
        status = criterion["status"]
        status_style = ParagraphStyle(f"status-{status}", parent=strong,
                                      textColor=colors.HexColor(STATUS_COLOURS.get(status, "#000000")))
        detail = criterion.get("detail") or ""
        notes = criterion.get("notes") or []
        rows.append([
            para(number),
            para(criterion["label"]),
            para(vocabulary.term("criterion", status).on_paper, status_style),
            Paragraph("<br/>".join(text(line) for line in [detail, *notes] if line), style),
        ])
    criteria_table = Table(rows, colWidths=[8 * mm, 62 * mm, 22 * mm, 82 * mm], repeatRows=1, hAlign="LEFT")
    criteria_table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    story.append(criteria_table)

    story.append(para("Electronic sign-off", section))
    if signature is None:
        story.append(para("No electronic sign-off recorded."))
    else:
        story += [
            para(f"Signed by {signoff.printed_name(signature.signed_by)} at {moment(signature.signed_at)}."),
            para(f"Meaning: {signature.meaning}"),
            para(f"Signed evaluation SHA-256: {signature.evaluation_sha256}", small),
        ]
        if candidate.signoff_state == SUPERSEDED:
            story.append(para(
                f"SUPERSEDED: this signature covers the evaluation of {moment(signature.evaluation.created_at)}; "
                "the candidate's data changed afterwards and the evaluation above is not signed.", strong,
            ))

    wet = Table(
        [
            [para("Investigator name", strong), "", para("Date (YYYY-MM-DD)", strong), ""],
            [para("Signature", strong), "", "", ""],
        ],
        colWidths=[34 * mm, 68 * mm, 34 * mm, 38 * mm],
        rowHeights=[10 * mm, 12 * mm], hAlign="LEFT",
    )
    wet.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
        ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black),
        ("LINEBELOW", (1, 1), (3, 1), 0.6, colors.black),
        ("SPAN", (1, 1), (3, 1)),
    ]))
    story.append(KeepTogether([
        para("Investigator's signature (wet ink)", section),
        para("I have reviewed the eligibility criteria above against the source documents.", small),
        wet,
    ]))

    printed = (f"{candidate.screening_number} · protocol {evaluation.protocol_version} · printed "
               f"{timezone.localtime().strftime('%Y-%m-%d %H:%M')} by {printed_by.get_username()}")

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(18 * mm, 10 * mm, printed)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
        title=f"Eligibility checklist {candidate.screening_number}", author="NALIRIFOX Screen",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
