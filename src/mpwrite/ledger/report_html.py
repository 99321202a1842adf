"""The campaign report as one self-contained HTML page an organizer can open or print.

No script, no style sheet or font from elsewhere, no network: the charts are
inline SVG bars (letters per province, replies by stance, letters per week)
and the page prints on Letter paper. Every text from the ledger is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from mpwrite.i18n import N_, _, language
from mpwrite.ledger.report import percent

_STYLE = """
@page { size: letter; margin: 0.6in; }
body { font-family: system-ui, sans-serif; color: #111; max-width: 7.3in; margin: 1em auto; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.4em; break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ccc; padding: 0.2em 0.4em; text-align: left; }
td.n, th.n { text-align: right; }
tr { break-inside: avoid; }
figure { margin: 0.5em 0; break-inside: avoid; }
svg text { font-size: 12px; fill: #111; }
svg rect.bar { fill: #2b6cb0; }
@media print { body { margin: 0; } * { print-color-adjust: exact; } }
"""
_STANCE_LABELS = {
    "supports": N_("supports"),
    "opposes": N_("opposes"),
    "noncommittal": N_("noncommittal"),
    "form-reply": N_("form reply"),
    "unread": N_("unread"),
}
_BAR_HEIGHT = 18
_GAP = 6
_LABEL_WIDTH = 170
_BAR_SPACE = 300
_VALUE_WIDTH = 50


def render_html(report: Mapping[str, Any]) -> str:
    """The whole page for a report made by :func:`mpwrite.ledger.report.build_report`."""
    campaign = report.get("campaign")
    title = (
        _("Campaign report: {campaign}").format(campaign=campaign)
        if campaign
        else _("Campaign report")
    )
    totals = report["totals"]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language()}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        "<p>"
        + escape(_("Made on {date} from the campaign ledger.").format(date=report["generated_on"]))
        + "</p>",
        _totals_table(totals),
        f"<h2>{escape(_('Letters per province'))}</h2>",
        _bar_chart(
            "provinces",
            _("Letters per province"),
            [(row["province"] or "?", row["letters"]) for row in report["provinces"]],
        ),
        f"<h2>{escape(_('Letters per party'))}</h2>",
        _bar_chart(
            "parties",
            _("Letters per party"),
            [(row["party"] or "?", row["letters"]) for row in report["parties"]],
        ),
        f"<h2>{escape(_('Replies by stance'))}</h2>",
        _bar_chart(
            "stances",
            _("Replies by stance"),
            [(_(_STANCE_LABELS[stance]), count) for stance, count in report["stances"].items()],
        ),
        f"<h2>{escape(_('Letters per week'))}</h2>",
        _bar_chart(
            "weeks",
            _("Letters per week"),
            [(row["starts_on"], row["letters"]) for row in report["weeks"]],
        ),
        f"<h2>{escape(_('MPs'))}</h2>",
        _mp_table(report["mps"]),
        _overdue_section(report["overdue"]),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _totals_table(totals: Mapping[str, Any]) -> str:
    rate = totals["response_rate"]
    rows = [
        (_("Letters"), str(totals["letters"])),
        (_("E-mails"), str(totals["emails"])),
        (_("Printed letters"), str(totals["printed"])),
        (_("Calls"), str(totals["calls"])),
        (_("Meeting requests"), str(totals["meetings"])),
        (_("MPs written to"), str(totals["mps_written_to"])),
        (_("Replies"), str(totals["replies"])),
        (_("MPs who replied"), str(totals["mps_replied"])),
        (_("Response rate"), percent(rate)),
    ]
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td class="n">{escape(value)}</td></tr>'
        for label, value in rows
    )
    return f'<table id="totals">{body}</table>'


def _bar_chart(name: str, title: str, bars: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG, one bar per (label, value)."""
    if not bars:
        return f'<p class="empty" data-chart="{name}">{escape(_("Nothing logged yet."))}</p>'
    largest = max((value for _label, value in bars), default=0) or 1
    width = _LABEL_WIDTH + _BAR_SPACE + _VALUE_WIDTH
    height = len(bars) * (_BAR_HEIGHT + _GAP) + _GAP
    shapes = []
    for index, (label, value) in enumerate(bars):
        y = _GAP + index * (_BAR_HEIGHT + _GAP)
        length = round(_BAR_SPACE * value / largest, 1)
        middle = y + _BAR_HEIGHT / 2 + 4
        shapes.append(
            f'<text x="{_LABEL_WIDTH - 6}" y="{middle}" text-anchor="end">'
            f"{escape(_shorten(label))}</text>"
            f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y}" width="{length}" '
            f'height="{_BAR_HEIGHT}" data-label="{escape(label)}" data-value="{value}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{_LABEL_WIDTH + length + 4}" y="{middle}">{value}</text>'
        )
    return (
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" data-chart="{name}" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(shapes)}</svg></figure>"
    )


def _shorten(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _mp_table(mps: Sequence[Mapping[str, Any]]) -> str:
    if not mps:
        return f"<p>{escape(_('Nothing logged yet.'))}</p>"
    head = "".join(
        (f'<th class="n">{escape(label)}</th>' if numeric else f"<th>{escape(label)}</th>")
        for label, numeric in (
            (_("Riding"), False),
            (_("MP"), False),
            (_("Party"), False),
            (_("Letters"), True),
            (_("Calls"), True),
            (_("Meetings"), True),
            (_("Replies"), True),
            (_("Last stance"), False),
        )
    )
    rows = []
    for mp in mps:
        stance = mp["last_stance"]
        cells = [
            escape(f"{mp['riding_name']} ({mp['riding_code']})"),
            escape(mp["mp_name"]),
            escape(mp["party"]),
        ]
        numbers = [mp["letters"], mp["calls"], mp["meetings"], mp["replies"]]
        rows.append(
            "<tr>"
            + "".join(f"<td>{cell}</td>" for cell in cells)
            + "".join(f'<td class="n">{number}</td>' for number in numbers)
            + f"<td>{escape(_(_STANCE_LABELS[stance])) if stance else '—'}</td></tr>"
        )
    return f'<table id="mps"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _overdue_section(overdue: Mapping[str, Any]) -> str:
    heading = _("No reply after {days} days ({letters} letters or more)").format(
        days=overdue["days"], letters=overdue["min_letters"]
    )
    if not overdue["mps"]:
        return f"<h2>{escape(heading)}</h2><p>{escape(_('None.'))}</p>"
    items = "".join(
        "<li>"
        + escape(
            _("{mp} ({riding}): {letters} letters, waiting {days} days").format(
                mp=mp["mp_name"],
                riding=mp["riding_name"],
                letters=mp["letters"],
                days=mp["days_waiting"],
            )
        )
        + "</li>"
        for mp in overdue["mps"]
    )
    return f'<h2>{escape(heading)}</h2><ul id="overdue">{items}</ul>'
