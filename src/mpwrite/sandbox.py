"""Rendering campaign templates safely: Jinja2's sandbox with StrictUndefined.

Custom campaigns come from other organisations, so their templates are
untrusted: they render in :class:`jinja2.sandbox.SandboxedEnvironment` (no
access to private attributes, so no ``__class__``/``__globals__`` escapes),
with capped string repetition and powers (no memory bombs), and every Jinja
failure becomes a :class:`TemplateRenderError` naming file and line.

Autoescaping is off on purpose: templates produce the neutral letter markup
(plain text), not HTML. The HTML renderer escapes every piece of text itself,
and supporter text is normalised before it enters the context.

jinja2 is imported inside functions: ``mpwrite lookup`` must not pay for it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mpwrite.campaigns import LAYOUT_NAME, Campaign, bundled_campaign_root
from mpwrite.errors import TemplateRenderError

if TYPE_CHECKING:
    from jinja2 import Environment

#: Largest string or list a template may build by repetition.
MAX_REPEAT_SIZE = 100_000
MAX_EXPONENT = 100


def render_template(campaign: Campaign, name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name`` of ``campaign``; TemplateRenderError on any failure."""
    import jinja2

    environment = _environment(campaign)
    try:
        template = environment.get_template(name)
        return template.render(**context)
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
    except RecursionError:
        raise TemplateRenderError(
            f"{campaign.file_label(name)}: templates include each other endlessly"
        ) from None


def _template_frame(error: BaseException, fallback: str) -> str:
    """``file:line`` of the innermost template frame in the error's traceback."""
    # Jinja rewrites tracebacks so template code appears as frames whose file
    # name is the template's (our loader gives it the campaign-relative label).
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{frame.filename}:{frame.lineno}"
    return fallback


def _environment(campaign: Campaign) -> Environment:
    from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
    from jinja2.exceptions import SecurityError
    from jinja2.loaders import split_template_path
    from jinja2.sandbox import SandboxedEnvironment

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
                        source = resource.read_text(encoding="utf-8")
                    except (OSError, UnicodeDecodeError) as error:
                        raise TemplateRenderError(
                            f"{label}: cannot read it as UTF-8 text ({error})"
                        ) from None
                    return source, label, lambda: True
            raise TemplateNotFound(template)

    class LetterSandbox(SandboxedEnvironment):
        """The sandbox, also refusing huge repetitions and powers."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"exponent {right} is too large for a letter template")
            if operator == "*":
                for sequence, count in ((left, right), (right, left)):
                    if (
                        isinstance(sequence, str | list | tuple)
                        and isinstance(count, int)
                        and len(sequence) * count > MAX_REPEAT_SIZE
                    ):
                        raise SecurityError("repetition too large for a letter template")
            return super().call_binop(context, operator, left, right)

    return LetterSandbox(
        loader=CampaignLoader(),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
