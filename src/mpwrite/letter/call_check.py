"""``templates check`` for call scripts: one per language, rendering, short enough to read aloud."""

from __future__ import annotations

from mpwrite.campaign.folder import CAMPAIGN_LANGUAGES, Campaign
from mpwrite.errors import CampaignError, TemplateRenderError
from mpwrite.geo.ridings import Riding
from mpwrite.i18n import _
from mpwrite.letter.call import (
    CALL_TEMPLATE,
    MOST_WORDS,
    call_template_name,
    compose_call,
    has_call_template,
)
from mpwrite.letter.compose import Supporter


def check_call_scripts(
    campaign: Campaign, riding: Riding, supporter: Supporter
) -> tuple[list[str], int, list[str]]:
    """Problems, templates checked and warnings of the campaign's call scripts.

    ``riding`` and ``supporter`` are the sample ones every template is checked with.
    A campaign need not have call scripts (``mpwrite call`` then says so), but
    one it has must exist in every language, render for every demand and stay
    short enough to read aloud.
    """
    having = [lang for lang in CAMPAIGN_LANGUAGES if has_call_template(campaign, lang)]
    if not having:
        names = ", ".join(call_template_name(lang) for lang in CAMPAIGN_LANGUAGES)
        warning = _("{label}: no call script ({names}); mpwrite call cannot use it").format(
            label=campaign.label, names=names
        )
        return [], 0, [warning]
    problems: list[str] = []
    reserved = CALL_TEMPLATE.removesuffix(".j2")
    if any(demand.id == reserved for demand in campaign.demands):
        problems.append(
            _(
                "{file}: demand id {id!r} is the call script's template name; "
                "give the demand another id"
            ).format(file=campaign.file_label("manifest.toml"), id=reserved)
        )
    for lang in CAMPAIGN_LANGUAGES:
        label = campaign.file_label(call_template_name(lang))
        if lang not in having:
            problems.append(
                _(
                    "{file}: missing: the call script needs a template in each language ({langs})"
                ).format(file=label, langs=", ".join(CAMPAIGN_LANGUAGES))
            )
            continue
        for demand in campaign.demands:
            try:
                call = compose_call(
                    campaign=campaign,
                    demand=demand,
                    lang=lang,
                    riding=riding,
                    caller_name=supporter.name,
                    postal_code=supporter.postal_code,
                )
            except (TemplateRenderError, CampaignError) as error:
                problems.append(str(error))
                break
            if call.words > MOST_WORDS:
                problems.append(
                    _(
                        "{file}: the script for demand {demand} has {words} words; keep it to "
                        "{most} so it can be read aloud in about a minute"
                    ).format(file=label, demand=demand.id, words=call.words, most=MOST_WORDS)
                )
    return problems, len(having), []
