"""What every letter to one recipient about one demand shares, prepared once.

Letters to one MP (or minister) in one language about one demand share the
values their templates see (the riding, the MP, the campaign, the demand, its
asks), and usually their whole body: a body template normally reads nothing
else. :func:`prepared_body` builds those values, and renders such a body, once
per campaign, demand, language, riding and recipient; draft, event and bulk
all compose their letters through it, so a bulk run of a hundred thousand
letters renders a few hundred bodies.

A body is reused only when that is provably the same text: its template reads
no variable outside :data:`SHARED_NAMES`, includes, imports or extends no other
template, and calls nothing random. Anything else renders for every letter.

A prepared body also keeps what output formats make of the text it shares
(:meth:`PreparedBody.pieces`: plain text wraps each paragraph once, not once a
letter). That text (:attr:`PreparedBody.shared_text`) is the letter's layout
filled with every value of the writer left blank, so it holds the body, the
recipient and the subject, and nothing of a supporter: nothing of theirs is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mpwrite.campaign.folder import Campaign, Demand
from mpwrite.campaign.render import render_template
from mpwrite.campaign.sandbox import environment_for
from mpwrite.errors import TemplateRenderError
from mpwrite.geo.ridings import MP, Riding, load_bundled
from mpwrite.letter.address import minister_lines, minister_role, recipient_lines
from mpwrite.letter.asks import demand_asks
from mpwrite.letter.markup import chunks_of, normalise_markup

#: Context variables that do not depend on the supporter.
SHARED_NAMES = frozenset(
    {
        *("lang", "subject", "body_template", "recipient_lines", "recipient_block"),
        *("riding", "mp", "campaign", "demand", "recipient", "asks"),
    }
)
#: Prepared bodies kept per campaign: every riding, demand and language of the
#: bundled campaign (343 x 6 x 2) fits.
MOST_PREPARED = 4200
#: Prepared bodies kept per prepared body for supporters who keep only some asks.
MOST_ASK_CHOICES = 64
#: Pieces of shared text kept per campaign and output form, each as a form makes
#: it: every paragraph of every prepared body of the bundled campaign fits.
MOST_PIECES = 50_000
_ATTRIBUTE = "_prepared_bodies"
# Globals and filters whose result changes from call to call.
_NONDETERMINISTIC = frozenset({"random", "lipsum", "shuffle"})


@dataclass(eq=False)
class PreparedBody:
    """The shared values of letters to one recipient about one demand, and their body.

    ``context``: plain strings, lists and dicts only, so a template has nothing
    to poke at. ``body``: the rendered body (in the neutral markup), or None
    when the body template may read a supporter's values and so renders per letter.
    """

    riding: Riding
    demand: Demand
    context: dict[str, Any]
    body: str | None
    #: The letter's layout filled with the shared values and the body, the
    #: writer's values left blank (set when the first letter is composed).
    shared_text: str | None = None
    _by_asks: dict[tuple[str, ...], PreparedBody] = field(default_factory=dict, repr=False)
    _pieces: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    #: By form, the pieces of every prepared body of the campaign: letters to
    #: other ridings share many paragraphs word for word.
    _campaign_pieces: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def with_asks(self, campaign: Campaign, asks: list[str]) -> PreparedBody:
        """The prepared body of letters listing only ``asks`` (a supporter's choice)."""
        key = tuple(asks)
        prepared = self._by_asks.get(key)
        if prepared is None:
            context = {**self.context, "asks": asks}
            body = None if self.body is None else render_body(campaign, context)
            if len(self._by_asks) >= MOST_ASK_CHOICES:
                self._by_asks.clear()
            prepared = self._by_asks[key] = PreparedBody(
                self.riding, self.demand, context, body, _campaign_pieces=self._campaign_pieces
            )
        return prepared

    def pieces(self, form: str, make: Callable[[str], str]) -> dict[str, str]:
        """Each block of :attr:`shared_text` (by its markup) as ``make`` renders it, made once.

        ``form`` names what ``make`` makes (``"txt"``): one ``make`` per form.
        """
        pieces = self._pieces.get(form)
        if pieces is not None:
            return pieces
        if self.shared_text is None:
            return {}  # no letter composed yet
        made = self._campaign_pieces.setdefault(form, {})
        if len(made) >= MOST_PIECES:
            made.clear()
        pieces = self._pieces[form] = {}
        for chunk in chunks_of(self.shared_text):
            piece = made.get(chunk)
            if piece is None:
                piece = made[chunk] = make(chunk)
            pieces[chunk] = piece
        return pieces


def render_body(campaign: Campaign, context: dict[str, Any]) -> str:
    """The body template ``context`` names, rendered and tidied into the neutral markup."""
    return normalise_markup(render_template(campaign, context["body_template"], context))


def prepared_body(
    campaign: Campaign, demand: Demand, lang: str, riding: Riding, mp: MP, to: str = "mp"
) -> PreparedBody:
    """The prepared body of letters to ``mp`` (or the minister) of ``riding`` about ``demand``."""
    cache = _cache_of(campaign)
    key = (demand.id, lang, riding.code, to)
    found = cache.bodies.get(key)
    if found is not None and found.riding is riding and found.demand is demand:
        return found
    context = _shared_values(campaign, demand, lang, riding, mp, to)
    name = context["body_template"]
    if name not in cache.shared_only:
        cache.shared_only[name] = _reads_only_shared_values(campaign, name)
    body = render_body(campaign, context) if cache.shared_only[name] else None
    if len(cache.bodies) >= MOST_PREPARED:
        cache.bodies.clear()
    prepared = cache.bodies[key] = PreparedBody(
        riding, demand, context, body, _campaign_pieces=cache.pieces
    )
    return prepared


def province_name(code: str, lang: str) -> str:
    """A province's name in the language, or the code when unknown."""
    province = load_bundled().provinces.get(code)
    return province.name(lang) if province else code


@dataclass
class _Cache:
    bodies: dict[tuple[str, str, str, str], PreparedBody] = field(default_factory=dict)
    #: By body template: whether it reads only shared values.
    shared_only: dict[str, bool] = field(default_factory=dict)
    #: What output forms made of the prepared bodies' shared text (PreparedBody.pieces).
    pieces: dict[str, dict[str, str]] = field(default_factory=dict)


def _cache_of(campaign: Campaign) -> _Cache:
    cache: _Cache | None = campaign.__dict__.get(_ATTRIBUTE)
    if cache is None:
        cache = _Cache()
        object.__setattr__(campaign, _ATTRIBUTE, cache)
    return cache


def _shared_values(
    campaign: Campaign, demand: Demand, lang: str, riding: Riding, mp: MP, to: str
) -> dict[str, Any]:
    role = minister_role(demand.minister, lang) if demand.minister else ""
    recipients = (
        minister_lines(demand.minister, lang)
        if to == "minister"
        else recipient_lines(mp, riding, lang)
    )
    return {
        "lang": lang,
        "subject": demand.subject[lang],
        "recipient_lines": list(recipients),
        "recipient_block": "\n".join(recipients),
        "body_template": demand.template_name(lang),
        # Bodies may adapt their request when the letter goes to the minister.
        "recipient": {"kind": to, "minister": demand.minister.get(lang, ""), "minister_line": role},
        **campaign_values(campaign, demand, lang, riding),
        "mp": {
            "full_name": mp.full_name,
            "name_line": recipients[0],
            "email": mp.email,
        },
    }


def campaign_values(
    campaign: Campaign, demand: Demand, lang: str, riding: Riding
) -> dict[str, Any]:
    """What every campaign template may read of the riding, campaign, demand and its asks:
    letters, meeting requests and call scripts alike."""
    return {
        "riding": {
            "name": riding.name(lang),
            "code": riding.code,
            "province": riding.province,
            "province_name": province_name(riding.province, lang),
        },
        "campaign": {
            "id": campaign.id,
            "title": campaign.title[lang],
            "organisation": campaign.organisation[lang],
        },
        "demand": {
            "id": demand.id,
            "number": demand.number,
            "title": demand.title[lang],
            "summary": demand.summary[lang],
            "subject": demand.subject[lang],
            "minister": demand.minister.get(lang, ""),
        },
        # Every ask of the demand, in order: a template lists them with a for loop.
        "asks": demand_asks(demand, lang),
    }


def _reads_only_shared_values(campaign: Campaign, name: str) -> bool:
    """Whether template ``name`` gives the same text for the same :data:`SHARED_NAMES` values."""
    import jinja2
    from jinja2 import meta, nodes

    environment = environment_for(campaign)
    try:
        assert environment.loader is not None
        source, _, _ = environment.loader.get_source(environment, name)
        tree = environment.parse(source)
    except (jinja2.TemplateError, TemplateRenderError, AssertionError, RecursionError, MemoryError):
        return False  # render_template reports the problem, with file and line
    if not meta.find_undeclared_variables(tree) <= SHARED_NAMES:
        return False
    if any(tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))):
        return False
    for node in tree.find_all((nodes.Filter, nodes.Test, nodes.Name, nodes.Getattr)):
        label = getattr(node, "name", None) or getattr(node, "attr", None)
        if label in _NONDETERMINISTIC:
            return False
    return True
