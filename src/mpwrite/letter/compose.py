"""Composing a campaign letter: who writes, to whom, about what, in which language.

Everything a layout shows (date, address blocks, form of address, salutation,
closing) is computed here and in :mod:`mpwrite.letter.address`, so custom templates
cannot get it wrong; templates only place it. The result is text in the
neutral letter markup (:mod:`mpwrite.letter.markup`).

Supporter text (name, address, note) is normalised before it enters the
markup (:mod:`mpwrite.letter.supporter_text`), so it can neither inject list items
nor break the layout.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from mpwrite.campaign.folder import LAYOUT_NAME, Campaign, Demand
from mpwrite.campaign.render import render_template
from mpwrite.errors import MpwriteError, UsageError, VacantSeatError
from mpwrite.geo.ridings import MP, Riding
from mpwrite.i18n import _
from mpwrite.letter.address import (
    RECIPIENTS,
    closing,
    date_line,
    minister_role,
)
from mpwrite.letter.address import (
    salutation as choose_salutation,
)
from mpwrite.letter.asks import choose_asks
from mpwrite.letter.markup import normalise_around, normalise_markup
from mpwrite.letter.prepared import PreparedBody, prepared_body, province_name, render_body
from mpwrite.letter.supporter_text import (
    NBSP,
    clean_line,
    clean_paragraphs,
    french_spacing,
    validate_email,
)

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Supporter:
    """The person writing: their name, and address so the office sees a constituent."""

    name: str
    address: str = ""
    city: str = ""
    postal_code: str = ""
    email: str = ""


@dataclass(frozen=True)
class Letter:
    """A composed letter, ready to render in any format."""

    lang: str
    campaign: Campaign
    demand: Demand
    riding: Riding
    mp: MP
    supporter: Supporter
    date: datetime.date
    date_text: str
    subject: str
    salutation: str
    sender_lines: tuple[str, ...]
    recipient_lines: tuple[str, ...]
    text: str
    #: The body past its opening paragraph (all of it when it has one
    #: paragraph), when it stands on lines of its own in ``text``; else "".
    body: str = ""
    #: "mp", or "minister" for a letter to the demand's minister by role (no e-mail).
    recipient: str = "mp"
    #: What this letter shares with others to the same recipient about the same
    #: demand; renderers keep there what they make of it (None: nothing shared).
    prepared: PreparedBody | None = field(default=None, compare=False, repr=False)

    @property
    def to_email(self) -> str:
        """The MP's e-mail address."""
        return self.mp.email

    @property
    def recipient_name(self) -> str:
        """The first line of the recipient block: the MP's name and form of address."""
        return self.recipient_lines[0]


def clean_supporter(supporter: Supporter) -> Supporter:
    """The supporter with every field normalised to one clean line.

    Raises InvalidEmailError for an e-mail that is not one plain address.
    """
    return Supporter(
        name=clean_line(supporter.name),
        address=clean_line(supporter.address),
        city=clean_line(supporter.city),
        postal_code=clean_line(supporter.postal_code).upper(),
        email=validate_email(clean_line(supporter.email)),
    )


def mp_of(riding: Riding, lang: str = "en") -> MP:
    """The riding's MP, or VacantSeatError (in ``lang``) offering the minister instead."""
    if riding.mp is None:
        raise VacantSeatError(vacant_seat_message(riding, lang))
    return riding.mp


def minister_of(campaign: Campaign, demand: Demand, lang: str) -> MP:
    """The minister responsible for ``demand``, by role, as a recipient with no e-mail.

    Ministers change; roles do not, so the letter names the role and goes to
    the House of Commons, where every minister sits.
    """
    if not demand.minister:
        raise UsageError(
            _(
                "demand {demand} of campaign {campaign} names no responsible minister; "
                "write to your MP, or add [demands.minister] en/fr to the campaign manifest"
            ).format(demand=demand.id, campaign=campaign.id)
        )
    return MP("", minister_role(demand.minister, lang), "", "", "", "")


def vacant_seat_message(riding: Riding, lang: str, option: str = "--to minister") -> str:
    """Why there is no letter to this seat, and what to write instead, in ``lang``.

    ``option`` is how the supporter asks for the minister's letter where they are.
    """
    if lang == "fr":
        return (
            f"le siège de {riding.name_fr} est vacant{NBSP}: personne ne représente cette "
            f"circonscription avant une élection partielle. Vous pouvez écrire plutôt au ministre "
            f"responsable de votre demande, à la Chambre des communes, Ottawa (Ontario) "
            f"K1A{NBSP}0A6" + (f"{NBSP}: {option}" if option else ".")
        )
    return (
        f"the seat for {riding.name_en} is vacant: no MP represents it until a by-election. "
        f"You can write to the minister responsible for your demand instead, at the House of "
        f"Commons, Ottawa ON K1A 0A6" + (f": {option}" if option else ".")
    )


def sender_province(supporter: Supporter, riding: Riding) -> str:
    """The supporter's province: their postal code's when its first letter names one.

    Else the riding's. The supporter may live across a border from the
    riding's province (Gatineau and Ottawa), so the riding is only a fallback.
    """
    from mpwrite.geo.postal import PROVINCES_BY_FIRST_LETTER

    provinces = PROVINCES_BY_FIRST_LETTER.get(supporter.postal_code.strip()[:1].upper(), ())
    return provinces[0] if len(provinces) == 1 else riding.province


def sender_lines(supporter: Supporter, province: str, lang: str) -> tuple[str, ...]:
    """Name, street address, "City, Province  A1A 1A1" and e-mail, skipping blanks."""
    place = ""
    if supporter.city:
        region = province_name(province, lang) if province else ""
        if region:
            place = (
                f"{supporter.city} ({region})" if lang == "fr" else (f"{supporter.city}, {region}")
            )
        else:
            place = supporter.city
    elif supporter.postal_code and province:
        # A postal code alone reads as a stray line: the province makes it an address.
        place = province_name(province, lang)
    place_line = " ".join(part for part in (place, supporter.postal_code) if part)
    lines = (supporter.name, supporter.address, place_line, supporter.email)
    return tuple(line for line in lines if line)


def compose_letter(
    *,
    campaign: Campaign,
    demand: Demand,
    lang: str,
    riding: Riding,
    supporter: Supporter,
    note: str = "",
    date: datetime.date | None = None,
    salutation: str | None = None,
    to: str = "mp",
    ask_numbers: tuple[int, ...] = (),
) -> Letter:
    """The letter from ``supporter`` to the MP of ``riding`` making ``demand``.

    ``salutation``: a preset (``deputee``, ``depute``, ``neutre``) or free
    text (:func:`mpwrite.letter.address.salutation`). ``to="minister"``: the letter
    goes to the minister responsible for the demand, by role (for a vacant
    seat, say). ``ask_numbers``: the demand's asks the supporter keeps (1 for
    the first); none keeps them all. Raises VacantSeatError for a vacant seat,
    UsageError when the demand names no minister, InvalidAskError for an ask
    the demand does not have, and TemplateRenderError (naming the template
    file and line) when a campaign template is broken.
    """
    if lang not in LANGUAGES:
        raise UsageError(
            _("unknown language {lang!r}; use one of {choices}").format(
                lang=lang, choices=", ".join(LANGUAGES)
            )
        )
    if to not in RECIPIENTS:
        raise UsageError(_("unknown recipient {to!r}; use --to mp or --to minister").format(to=to))
    if to == "minister":
        mp = minister_of(campaign, demand, lang)
        greeting = choose_salutation(lang=lang, chosen=salutation, recipient="minister")
    else:
        mp = mp_of(riding, lang)
        greeting = choose_salutation(lang=lang, chosen=salutation, mp=mp, riding=riding)
    supporter = clean_supporter(supporter)
    if not supporter.name:
        raise UsageError(_("the supporter's name is empty; a letter needs a signature"))
    letter_date = date or datetime.date.today()
    prepared = prepared_body(campaign, demand, lang, riding, mp, to)
    if ask_numbers:
        asks = choose_asks(prepared.context["asks"], ask_numbers, demand.id)
        prepared = prepared.with_asks(campaign, asks)
    senders = sender_lines(supporter, sender_province(supporter, riding), lang)
    writer = writer_context(supporter, senders, note, lang, letter_date, greeting)
    context = {**prepared.context, **writer}
    body = prepared.body
    if body is None:
        # The body is rendered on its own so its errors name its own file and line.
        body = render_body(campaign, context)
    letter = lay_out(
        campaign,
        context,
        body,
        demand=demand,
        riding=riding,
        mp=mp,
        supporter=supporter,
        letter_date=letter_date,
        subject=demand.subject[lang],
        greeting=greeting,
        to=to,
        senders=senders,
        prepared=prepared,
    )
    if prepared.shared_text is None:
        prepared.shared_text = _shared_text(campaign, prepared, writer)
    return letter


def _shared_text(campaign: Campaign, prepared: PreparedBody, writer: dict[str, Any]) -> str:
    """The letter's layout filled with ``prepared``'s values and body, ``writer``'s left blank.

    Nothing in it comes from a supporter, so renderers may keep it; "" when the
    layout cannot do without the writer's values.
    """
    context = {**prepared.context, **{key: _blank(value) for key, value in writer.items()}}
    try:
        return normalise_markup(_filled_layout(campaign, context, prepared.body or ""))
    except MpwriteError:
        return ""


def _blank(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _blank(item) for key, item in value.items()}
    return type(value)()


def writer_context(
    supporter: Supporter,
    senders: tuple[str, ...],
    note: str,
    lang: str,
    letter_date: datetime.date,
    greeting: str,
) -> dict[str, Any]:
    """What a layout says of the writer: date line, greeting and closing, sender
    block, their own words and signature."""
    note_paragraphs = [
        french_spacing(paragraph) if lang == "fr" else paragraph
        for paragraph in clean_paragraphs(note)
    ]
    return {
        "date": date_line(letter_date, lang, supporter.city),
        "salutation": greeting,
        "closing": closing(greeting, lang),
        "sender_lines": list(senders),
        "sender_block": "\n".join(senders),
        "note_paragraphs": note_paragraphs,
        "notes": "\n\n".join(note_paragraphs),
        "signature": supporter.name,
        "supporter": {
            "name": supporter.name,
            "address": supporter.address,
            "city": supporter.city,
            "postal_code": supporter.postal_code,
            "email": supporter.email,
        },
    }


def lay_out(
    campaign: Campaign,
    context: dict[str, Any],
    body: str,
    *,
    demand: Demand,
    riding: Riding,
    mp: MP,
    supporter: Supporter,
    letter_date: datetime.date,
    subject: str,
    greeting: str,
    to: str,
    senders: tuple[str, ...],
    prepared: PreparedBody | None = None,
) -> Letter:
    """The rendered body placed in the campaign's layout: the finished letter.

    ``prepared``: what the letter shares with others, if anything.
    """
    lang = context["lang"]
    rendered = _filled_layout(campaign, context, body)
    # Most of the body, shared by many letters, is tidied already.
    body = context["body_rest"] or body
    text, body_at = normalise_around(rendered, body)
    return Letter(
        lang=lang,
        campaign=campaign,
        demand=demand,
        riding=riding,
        mp=mp,
        supporter=supporter,
        date=letter_date,
        date_text=context["date"],
        subject=subject,
        salutation=greeting,
        recipient=to,
        sender_lines=senders,
        recipient_lines=tuple(context["recipient_lines"]),
        text=text,
        body=body if body_at >= 0 else "",
        prepared=prepared,
    )


def _filled_layout(campaign: Campaign, context: dict[str, Any], body: str) -> str:
    """The campaign's layout rendered with ``context`` and ``body`` (not yet tidied)."""
    context["body"] = body
    context["opening"], context["body_rest"] = split_opening(body)
    context["own_words"] = context["notes"]
    return render_template(campaign, f"{context['lang']}/{LAYOUT_NAME}", context)


def split_opening(body: str) -> tuple[str, str]:
    """The body's first paragraph (its opening sentence), and the rest.

    Layouts place the supporter's own words between the two, where an office
    reads them first; a body of one paragraph is all opening.
    """
    opening, _, rest = body.partition("\n\n")
    return opening, rest


def demand_body(
    campaign: Campaign,
    demand: Demand,
    lang: str,
    riding: Riding,
    ask_numbers: tuple[int, ...] = (),
) -> str | None:
    """The body a letter to ``riding``'s MP about ``demand`` carries, before any own words.

    The same for every supporter who keeps the same asks; None when the body
    template reads the supporter's own values, so no one body stands for all.
    """
    prepared = prepared_body(campaign, demand, lang, riding, mp_of(riding, lang))
    if prepared.body is None or not ask_numbers:
        return prepared.body
    chosen = choose_asks(prepared.context["asks"], ask_numbers, demand.id)
    return prepared.with_asks(campaign, chosen).body
