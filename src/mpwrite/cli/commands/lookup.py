"""``mpwrite lookup`` and ``mpwrite ridings``: who is my MP?"""

from __future__ import annotations

from typing import Annotated

import typer

from mpwrite.cli.commands._options import MessagesLanguage, Online, RepresentUrl, speak
from mpwrite.cli.commands._output import emit_json, note
from mpwrite.errors import MalformedPostalCodeError, MpwriteError, UsageError, error_code
from mpwrite.geo.lookup import LookupResult, Match, Resolver, result_as_dict, riding_as_dict
from mpwrite.geo.mpdata import load_active
from mpwrite.geo.offices import office_line
from mpwrite.geo.parliament import PARTY_NAMES, house_address_line
from mpwrite.geo.provenance import mp_data_as_of
from mpwrite.geo.ridings import MP, Riding, RidingData
from mpwrite.geo.sources import build_resolver
from mpwrite.i18n import N_, _, language


def lookup(
    postal_code: Annotated[
        str | None,
        typer.Argument(help=N_('A postal code, e.g. "K1A 0A6" (any case, space optional).')),
    ] = None,
    riding: Annotated[
        str | None,
        typer.Option(
            "--riding", "-r", help=N_("Your riding's name or 5-digit code, if you know it.")
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print the answer as JSON."))] = False,
    online: Online = False,
    represent_url: RepresentUrl = None,
    lang: MessagesLanguage = None,
) -> None:
    """Find the MP for a postal code or a riding."""
    speak(lang)
    try:
        _lookup(postal_code, riding, as_json, online, represent_url)
    except MpwriteError as error:
        if as_json:
            # Scripts always get a document: no matches, and why.
            emit_json(failure_as_dict(error, postal_code))
        raise


def failure_as_dict(error: MpwriteError, postal_code: str | None) -> dict[str, object]:
    """``lookup --json``'s document when there is no answer: no matches and an error."""
    from mpwrite.geo.postal import parse_postal_code

    try:
        code = parse_postal_code(postal_code) if postal_code is not None else None
    except MpwriteError:
        code = None
    return {
        "postal_code": code.code if code else None,
        "fsa": code.fsa if code else None,
        "place": None,
        "exact": False,
        "matches": [],
        "warnings": [],
        "error": {"code": error_code(error), "message": error.message},
    }


def _lookup(
    postal_code: str | None,
    riding: str | None,
    as_json: bool,
    online: bool,
    represent_url: str | None,
) -> None:
    data, _origin = load_active()
    resolver = build_resolver(
        data, online=online or represent_url is not None, represent_url=represent_url
    )
    if riding is not None:
        result = resolver.by_riding(riding)
        if postal_code is not None:
            warning = postal_code_disagreement(resolver, postal_code, result.best.riding)
            if warning:
                note(warning)
    elif postal_code is not None:
        result = by_postal_code_or_hint(resolver, postal_code)
    else:
        raise UsageError(_('give a postal code (mpwrite lookup "K1A 0A6") or --riding NAME'))
    for warning in result.warnings:
        note(_("Warning: {warning}").format(warning=warning))
    if as_json:
        emit_json({**result_as_dict(result), "mp_data_as_of": mp_data_as_of(data)})
    else:
        typer.echo(describe_result(result, data))
    if len(result.matches) > 1 and all(match.exact for match in result.matches):
        note(
            _(
                "Note: this postal code spans {count} ridings; pick yours and "
                "look it up with 'mpwrite lookup --riding CODE'."
            ).format(count=len(result.matches))
        )
    elif not result.exact:
        note(confirmation_hint(result, online_tried=online or represent_url is not None))


#: Typed text longer than this is shortened when an error repeats it.
ECHO_LIMIT = 40


def shown_input(text: str) -> str:
    """Typed text as an error may repeat it: quoted, control characters escaped, short."""
    text = text.strip()
    shortened = text[:ECHO_LIMIT]
    return repr(shortened)[:-1] + ("…'" if len(text) > ECHO_LIMIT else "'")


def by_postal_code_or_hint(resolver: Resolver, postal_code: str) -> LookupResult:
    """Look up a postal code; text that reads like a riding name gets a --riding hint.

    The typed text is repeated once at most, shortened and escaped, so a pasted
    page or a newline cannot flood or split the error line.
    """
    try:
        return resolver.by_postal_code(postal_code)
    except MalformedPostalCodeError as error:
        text = postal_code.strip()
        # Words without digits ("Ottawa Centre", "Edmonton"): a riding typed where
        # the postal code goes.
        letters = sum(c.isalpha() for c in text)
        looks_like_a_name = letters > 3 and not any(c.isdigit() for c in text)
        plain = len(text) <= ECHO_LIMIT and text.isprintable()
        message = error.message
        if not plain:
            message = (
                message.replace(repr(text), shown_input(text), 1)
                if repr(text) in message
                else _(
                    "{text} is not a postal code: Canadian postal codes look like A1A 1A1"
                ).format(text=shown_input(text))
            )
        if not looks_like_a_name:
            if plain:
                raise
            raise MalformedPostalCodeError(message) from None
        one_line = " ".join(text.split())
        riding = (
            f'"{one_line}"'
            if plain or (len(one_line) <= ECHO_LIMIT and one_line.isprintable())
            else "NAME"
        )
        raise MalformedPostalCodeError(
            _("{message}; to look up a riding by name use --riding {riding}").format(
                message=message, riding=riding
            )
        ) from None


def postal_code_disagreement(resolver: Resolver, postal_code: str, riding: Riding) -> str | None:
    """A warning when ``postal_code``'s ridings (likely or known) do not include ``riding``.

    Both were given; the riding wins, but a typo in either is worth showing.
    Postal codes the resolver cannot place give no warning: nothing to compare.
    """
    try:
        result = resolver.by_postal_code(postal_code)
    except MpwriteError:
        return None
    if not result.matches or any(match.riding.code == riding.code for match in result.matches):
        return None
    where = "; ".join(match.riding.name_en for match in result.matches)
    warning = (
        _(
            "Warning: postal code {code} gives the riding {where}, not {riding}; "
            "using --riding {quoted}"
        )
        if result.exact
        else _(
            "Warning: postal code {code} gives the likely riding {where}, not {riding}; "
            "using --riding {quoted}"
        )
    )
    return warning.format(
        code=result.postal_code or postal_code.strip(),
        where=where,
        riding=riding.name_en,
        quoted=repr(riding.name_en),
    )


def describe_result(result: LookupResult, data: RidingData) -> str:
    """The human-readable answer: riding, province, MP and how to write to them."""
    blocks = []
    if result.postal_code is not None:
        area = result.postal_area
        place = f" ({area.place})" if area and area.place else ""
        blocks.append(_("Postal code: {code}").format(code=result.postal_code) + place)
    for match in result.matches:
        blocks.append(describe_match(match, data))
    return "\n\n".join(blocks)


def describe_match(match: Match, data: RidingData) -> str:
    """One candidate riding and its MP, as lines of text."""
    riding = match.riding
    province = data.provinces.get(riding.province)
    province_name = province.name_en if province else riding.province
    certainty = _("exact") if match.exact else _("likely, not confirmed")
    names = (
        riding.name_en
        if riding.name_en == riding.name_fr
        else (f"{riding.name_en} / {riding.name_fr}")
    )
    lines = [
        _("Riding:   {names} ({code}) [{certainty}, source: {source}]").format(
            names=names, code=riding.code, certainty=certainty, source=match.source
        ),
        _("Province: {province}").format(province=province_name),
    ]
    mp = riding.mp
    if mp is None:
        lines.append(_("MP:       vacant seat: this riding has no MP at present"))
        return "\n".join(lines)
    party = PARTY_NAMES.get(mp.party, {}).get("en", mp.party)
    lines += [
        _("MP:       {name} ({party})").format(name=mp.display_name, party=party),
        _("E-mail:   {email}").format(email=mp.email),
        _("Phone:    {phone}").format(phone=mp.phone or _("not on file")),
        _("Mail:     {name}, {address} (no stamp needed)").format(
            name=mp.display_name, address=house_address_line(language())
        ),
    ]
    lines += constituency_office_lines(mp)
    return "\n".join(lines)


def constituency_office_lines(mp: MP) -> list[str]:
    """One line per constituency office on file, or one saying there is none and why."""
    offices = [office for office in mp.offices if office.in_the_riding]
    if not offices:
        return [_("Office:   no constituency office on file; run mpwrite data update")]
    return [_("Office:   {office}").format(office=office_line(office)) for office in offices]


def confirmation_hint(result: LookupResult, online_tried: bool = False) -> str:
    """How to turn a likely answer into a certain one (not online again if that failed)."""
    fsa = result.postal_code.fsa if result.postal_code else _("this area")
    province = result.best.riding.province
    online = (
        ""
        if online_tried
        else _(
            "ask Represent for the exact riding with 'mpwrite lookup \"{code}\" --online', "
        ).format(code=result.postal_code or "CODE")
    )
    return _(
        "Note: this is only the likely riding: postal codes starting {fsa} can span "
        "several ridings. To be sure, find your riding with "
        "'mpwrite ridings --province {province} --search PLACE' and look it up with "
        "'mpwrite lookup --riding NAME', {online}or check on elections.ca."
    ).format(fsa=fsa, province=province, online=online)


def ridings(
    province: Annotated[
        str | None, typer.Option("--province", "-p", help=N_("Code or name, e.g. ON, QC, Québec."))
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help=N_("Words of the riding's name."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print the list as JSON."))] = False,
    lang: MessagesLanguage = None,
) -> None:
    """List ridings and their MPs, to find the right --riding."""
    speak(lang)
    from mpwrite.choices import parse_province

    data, _origin = load_active()
    if province is not None:
        province = parse_province(province, data.provinces)
    found = data.search(search or "", province)
    if as_json:
        emit_json([riding_as_dict(riding) for riding in found])
    if not found:
        # Exit 1 with or without --json, so scripts see "nothing found" either way.
        note(
            _("No riding matches; try fewer or shorter words, or drop --province.")
            if province is not None
            else _("No riding matches; try fewer or shorter words.")
        )
        raise typer.Exit(1)
    if as_json:
        return
    for riding in found:
        mp = riding.mp
        who = f"{mp.display_name} ({mp.party})" if mp else _("vacant")
        names = (
            riding.name_en
            if riding.name_en == riding.name_fr
            else (f"{riding.name_en} / {riding.name_fr}")
        )
        typer.echo(f"{riding.code}  {riding.province}  {names}  —  {who}")
    count = _("{count} riding") if len(found) == 1 else _("{count} ridings")
    note(count.format(count=len(found)))
