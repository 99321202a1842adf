"""Templates that only place values, filled without running the template engine.

A layout usually puts composed values between fixed text: ``{{ date }}``,
``{{ body }}``. Such a template runs no code, so filling it needs neither
Jinja2's generated code nor the sandbox around it, and bulk fills one per
letter. :func:`flat_template` recognises one from its parsed tree: nothing
but fixed text and bare variables (no filters, attributes, tests, loops,
conditions, calls, includes or macros). Anything else renders in the
sandbox as before.

Filling gives exactly what Jinja2 would: its parser has already applied the
whitespace options to the fixed text, and Jinja2 outputs a variable as
``str(value)``. A variable missing from the context is left to Jinja2, which
reports it (StrictUndefined) or finds it among its globals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.nodes import Template


class FlatTemplate:
    """Fixed text and the variables placed between it."""

    __slots__ = ("_format", "label", "names")

    def __init__(self, pieces: list[str | tuple[str]], label: str) -> None:
        """``pieces``: fixed text as strings, a variable as a one-item tuple of its name.

        ``label``: the template's file, as error messages name it.
        """
        self.label = label
        fields = []
        names = []
        for piece in pieces:
            if isinstance(piece, tuple):
                fields.append("{" + piece[0] + "}")
                names.append(piece[0])
            else:
                fields.append(piece.replace("{", "{{").replace("}", "}}"))
        self._format = "".join(fields)
        #: The variables it places, each once.
        self.names = frozenset(names)

    def fill(self, context: Mapping[str, Any]) -> str | None:
        """The text with the context's values; None when a variable is not in ``context``."""
        if not self.names <= context.keys():
            return None
        return self._format.format_map(_AsText(context))


class _AsText:
    """A context's values as Jinja2 prints them: ``str(value)``."""

    __slots__ = ("_context",)

    def __init__(self, context: Mapping[str, Any]) -> None:
        self._context = context

    def __getitem__(self, name: str) -> str:
        value = self._context[name]
        # format(value, "") is str(value) except for types that define
        # __format__ their own way; none in a context do, but be exact.
        return value if type(value) is str else str(value)


def flat_template(environment: Environment, name: str) -> FlatTemplate | None:
    """Template ``name`` as a :class:`FlatTemplate`, or None when it is not one.

    Also None when the template cannot be read or parsed (even a parse too
    deep for Python): rendering it reports that, with file and line. Decided
    once per environment and name.
    """
    found: dict[str, FlatTemplate | None] = environment.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if name not in found:
        found[name] = _flatten(environment, name)
    return found[name]


_CACHE_ATTRIBUTE = "_mpwrite_flat_templates"


def _flatten(environment: Environment, name: str) -> FlatTemplate | None:
    import jinja2

    from mpwrite.errors import MpwriteError

    if environment.loader is None:
        return None
    try:
        source, filename, _ = environment.loader.get_source(environment, name)
        tree = environment.parse(source, name, filename)
    except (jinja2.TemplateError, MpwriteError, RecursionError, MemoryError):
        return None  # rendering it reports the problem, with file and line
    return flat_from_tree(tree, filename or name)


def flat_from_tree(tree: Template, label: str) -> FlatTemplate | None:
    """The parsed template as a :class:`FlatTemplate`, or None when it does more than place."""
    from jinja2 import nodes

    pieces: list[str | tuple[str]] = []
    for statement in tree.body:
        if type(statement) is not nodes.Output:
            return None
        for node in statement.nodes:
            if type(node) is nodes.TemplateData:
                pieces.append(node.data)
            elif type(node) is nodes.Name and node.ctx == "load":
                pieces.append((node.name,))
            else:
                return None
    return FlatTemplate(pieces, label)
