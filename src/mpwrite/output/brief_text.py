"""The meeting brief as plain text, Markdown or HTML: to paste into an e-mail or a
web page, or to print from a browser.

The PDF (:mod:`mpwrite.output.brief_pdf`) is what is printed; these carry the
same pieces in the same order.
"""

from __future__ import annotations

from mpwrite.errors import UsageError
from mpwrite.i18n import _
from mpwrite.letter.brief import Brief
from mpwrite.output.formats import escape_markdown
from mpwrite.output.text import WRAP_WIDTH
from mpwrite.output.wrapping import fill

BRIEF_FORMATS = ("pdf", "txt", "md", "html")


def render_brief(brief: Brief, fmt: str) -> bytes:
    """The brief in ``fmt`` (pdf, txt, md or html), as the bytes to write."""
    if fmt == "pdf":
        from mpwrite.output.brief_pdf import render_brief_pdf

        return render_brief_pdf(brief)
    if fmt == "txt":
        return brief_text(brief).encode("utf-8")
    if fmt == "md":
        return brief_markdown(brief).encode("utf-8")
    check_brief_format(fmt)
    return brief_html(brief).encode("utf-8")


def check_brief_format(fmt: str) -> None:
    """A usage error for a format the brief does not come in (an e-mail draft)."""
    if fmt not in BRIEF_FORMATS:
        raise UsageError(
            _(
                "--kind brief comes as pdf, txt, md or html, not {format}; use --format pdf "
                "to print it"
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


_BRIEF_CSS = """\
@page { size: letter; margin: 1.5cm 1.8cm; }
body { font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.4;
  max-width: 44em; margin: 2em auto; padding: 0 1em; color: #000; background: #fff; }
h1 { font-size: 1.5em; margin: 0.2em 0 0.6em; }
h2 { font-size: 1.1em; border-bottom: 1px solid #000; margin: 1.2em 0 0.4em; }
.url { font-size: 0.8em; overflow-wrap: anywhere; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
"""


def brief_html(brief: Brief) -> str:
    """A self-contained page that prints on one Letter sheet; every manifest text escaped."""
    from html import escape as e

    parts = [
        f"<p>{e(brief.organisation)} — {e(brief.campaign_title)}</p>",
        f"<h1>{e(brief.label)}{e(colon(brief.lang))}{e(brief.title)}</h1>",
    ]
    if brief.asks:
        parts.append(f"<h2>{e(brief.asks_heading)}</h2>")
        parts.append("<ul>\n" + "\n".join(f"<li>{e(ask)}</li>" for ask in brief.asks) + "\n</ul>")
    if brief.sources:
        parts.append(f"<h2>{e(brief.sources_heading)}</h2>")
        parts.append(f"<p>{e(brief.checked_line)}</p>")
        parts.append(
            "<ol>\n"
            + "\n".join(
                f'<li>{e(source.title)}<br><a class="url" href="{e(source.url)}">'
                f"{e(source.url)}</a></li>"
                for source in brief.sources
            )
            + "\n</ol>"
        )
    if brief.contact:
        parts.append(f"<h2>{e(brief.contact_heading)}</h2>")
        parts.append("<p>" + "<br>\n".join(e(line) for line in brief.contact) + "</p>")
    return (
        "<!doctype html>\n"
        f'<html lang="{e(brief.lang)}-CA">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(brief.label)}{e(colon(brief.lang))}{e(brief.title)}</title>\n"
        f"<style>\n{_BRIEF_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def colon(lang: str) -> str:
    """ ": " as each language writes it (French puts a no-break space before)."""
    return "\u00a0: " if lang == "fr" else ": "


def _link(url: str) -> str:
    # Inside <…> a Markdown link may hold anything but these.
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
