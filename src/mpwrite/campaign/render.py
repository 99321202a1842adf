"""Rendering a campaign's template where it is both safe and cheap.

A template that only places values is filled directly
(:mod:`mpwrite.campaign.flat_templates`). Other templates of the bundled
campaign, shipped with mpwrite and so trusted, render in this process's
sandbox (:mod:`mpwrite.campaign.sandbox`); a custom campaign's come from
someone else and render in a child process held to hard limits
(:mod:`mpwrite.campaign.render_worker`), itself using the sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mpwrite.campaign.flat_templates import flat_template
from mpwrite.campaign.limits import MAX_OUTPUT
from mpwrite.campaign.render_worker import render_elsewhere
from mpwrite.campaign.sandbox import environment_for, output_too_long, render_here
from mpwrite.errors import TemplateRenderError

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign


def render_template(campaign: Campaign, name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name`` of ``campaign``; TemplateRenderError on any failure.

    A custom campaign's templates that need Jinja2 render in a child process
    with hard limits (:mod:`mpwrite.campaign.render_worker`).
    """
    environment = environment_for(campaign)
    flat = flat_template(environment, name)
    text = flat.fill(context) if flat is not None else None
    if flat is not None and text is not None:
        if len(text) > MAX_OUTPUT:
            raise TemplateRenderError(f"{flat.label}: {output_too_long()}")
        return text
    if not campaign.bundled:
        return render_elsewhere(campaign, name, context)
    return render_here(campaign, name, context)
