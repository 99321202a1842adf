"""Rendering a campaign's template where it is both safe and cheap.

The templates of the bundled campaign, shipped with mpwrite and so trusted,
render in this process's sandbox (:mod:`mpwrite.campaign.sandbox`); a custom campaign's come from
someone else and render in a child process held to hard limits
(:mod:`mpwrite.campaign.render_worker`), itself using the sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mpwrite.campaign.render_worker import render_elsewhere
from mpwrite.campaign.sandbox import render_here

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign


def render_template(campaign: Campaign, name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name`` of ``campaign``; TemplateRenderError on any failure.

    A custom campaign's templates render in a child process
    with hard limits (:mod:`mpwrite.campaign.render_worker`).
    """
    if not campaign.bundled:
        return render_elsewhere(campaign, name, context)
    return render_here(campaign, name, context)
