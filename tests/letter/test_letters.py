"""Composing and rendering letters: goldens, concrete asks, forms of address, safety."""

from __future__ import annotations

import datetime
import email
import email.policy
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from mpwrite.campaign.folder import load_campaign
from mpwrite.errors import (
    CampaignError,
    InvalidEmailError,
    OutputExistsError,
    TemplateRenderError,
    UnknownDemandError,
    UnwritablePathError,
    VacantSeatError,
)
from mpwrite.files import write_atomic
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.address import format_date
from mpwrite.letter.compose import Supporter, compose_letter
from mpwrite.letter.markup import BulletList, Paragraph, parse_blocks
from mpwrite.letter.supporter_text import clean_paragraphs, validate_email
from mpwrite.output.formats import FORMATS, escape_markdown, mailto_url, render, render_text
from tests.helpers import KEYWORDS, REPOSITORY, TESTS, make_campaign

GOLDEN = TESTS / "golden"
CAMPAIGN = REPOSITORY / "templates/letters/ccr-anti-trafficking"
DATE = datetime.date(2026, 11, 28)
PRIVY_COUNCILLOR_RIDING = "35080"  # Ottawa South: Hon. David J. McGuinty
ORDINARY_RIDING = "35079"  # Ottawa Centre: Yasir Naqvi
VACANT_RIDING = "35095"  # Scarborough North
SUPPORTER = Supporter(
    name="Alex Martin",
    address="123 Bank Street, Apt. 4",
    city="Ottawa",
    postal_code="K1S 3V8",
    email="alex.martin@example.org",
)
# Markup characters on purpose: the goldens show how each format escapes them.
NOTE = (
    "I volunteer at a drop-in centre & see *exactly* this every week.\n\n"
    "- Please <b>act</b> before the next budget."
)
DEMAND_IDS = (
    "root-causes",
    "protect-rights",
    "permanent-status",
    "access-to-justice",
    "access-to-services",
    "all",
)


def letter(
    demand: str = "all",
    lang: str = "en",
    riding: str = PRIVY_COUNCILLOR_RIDING,
    campaign=None,
    **overrides: object,
):
    campaign = campaign or load_campaign()
    arguments: dict[str, object] = {
        "campaign": campaign,
        "demand": campaign.demand(demand),
        "lang": lang,
        "riding": load_bundled().get(riding),
        "supporter": SUPPORTER,
        "note": NOTE,
        "date": DATE,
    }
    arguments.update(overrides)
    return compose_letter(**arguments)  # type: ignore[arg-type]


# --- goldens ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("demand", DEMAND_IDS)
def test_golden(demand: str, lang: str, fmt: str, update_golden: bool) -> None:
    rendered = render(letter(demand, lang), fmt)
    path = GOLDEN / f"{demand}.{lang}.{fmt}"
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(rendered)
    assert path.is_file(), f"{path} is missing; run pytest --update-golden"
    assert rendered == path.read_bytes(), f"{path} differs; review, then pytest --update-golden"


def test_non_privy_councillor_golden(update_golden: bool) -> None:
    rendered = render(letter("root-causes", "fr", riding=ORDINARY_RIDING), "txt")
    path = GOLDEN / "non-privy-councillor.fr.txt"
    if update_golden:
        path.write_bytes(rendered)
    assert rendered == path.read_bytes()


# --- content ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("demand", DEMAND_IDS)
def test_letter_carries_its_concrete_asks(demand: str, lang: str) -> None:
    text = letter(demand, lang).text.replace("\u00a0", " ").replace("\u202f", " ")
    for group in KEYWORDS[lang][demand]:
        alternatives = group if isinstance(group, tuple) else (group,)
        assert any(
            re.search(r"(?<!\w)" + re.escape(keyword) + r"(?!\w)", text, flags=re.I)
            for keyword in alternatives
        ), f"{lang}/{demand} letter lacks {group}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_letter_has_every_part_in_order(lang: str) -> None:
    text = letter("permanent-status", lang).text
    parts = {
        "en": [
            "Alex Martin\n123 Bank Street",
            "28 November 2026",
            "House of Commons",
            "Re: ",
            "Dear David J. McGuinty,",
            "As a constituent",
            "drop-in centre",
            "Sincerely,",
            "\n\nAlex Martin",
        ],
        "fr": [
            "Alex Martin\n123 Bank Street",
            "28 novembre 2026",
            "Chambre des communes",
            "Objet\u00a0: ",
            "Madame, Monsieur,",
            "J’habite",
            "drop-in centre",
            "considération distinguée",
            "\n\nAlex Martin",
        ],
    }[lang]
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions)


def test_sender_block_has_address_city_province_postal_code_and_email() -> None:
    assert letter().sender_lines == (
        "Alex Martin",
        "123 Bank Street, Apt. 4",
        "Ottawa, Ontario K1S 3V8",
        "alex.martin@example.org",
    )
    assert letter(lang="fr").sender_lines[2] == "Ottawa (Ontario) K1S 3V8"


def test_sender_block_skips_what_was_not_given() -> None:
    assert letter(supporter=Supporter(name="Alex Martin")).sender_lines == ("Alex Martin",)


@pytest.mark.parametrize(
    "riding,lang,first_line",
    [
        (PRIVY_COUNCILLOR_RIDING, "en", "The Honourable David J. McGuinty, P.C., M.P."),
        (ORDINARY_RIDING, "en", "Yasir Naqvi, M.P."),
        (PRIVY_COUNCILLOR_RIDING, "fr", "L’honorable David J. McGuinty, c.p."),
        (ORDINARY_RIDING, "fr", "Yasir Naqvi"),
        ("35067", "en", "The Right Honourable Mark Carney, P.C., M.P."),
        ("35067", "fr", "Le très honorable Mark Carney, c.p."),
    ],
)
def test_recipient_form_of_address(riding: str, lang: str, first_line: str) -> None:
    composed = letter(lang=lang, riding=riding)
    assert composed.recipient_lines[0] == first_line
    assert composed.recipient_lines[-2:] == (
        ("House of Commons", "Ottawa, Ontario K1A 0A6")
        if lang == "en"
        else ("Chambre des communes", "Ottawa (Ontario) K1A 0A6")
    )


def test_french_letter_never_guesses_a_gender() -> None:
    composed = letter(lang="fr")
    # The doublet names both forms: it guesses nothing.
    assert composed.salutation == "Madame, Monsieur,"
    rest = composed.text.replace("Madame, Monsieur,", "")
    for gendered in ("député", "Madame", "Monsieur", "reconnaissant", "cher ", "chère"):
        assert gendered.lower() not in rest.lower()


def test_salutation_override() -> None:
    composed = letter(salutation="Dear Mr. McGuinty,")
    assert composed.salutation == "Dear Mr. McGuinty,"
    assert "\n\nDear Mr. McGuinty,\n\n" in composed.text


@pytest.mark.parametrize(
    "date,lang,expected",
    [
        (datetime.date(2026, 11, 28), "en", "28 November 2026"),
        (datetime.date(2026, 11, 28), "fr", "28 novembre 2026"),
        (datetime.date(2026, 2, 1), "fr", "1er février 2026"),
        (datetime.date(2026, 8, 1), "en", "1 August 2026"),
    ],
)
def test_format_date(date: datetime.date, lang: str, expected: str) -> None:
    assert format_date(date, lang) == expected


def test_vacant_seat_gives_no_letter() -> None:
    with pytest.raises(VacantSeatError, match="vacant"):
        letter(riding=VACANT_RIDING)


def test_unknown_demand() -> None:
    campaign = load_campaign()
    assert campaign.demand("3").id == "permanent-status"
    assert campaign.demand("access-to-justice").number == 4
    with pytest.raises(UnknownDemandError, match="mpwrite demands"):
        campaign.demand("7")


# --- supporter text -----------------------------------------------------------


def test_supporter_text_cannot_inject_markup() -> None:
    composed = letter(
        supporter=Supporter(name="- Alex\x00\u202e Martin", address="1 Main\nSt\t\tW"),
        note="- item one\n- item two\n\n\n\nSecond   paragraph\x07.",
    )
    blocks = parse_blocks(composed.text)
    assert sum(isinstance(block, BulletList) for block in blocks) == sum(
        isinstance(block, BulletList) for block in parse_blocks(letter(note="").text)
    )
    assert composed.sender_lines[:2] == ("-\u00a0Alex Martin", "1 Main St W")
    assert "-\u00a0item one - item two" in composed.text
    assert "\n\nSecond paragraph.\n\n" in composed.text


def test_note_paragraphs_keep_the_words_as_typed() -> None:
    assert clean_paragraphs("  Mon  texte,\n  à moi.\n\n Deuxième « idée ».  ") == (
        "Mon texte, à moi.",
        "Deuxième « idée ».",
    )


def test_parse_blocks() -> None:
    assert parse_blocks("A\nB\n\n- one\n- two\n\nC") == [
        Paragraph(("A", "B")),
        BulletList(("one", "two")),
        Paragraph(("C",)),
    ]


# --- formats ------------------------------------------------------------------


def test_txt_is_wrapped_at_72_with_hanging_bullets() -> None:
    text = render_text(letter())
    assert max(len(line) for line in text.splitlines()) <= 72
    assert "\n  " in text  # continuation lines of list items are indented


def test_markdown_escapes_supporter_text() -> None:
    rendered = render(letter(), "md").decode()
    assert r"\*exactly\*" in rendered
    assert r"\<b\>act\</b\>" in rendered
    assert "Alex Martin\\\n123 Bank Street" in rendered
    assert escape_markdown("1. [x](y) _z_") == r"1\. \[x\](y) \_z\_"


def test_html_escapes_everything() -> None:
    rendered = render(letter(), "html").decode()
    assert rendered.startswith('<!doctype html>\n<html lang="en-CA">')
    assert '<meta charset="utf-8">' in rendered and "@media print" in rendered
    assert "&lt;b&gt;act&lt;/b&gt;" in rendered and "<b>act" not in rendered
    assert "&amp; see" in rendered
    assert "No postage is needed" in rendered


def test_eml_is_a_draft_to_the_mp() -> None:
    message = email.message_from_bytes(
        render(letter(lang="fr"), "eml"), policy=email.policy.default
    )
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("David J. McGuinty", "david.mcguinty@parl.gc.ca")
    assert message["From"] == "Alex Martin <alex.martin@example.org>"
    assert message["Subject"].startswith("Protection et justice pour les victimes de traite")
    assert message["X-Unsent"] == "1"
    assert message["Date"] == "Sat, 28 Nov 2026 12:00:00 +0000"
    assert message["Message-ID"] is None
    assert message.get_content_charset() == "utf-8"
    # The same words as the plain-text letter, sent as format=flowed.
    assert message.get_param("format") == "flowed"
    assert message.get_content().split() == render_text(letter(lang="fr")).split()


def test_eml_without_supporter_email_has_no_from() -> None:
    message = email.message_from_bytes(
        render(letter(supporter=Supporter(name="Alex Martin")), "eml"),
        policy=email.policy.default,
    )
    assert message["From"] is None


def test_mailto_url_round_trips() -> None:
    composed = letter("root-causes", "fr")
    url = mailto_url(composed)
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and unquote(parts.path) == "david.mcguinty@parl.gc.ca"
    query = parse_qs(parts.query)
    assert query["subject"] == [composed.subject]
    assert query["body"][0].replace("\r\n", "\n") == render_text(composed)


# --- custom campaigns and hostile templates -------------------------------------

def custom_letter(folder: Path, lang: str = "en"):
    return letter("one", lang=lang, campaign=load_campaign(folder))


def test_custom_campaign_falls_back_to_bundled_layout(tmp_path: Path) -> None:
    composed = custom_letter(make_campaign(tmp_path, "Hello from {{ riding.name }}."))
    assert "Hello from Ottawa South." in composed.text
    assert "Sincerely," in composed.text


def test_custom_campaign_uses_its_own_layout(tmp_path: Path) -> None:
    folder = make_campaign(tmp_path, "Body.", layout="{{ salutation }}\n\n{{ body }}\n\nBye")
    assert custom_letter(folder).text == "Dear David J. McGuinty,\n\nBody.\n\nBye"


@pytest.mark.parametrize(
    "body,line,message",
    [
        ("ok\n{{ ''.__class__.__mro__ }}", 2, "unsafe"),
        ("{{ cycler.__init__.__globals__ }}", 1, "unsafe"),
        ("{{ riding.__class__ }}", 1, ""),
        ("x\ny\n{{ 'a' * 1000000000 }}", 3, "too large"),
        ("{{ 2 ** 100000 }}", 1, "too large"),
        ("{% include '../../../../etc/passwd' %}", 1, "passwd"),
        ("{{ nonsense }}", 1, "'nonsense' is undefined"),
        ("line\n{% if %}", 2, ""),
        ("{{ 1 / 0 }}", 1, "division"),
        ("{% for i in range(10000000) %}{% endfor %}", 1, "range"),
    ],
)
def test_hostile_or_broken_template_gives_a_clean_error(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    folder = make_campaign(tmp_path, body)
    with pytest.raises(TemplateRenderError) as raised:
        custom_letter(folder)
    text = str(raised.value)
    assert text.startswith(f"{folder}/en/one.j2:{line}: "), text
    assert message in text


def test_campaign_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(CampaignError, match="no campaign folder"):
        load_campaign(tmp_path / "nowhere")
    folder = make_campaign(tmp_path, "x")
    (folder / "manifest.toml").write_text('id = "x"\n[title\n', encoding="utf-8")
    with pytest.raises(CampaignError, match=r"manifest\.toml:2: "):
        load_campaign(folder)


# --- files --------------------------------------------------------------------


def test_write_atomic(tmp_path: Path) -> None:
    target = tmp_path / "letter.txt"
    write_atomic(target, b"one")
    with pytest.raises(OutputExistsError, match="--force"):
        write_atomic(target, b"two")
    assert target.read_bytes() == b"one"
    write_atomic(target, b"two", force=True)
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["letter.txt"]
    with pytest.raises(UnwritablePathError):
        write_atomic(tmp_path / "missing" / "letter.txt", b"x")
    with pytest.raises(UnwritablePathError):
        write_atomic(tmp_path, b"x")


# --- e-mail addresses ---------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "not an email",
        "a@b.c, evil@x.com",
        "Jane <jane@example.org>",
        "jane@localhost",
        "jane@@example.org",
        "jane@example..org",
        "jäne@example.org",
        "a\nb@example.org",
        "jane@example.org\r\nBcc: evil@x.com",
        ".jane@example.org",
        "jane(x)@example.org",
    ],
)
def test_a_bad_email_is_refused_with_the_fix(typed: str) -> None:
    with pytest.raises(InvalidEmailError, match="is not an e-mail address; give one like"):
        validate_email(typed)
    with pytest.raises(InvalidEmailError):
        letter(supporter=Supporter(name="Jane", email=typed))


@pytest.mark.parametrize(
    "typed", ["jane@example.org", " jane.doe+mp@mail.example.co.uk ", "J_O'Neil@ex-ample.ca"]
)
def test_a_plain_email_is_kept(typed: str) -> None:
    assert validate_email(typed) == typed.strip()
    assert letter(supporter=Supporter(name="Jane", email=typed)).supporter.email == typed.strip()


def test_eml_turns_an_unusable_address_into_an_error() -> None:
    import dataclasses

    composed = letter(lang="fr")
    broken = dataclasses.replace(
        composed, supporter=Supporter(name="Jane", email="a@b.c, evil@x.com")
    )
    with pytest.raises(InvalidEmailError, match="e-mail draft"):
        render(broken, "eml")


# --- resource limits for hostile templates ------------------------------------

DOUBLING = "{% set s = 'x' %}\n" + "{% set s = s ~ s %}\n" * 40 + "{{ s }}"
HOSTILE_TEMPLATES = {
    "nested ranges": "Hi\n{% for i in range(100000) %}{% for j in range(100000) %}"
    "{% endfor %}{% endfor %}",
    "doubling by ~": DOUBLING,
    "doubling by +": DOUBLING.replace("s ~ s", "s + s"),
    "doubling a block set": "{% set s = 'x' %}\n"
    + "{% set s %}{{ s }}{{ s }}{% endset %}\n" * 40
    + "{{ s }}",
    "tower of powers": "{{ (((10**100)**100)**100)**100 }}",
    "huge product": "{% set n = 10**1000 %}{{ n * n * n * n * n }}",
    "ljust": '{{ "a".ljust(2000000000) }}',
    "zfill": '{{ "1".zfill(2000000000) }}',
    "str.format width": '{{ "{:>2000000000}".format(1) }}',
    "str.format computed width": '{{ "{:>{w}}".format(1, w=2000000000) }}',
    "percent width": "{{ '%2000000000d' % 1 }}",
    "percent star": "{{ '%*d' % (2000000000, 1) }}",
    "format filter": '{{ "%2000000000d"|format(1) }}',
    "center filter": '{{ "a"|center(2000000000) }}',
    "indent filter": '{{ "a\nb"|indent(2000000000) }}',
    "join method": '{{ ("x" * 100000).join(range(100000)) }}',
    "join filter": '{{ range(100000)|join("x" * 100000) }}',
    "replace": '{{ ("x" * 100000).replace("x", "y" * 100000) }}',
    "nested string loops": '{% set s = "x" * 100000 %}{% for a in s %}{% for b in s %}'
    "{% endfor %}{% endfor %}",
    "fan-out macro": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
    "{% endmacro %}{{ f(60) }}",
    "endless macro": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "long output": '{% for i in range(50000) %}{{ "x" * 50 }}{% endfor %}',
    "list doubling": "{% set l = [1] %}\n" + "{% set l = l + l %}\n" * 40 + "{{ l|length }}",
    "list mutation": "{% set l = [1] %}{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}",
}


@pytest.mark.parametrize("body", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
def test_hostile_template_stops_quickly_with_file_and_line(tmp_path: Path, body: str) -> None:
    import time

    folder = make_campaign(tmp_path, body)
    started = time.monotonic()
    with pytest.raises(TemplateRenderError) as raised:
        custom_letter(folder)
    assert time.monotonic() - started < 6  # stopped, not hung: the old code ran for minutes
    assert re.match(rf"{re.escape(str(folder))}/en/one\.j2:\d+: \S", str(raised.value)), str(
        raised.value
    )


def test_limits_leave_ordinary_loops_and_text_alone(tmp_path: Path) -> None:
    body = (
        "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'ab' ~ 'cd' }} {{ 'x' * 3 }} "
        "{{ '{:>5}'.format(1) }} {{ '%03d' % 7 }} {{ 2 ** 10 }} {{ [1, 2]|join(', ') }}"
    )
    text = custom_letter(make_campaign(tmp_path, body)).text
    assert "012 abcd xxx     1 007 1024 1, 2" in text


# --- the sender's province and French spacing ---------------------------------


@pytest.mark.parametrize(
    ("postal_code", "lang", "place_line"),
    [
        ("J8X 1A1", "fr", "Gatineau (Québec) J8X 1A1"),
        ("J8X 1A1", "en", "Gatineau, Quebec J8X 1A1"),
        ("X0A 0H0", "en", "Gatineau, Ontario X0A 0H0"),  # X: NT or NU, so the riding's
        ("", "fr", "Gatineau (Ontario)"),
    ],
)
def test_sender_province_comes_from_the_supporters_postal_code(
    postal_code: str, lang: str, place_line: str
) -> None:
    supporter = Supporter(name="Alex", city="Gatineau", postal_code=postal_code)
    assert letter(lang=lang, supporter=supporter).sender_lines[1] == place_line


def test_no_break_spaces_typed_by_the_supporter_are_kept() -> None:
    typed = "Prix\u00a0: 10\u202f$,\t\u00a0fin"
    assert clean_paragraphs(typed) == ("Prix\u00a0: 10\u202f$, \u00a0fin",)


def test_french_note_gets_french_spacing() -> None:
    note = "Pourquoi ? Parce que : « assez » ; voilà !\n\nhttps://example.org/a:b"
    composed = letter(lang="fr", note=note)
    assert (
        "Pourquoi\u202f? Parce que\u00a0: «\u00a0assez\u00a0»\u202f; voilà\u202f!" in composed.text
    )
    assert "https://example.org/a:b" in composed.text
    english = letter(lang="en", note=note)
    assert "Pourquoi ? Parce que : « assez » ; voilà !" in english.text
