"""``mpwrite demands``: the demands of a campaign, to choose one for ``draft``."""

from __future__ import annotations

from typing import Annotated

import typer

from mpwrite.cli.commands._options import CampaignFolder
from mpwrite.cli.commands._output import emit_json
from mpwrite.i18n import N_, use_language


def demands(
    campaign_path: CampaignFolder = None,
    lang: Annotated[
        str, typer.Option("--lang", "-l", help=N_("en, fr, English, français…"))
    ] = "en",
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print the demands as JSON."))] = False,
) -> None:
    """List a campaign's demands: number, id, title, summary and numbered asks."""
    from mpwrite.campaign.folder import load_campaign
    from mpwrite.choices import parse_language
    from mpwrite.letter.asks import demand_asks

    lang = parse_language(lang)
    use_language(lang)
    campaign = load_campaign(campaign_path)
    if as_json:
        emit_json(
            {
                "campaign": campaign.id,
                "title": campaign.title[lang],
                "lang": lang,
                "default_demand": campaign.default_demand,
                "demands": [
                    {
                        "number": demand.number,
                        "id": demand.id,
                        "title": demand.title[lang],
                        "summary": demand.summary[lang],
                        "subject": demand.subject[lang],
                        "asks": [ask[lang] for ask in demand.facts.asks],
                        "minister": demand.minister.get(lang) or None,
                        "short": demand.facts.short[lang] if demand.facts.short else None,
                        "checked": demand.facts.checked.isoformat()
                        if demand.facts.checked
                        else None,
                        "sources": [
                            {"title": source.title, "url": source.url}
                            for source in demand.facts.sources_in(lang)
                        ],
                    }
                    for demand in campaign.demands
                ],
            }
        )
        return
    lines = [campaign.title[lang], ""]
    default_mark = {"en": "(default)", "fr": "(par défaut)"}[lang]
    for demand in campaign.demands:
        mark = f"  {default_mark}" if demand.id == campaign.default_demand else ""
        lines.append(f"{demand.number}. {demand.title[lang]}  [{demand.id}]{mark}")
        lines.append(f"   {demand.summary[lang]}")
        # Numbered, so a supporter can keep some of them with --ask N.
        asks = demand_asks(demand, lang)
        lines += [f"     {number}) {ask}" for number, ask in enumerate(asks, 1)]
    typer.echo("\n".join(lines))
