"""The meeting brief as plain text or Markdown: to paste into an e-mail or a web page.

The PDF (:mod:`mpwrite.output.brief_pdf`) is what is printed; these carry the
same pieces in the same order.
"""

from __future__ import annotations

from mpwrite.errors import UsageError
from mpwrite.i18n import _
from mpwrite.letter.brief import Brief
from mpwrite.output.formats import WRAP_WIDTH, escape_markdown
from mpwrite.output.wrapping import fill

BRIEF_FORMATS = ("pdf", "txt", "md")


def render_brief(brief: Brief, fmt: str) -> bytes:
    """The brief in ``fmt`` (pdf, txt or md), as the bytes to write."""
    if fmt == "pdf":
        from mpwrite.output.brief_pdf import render_brief_pdf

        return render_brief_pdf(brief)
    if fmt == "txt":
        return brief_text(brief).encode("utf-8")
    if fmt == "md":
        return brief_markdown(brief).encode("utf-8")
    raise UsageError(
        _(
            "--kind brief comes as pdf, txt or md, not {format}; use --format pdf to print it"
        ).format(format=fmt)
    )


def brief_text(brief: Brief) -> str:
    """Plain text wrapped at 72 columns, list items hang-indented."""

    def item(marker: str, words: str) -> str:
        indent = " " * (len(marker) + 1)
        return fill(words, WRAP_WIDTH, initial_indent=f"{marker} ", subsequent_indent=indent)

    heading_line = f"{brief.label}{colon(brief.lang)}{brief.title}"
    blocks = [fill(f"{brief.organisation} — {brief.campaign_title}", WRAP_WIDTH)]
    blocks.append(fill(heading_line, WRAP_WIDTH) + "\n" + "=" * min(len(heading_line), WRAP_WIDTH))
    if brief.asks:
        blocks.append(brief.asks_heading)
        blocks.append("\n".join(item("-", ask) for ask in brief.asks))
    if brief.sources:
        blocks.append(brief.sources_heading + "\n" + fill(brief.checked_line, WRAP_WIDTH))
        blocks.append(
            "\n".join(
                item(f"{number}.", source.title) + f"\n{' ' * (len(str(number)) + 2)}{source.url}"
                for number, source in enumerate(brief.sources, 1)
            )
        )
    if brief.contact:
        blocks.append(brief.contact_heading + "\n" + "\n".join(brief.contact))
    return "\n\n".join(blocks) + "\n"


def brief_markdown(brief: Brief) -> str:
    """Markdown: headings, lists, sources as links; every manifest text escaped."""
    e = escape_markdown
    blocks = [
        f"{e(brief.organisation)} — {e(brief.campaign_title)}",
        f"# {e(brief.label)}{colon(brief.lang)}{e(brief.title)}",
    ]
    if brief.asks:
        blocks.append(f"## {e(brief.asks_heading)}")
        blocks.append("\n".join(f"- {e(ask)}" for ask in brief.asks))
    if brief.sources:
        blocks.append(f"## {e(brief.sources_heading)}")
        blocks.append(e(brief.checked_line))
        blocks.append(
            "\n".join(
                f"{number}. [{e(source.title)}](<{_link(source.url)}>)"
                for number, source in enumerate(brief.sources, 1)
            )
        )
    if brief.contact:
        blocks.append(f"## {e(brief.contact_heading)}")
        blocks.append("\\\n".join(e(line) for line in brief.contact))
    return "\n\n".join(blocks) + "\n"


def colon(lang: str) -> str:
    """ ": " as each language writes it (French puts a no-break space before)."""
    return "\u00a0: " if lang == "fr" else ": "


def _link(url: str) -> str:
    # Inside <…> a Markdown link may hold anything but these.
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
