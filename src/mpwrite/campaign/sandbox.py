"""Rendering campaign templates safely: Jinja2's sandbox with StrictUndefined.

Custom campaigns come from other organisations, so their templates are
untrusted. They render in :class:`jinja2.sandbox.ImmutableSandboxedEnvironment`
(no private attributes, so no ``__class__``/``__globals__`` escapes; no
mutating lists or dicts), with a budget for each render:

* work: loop iterations, ``range`` items, calls and filters share
  :data:`~mpwrite.campaign.limits.MAX_STEPS`, so nested loops and fan-out recursion stop early;
  a filter or string method costs more the larger the value it works on;
* size: ``*``, ``+``, ``~``, ``%``, ``**`` and the string methods and filters
  that pad, format, join, replace, translate or expand tabs refuse results
  beyond :data:`MAX_STRING` characters before building them (:data:`MAX_WIDTH`
  for widths, :data:`MAX_INT_BITS` for integers; bytes methods are refused),
  and the rendered output, fixed text and ``{% set %}`` captures included, may
  not exceed :data:`MAX_OUTPUT` characters;
* nesting: at most :data:`MAX_NESTING` levels, checked on the parsed tree
  before compiling (which costs quadratic time in the depth);
* whatever slips past those (MemoryError, RecursionError, Python's own
  compiler limits) and every Jinja failure becomes a
  :class:`TemplateRenderError` naming file and line.

These checks stop the usual runaway templates with a precise message, but
counting inside the interpreter is no proof against every expression: a
custom campaign's templates also render in a child process held to hard
processor-time and memory limits (:mod:`mpwrite.campaign.render_worker`; which of the
two a template renders in is chosen by :mod:`mpwrite.campaign.render`). Templates are
read only from inside their campaign folder, symbolic links followed
(:func:`mpwrite.campaign.folder.read_campaign_file`).

Autoescaping is off on purpose: templates produce the neutral letter markup
(plain text), not HTML. The HTML renderer escapes every piece of text itself,
and supporter text is normalised before it enters the context.

jinja2 is imported inside functions: ``mpwrite lookup`` must not pay for it.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from mpwrite.campaign.folder import (
    LAYOUT_NAME,
    Campaign,
    bundled_campaign_root,
    read_campaign_file,
)
from mpwrite.campaign.limits import (
    MAX_OUTPUT,
    Budget,
    LimitExceededError,
    check_str_method,
    guard_binop,
    guarded_filter,
    refuse_size,
)
from mpwrite.errors import TemplateRenderError

if TYPE_CHECKING:
    from jinja2 import Environment


def render_here(campaign: Campaign, name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name`` of ``campaign`` in this process, within the sandbox's budget."""
    import jinja2

    environment = environment_for(campaign)
    try:
        template = _compiled(environment, name, campaign.file_label(name))
        return _render_within_budget(template, context)
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or campaign.file_label(name)
        raise TemplateRenderError(f"{where}:{error.lineno}: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        where = _template_frame(error, campaign.file_label(name))
        raise TemplateRenderError(
            f"{where}: template {error.name!r} is missing from the campaign folder"
        ) from None
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as error:
        where = _template_frame(error, campaign.file_label(name))
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        raise TemplateRenderError(f"{where}: {message}") from None
    except LimitExceededError as error:
        where = _template_frame(error, campaign.file_label(name))
        raise TemplateRenderError(f"{where}: {error}") from None
    except MemoryError as error:
        where = _template_frame(error, campaign.file_label(name))
        raise TemplateRenderError(
            f"{where}: the template needs more memory than a letter can; simplify it"
        ) from None
    except RecursionError as error:
        where = _template_frame(error, campaign.file_label(name))
        raise TemplateRenderError(
            f"{where}: templates or macros call each other endlessly"
        ) from None
    except SyntaxError as error:  # an included template too deep for Python
        raise TemplateRenderError(_too_deep(error.filename or campaign.file_label(name))) from None


def _compiled(environment: Environment, name: str, label: str) -> Any:
    """The template, compiled; nesting too deep for Python's parser is a TemplateRenderError."""
    try:
        return environment.get_template(name)
    except (RecursionError, MemoryError):
        raise TemplateRenderError(_too_deep(label)) from None
    except SyntaxError as error:  # Python's own limits on the generated code
        raise TemplateRenderError(_too_deep(error.filename or label)) from None


def _too_deep(label: str) -> str:
    return (
        f"{label}: expressions or blocks are nested too deeply to compile; "
        f"split them into simpler steps with {{% set %}}"
    )


def _render_within_budget(template: Any, context: Mapping[str, Any]) -> str:
    # generate() is lazy, so an endless or huge output stops at the cap
    # instead of being collected first.
    pieces = []
    size = 0
    for piece in template.generate(**context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise output_too_long()
        pieces.append(piece)
    return "".join(pieces)


def output_too_long() -> LimitExceededError:
    return LimitExceededError(
        f"the rendered text is longer than {MAX_OUTPUT:,} characters; "
        f"a letter template should produce a letter"
    )


def _template_frame(error: BaseException, fallback: str) -> str:
    """``file:line`` of the innermost template frame in the error's traceback."""
    # Jinja rewrites tracebacks so template code appears as frames whose file
    # name is the template's (our loader gives it the campaign-relative label).
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{frame.filename}:{frame.lineno}"
    return fallback


def environment_for(campaign: Campaign) -> Environment:
    """The campaign's sandbox, built once per loaded campaign, with a fresh budget.

    Building the sandbox and compiling its templates costs far more than a
    render, and bulk renders thousands of letters of one campaign. The cache
    lives on the Campaign object (not hashable: it holds dicts), so a campaign
    loaded again from disk gets new templates. The budget is per render, so it
    is replaced here, before each render.
    """
    environment: Environment | None = campaign.__dict__.get(_ENVIRONMENT_ATTRIBUTE)
    if environment is None:
        environment = _environment(campaign)
        # Campaign is frozen; the cache is not one of its fields (not compared, not shown).
        object.__setattr__(campaign, _ENVIRONMENT_ATTRIBUTE, environment)
    environment.budget = Budget()  # type: ignore[attr-defined]
    return environment


_ENVIRONMENT_ATTRIBUTE = "_sandbox_environment"


def _environment(campaign: Campaign) -> Environment:
    from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
    from jinja2.loaders import split_template_path

    bundled = bundled_campaign_root()
    bundled_label = "templates/letters/ccr-anti-trafficking"

    class CampaignLoader(BaseLoader):
        """Templates from the campaign folder (a Path or a packaged Traversable).

        ``<lang>/_layout.j2`` falls back to the bundled campaign's layout.
        """

        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            # split_template_path refuses ".." so a template cannot read files
            # outside its campaign folder.
            parts = split_template_path(template)
            name = "/".join(parts)
            candidates = [(campaign.root, campaign.file_label(name))]
            if parts[-1] == LAYOUT_NAME:
                candidates.append((bundled, f"{bundled_label}/{name}"))
            for root, label in candidates:
                resource = root
                for part in parts:
                    resource = resource.joinpath(part)
                if resource.is_file():
                    try:
                        source = read_campaign_file(root, tuple(parts), label)
                    except ValueError as error:
                        raise TemplateRenderError(str(error)) from None
                    return source, label, lambda: True
            raise TemplateNotFound(template)

    sandbox_class: type[Environment] = _sandbox_class()
    return sandbox_class(
        loader=CampaignLoader(),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )


#: Deepest nesting of blocks and expressions a template may have (a letter needs
#: a handful). Compiling costs time quadratic in the depth, and Python's
#: compiler refuses about this many levels anyway.
MAX_NESTING = 60


def _refuse_deep_nesting(tree: Any, name: str | None, filename: str | None) -> None:
    from jinja2 import TemplateSyntaxError

    # Iterative: a recursive walk would itself overflow on the trees it refuses.
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise TemplateSyntaxError(
                f"expressions or blocks are nested over {MAX_NESTING} levels deep; "
                f"split them into simpler steps with {{% set %}}",
                node.lineno,
                name,
                filename,
            )
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())


@functools.cache
def _sandbox_class() -> type[Environment]:
    """The sandbox class, built once: it needs jinja2, imported lazily."""
    from jinja2 import nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from jinja2.visitor import NodeTransformer

    def guarded_call(method: str, argument: nodes.Node) -> nodes.Call:
        # Compiles to environment.call(context, environment.<method>, argument):
        # Jinja forbids custom node types, so the guards are calls.
        return nodes.Call(
            nodes.EnvironmentAttribute(method),
            [argument],
            [],
            None,
            None,
            lineno=argument.lineno,
        )

    class Guards(NodeTransformer):
        """Loops count their steps; ``~`` checks the length it builds."""

        def visit_For(self, node: nodes.For) -> nodes.Node:
            self.generic_visit(node)
            node.iter = guarded_call("guard_iter", node.iter)
            return node

        def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
            self.generic_visit(node)
            return guarded_call("guard_concat", nodes.List(node.nodes, lineno=node.lineno))

    class TextGuards(NodeTransformer):
        """Fixed text is output through finalize like values are, so the budget counts it.

        A loop repeats fixed text and ``{% set %}`` blocks capture it. Applied
        when compiling only: a parsed tree keeps its fixed text, so a template
        that only places values stays recognisably flat.
        """

        def visit_Output(self, node: nodes.Output) -> nodes.Node:
            self.generic_visit(node)
            node.nodes = [
                guarded_call("guard_text", nodes.Const(child.data, lineno=child.lineno))
                if isinstance(child, nodes.TemplateData)
                else child
                for child in node.nodes
            ]
            return node

    class LetterSandbox(ImmutableSandboxedEnvironment):
        """The sandbox with a per-render budget of work and size."""

        intercepted_binops = frozenset({"*", "**", "+", "%"})

        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            self.budget = Budget()
            self.finalize = self._count_output
            self.globals["range"] = self._counting_range
            self.globals.pop("lipsum", None)  # paragraphs of filler on demand; no letter needs it
            self.filters = {
                name: guarded_filter(name, function, self._charge_work_on)
                for name, function in self.filters.items()
            }

        def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
            tree = super()._parse(source, name, filename)
            _refuse_deep_nesting(tree, name, filename)
            tree = Guards().visit(tree)
            assert isinstance(tree, nodes.Template)
            return tree

        def _generate(self, source: nodes.Template, *args: Any, **kwargs: Any) -> str:
            return super()._generate(TextGuards().visit(source), *args, **kwargs)

        def _charge_work_on(self, value: Any) -> None:
            self.budget.charge_work_on(value)

        def _counting_range(self, *args: int) -> range:
            numbers = range(*args)
            self.budget.charge(len(numbers))
            return numbers

        def _count_output(self, value: Any) -> Any:
            text = str(value)
            self.budget.charge_output(len(text))
            return text

        def guard_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
            charge = self.budget.charge
            for item in iterable:
                charge(1)
                yield item

        def guard_text(self, text: str) -> str:
            return text

        def guard_concat(self, parts: list[Any]) -> str:
            texts = [str(part) for part in parts]
            refuse_size(sum(len(text) for text in texts))
            return "".join(texts)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            __self.budget.charge_work_on(getattr(__obj, "__self__", None))
            check_str_method(__obj, args, kwargs)
            result = super().call(__context, __obj, *args, **kwargs)
            if isinstance(result, str | list | tuple):
                refuse_size(len(result))
            return result

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            guard_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

    return LetterSandbox
