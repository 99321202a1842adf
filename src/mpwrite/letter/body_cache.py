"""Rendered letter bodies, reused while their inputs are the same.

A body template usually reads only what is the same for every letter to one
MP in one language about one demand (the riding, the MP, the campaign, the
demand), so bulk renders the same body thousands of times. :func:`render_body`
renders a body once per distinct value of what it reads and keeps the last
:data:`MAX_BODIES` results.

It reuses a result only when that is provably the same text: the template
(parsed once) reads no variable outside :data:`SHARED_NAMES`, includes,
imports or extends no other template, and calls nothing random. Anything else
renders every time, exactly as before. Since the cached text never depends on
the supporter, nothing of theirs stays in the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from mpwrite.campaign.folder import Campaign
from mpwrite.campaign.render import render_template
from mpwrite.campaign.sandbox import environment_for
from mpwrite.errors import TemplateRenderError

#: Context variables that do not depend on the supporter.
SHARED_NAMES = frozenset(
    {
        *("lang", "subject", "body_template", "recipient_lines", "recipient_block"),
        *("riding", "mp", "campaign", "demand", "recipient", "asks"),
    }
)
#: Bodies kept per campaign: one per (riding, demand, language) in use, a few KB each.
MAX_BODIES = 1024
_CACHE_ATTRIBUTE = "_body_cache"
# Globals and filters whose result changes from call to call.
_NONDETERMINISTIC = frozenset({"random", "lipsum", "shuffle"})


class _BodyCache:
    """Per campaign: which templates are cacheable, and the recent bodies."""

    def __init__(self) -> None:
        self.cacheable: dict[str, tuple[str, ...] | None] = {}
        self.bodies: OrderedDict[tuple[str, str], str] = OrderedDict()

    def names_read(self, campaign: Campaign, name: str) -> tuple[str, ...] | None:
        """The shared variables template ``name`` reads; None when it may read others."""
        if name not in self.cacheable:
            self.cacheable[name] = _names_read(campaign, name)
        return self.cacheable[name]


def _cache_of(campaign: Campaign) -> _BodyCache:
    cache: _BodyCache | None = campaign.__dict__.get(_CACHE_ATTRIBUTE)
    if cache is None:
        cache = _BodyCache()
        object.__setattr__(campaign, _CACHE_ATTRIBUTE, cache)
    return cache


def render_body(
    campaign: Campaign,
    name: str,
    context: Mapping[str, Any],
    tidy: Callable[[str], str] | None = None,
) -> str:
    """``render_template(campaign, name, context)``, passed through ``tidy`` if given, cached."""
    cache = _cache_of(campaign)
    names = cache.names_read(campaign, name)
    if names is None:
        return _render(campaign, name, context, tidy)
    key = (name, repr(tuple(context.get(variable) for variable in names)))
    body = cache.bodies.get(key)
    if body is not None:
        cache.bodies.move_to_end(key)
        return body
    body = _render(campaign, name, context, tidy)
    cache.bodies[key] = body
    if len(cache.bodies) > MAX_BODIES:
        cache.bodies.popitem(last=False)
    return body


def reads_only_shared_values(campaign: Campaign, name: str) -> bool:
    """Whether template ``name`` gives the same text for the same :data:`SHARED_NAMES` values."""
    return _cache_of(campaign).names_read(campaign, name) is not None


def _render(
    campaign: Campaign,
    name: str,
    context: Mapping[str, Any],
    tidy: Callable[[str], str] | None,
) -> str:
    text = render_template(campaign, name, context)
    return tidy(text) if tidy is not None else text


def _names_read(campaign: Campaign, name: str) -> tuple[str, ...] | None:
    """The shared variables template ``name`` reads, or None when it may read anything else."""
    import jinja2
    from jinja2 import meta, nodes

    environment = environment_for(campaign)
    try:
        assert environment.loader is not None
        source, _, _ = environment.loader.get_source(environment, name)
        tree = environment.parse(source)
    except (jinja2.TemplateError, TemplateRenderError, AssertionError, RecursionError, MemoryError):
        # render_template reports the problem, with file and line.
        return None
    read = meta.find_undeclared_variables(tree)
    if not read <= SHARED_NAMES:
        return None
    if any(tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))):
        return None
    for node in tree.find_all((nodes.Filter, nodes.Test, nodes.Name, nodes.Getattr)):
        label = getattr(node, "name", None) or getattr(node, "attr", None)
        if label in _NONDETERMINISTIC:
            return None
    return tuple(sorted(read))
