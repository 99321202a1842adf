"""The limits a campaign template renders within: work, sizes and widths.

:mod:`mpwrite.campaign.sandbox` calls these checks before operations that could
otherwise hang or exhaust memory (see its docstring for what is guarded).
Each raises :class:`LimitExceededError`, which the sandbox reports as a
TemplateRenderError naming the template's file and line.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Mapping
from typing import Any

#: Loop iterations, range items, calls and filters (more for large values) one render may use.
MAX_STEPS = 100_000
#: Longest string, list or tuple an operator, method or filter may build.
MAX_STRING = 100_000
#: Largest padding width or format width a template may ask for.
MAX_WIDTH = 10_000
#: Largest integer (in bits) arithmetic may produce: about 1,200 digits.
MAX_INT_BITS = 4_000
#: Longest rendered template, in characters (a letter is a few thousand).
#: Text captured with ``{% set %}…{% endset %}`` or by macros counts too.
MAX_OUTPUT = 200_000
#: A filter or string method costs one step, plus one per this many
#: characters or items it is given: work grows with the size worked on.
ITEMS_PER_STEP = 100

# str methods whose integer arguments are widths of the result.
WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
# printf-style conversions, with their width and precision.
PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")


class LimitExceededError(Exception):
    """A template asked for more work or memory than a letter can need."""


class Budget:
    """The steps and output one environment (one render) may still use."""

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.output = MAX_OUTPUT

    def charge(self, steps: int) -> None:
        self.steps -= steps
        if self.steps < 0:
            raise LimitExceededError(
                f"the template does too much work (over {MAX_STEPS:,} loop steps, range items, "
                f"calls and filters); a letter template should not need that many"
            )

    def charge_work_on(self, value: Any) -> None:
        """One step for a filter or method applied to ``value``, more for a large one."""
        size = len(value) if isinstance(value, str | bytes | list | tuple | dict) else 0
        self.charge(1 + size // ITEMS_PER_STEP)

    def charge_output(self, size: int) -> None:
        self.output -= size
        if self.output < 0:
            raise LimitExceededError(
                f"the template outputs more than {MAX_OUTPUT:,} characters; "
                f"a letter template should produce a letter"
            )


def refuse_size(size: int, what: str = "text") -> None:
    if size > MAX_STRING:
        raise LimitExceededError(
            f"the template builds {what} too large for a letter "
            f"({size:,} long; at most {MAX_STRING:,})"
        )


def refuse_width(width: Any) -> None:
    if isinstance(width, int) and abs(width) > MAX_WIDTH:
        raise LimitExceededError(
            f"width {width:,} is too large for a letter (at most {MAX_WIDTH:,})"
        )


def check_percent_format(text: str) -> None:
    """printf-style ``text % values`` may not ask for a huge width or precision."""
    for match in PERCENT_SPEC.finditer(text):
        for number in match.groups():
            if number == "*":
                raise LimitExceededError("a '*' width in % formatting is not allowed in templates")
            if number is not None:
                refuse_width(int(number))


def check_format_string(text: str) -> None:
    """``str.format`` may not ask for a huge or computed width."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format itself reports the malformed string
    for _literal, _field, spec, _conversion in fields:
        if not spec:
            continue
        if "{" in spec:
            raise LimitExceededError("a computed width in str.format is not allowed in templates")
        for number in re.findall(r"\d+", spec):
            refuse_width(int(number))


def check_str_method(method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Refuse str method calls whose result would be huge, before they run."""
    target = getattr(method, "__wrapped__", method)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    if isinstance(owner, bytes | bytearray):
        # A letter is text; bytes methods would each need their own size checks.
        raise LimitExceededError("bytes methods are not available in letter templates")
    if not isinstance(owner, str):
        return
    name = getattr(target, "__name__", "")
    if name in WIDTH_METHODS:
        for argument in (*args, *kwargs.values()):
            refuse_width(argument)
        if name == "expandtabs":
            width = next(iter((*args, *kwargs.values())), 8)
            if isinstance(width, int):
                refuse_size(len(owner) + owner.count("\t") * max(0, width))
    elif name == "translate" and args:
        table = args[0]
        longest = max(
            (len(value) for value in getattr(table, "values", list)() if isinstance(value, str)),
            default=1,
        )
        refuse_size(len(owner) * max(1, longest))
    elif name in ("format", "format_map"):
        check_format_string(owner)
    elif name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        count = owner.count(old) if old else len(owner) + 1
        refuse_size(len(owner) + count * max(0, len(new) - len(old)))
    elif name == "join" and args:
        joined_size(owner, args[0])


def joined_size(separator: str, items: Any) -> None:
    if isinstance(items, str):
        refuse_size(len(items) * (len(separator) + 1))
    elif hasattr(items, "__len__"):
        count = len(items)
        refuse_size(count, "a list")
        refuse_size(sum(len(str(item)) for item in items) + len(separator) * count)


def guard_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse arithmetic whose result would be huge, before it runs."""
    if operator == "**":
        if (
            isinstance(left, int)
            and isinstance(right, int)
            and abs(left) > 1
            and left.bit_length() * right > MAX_INT_BITS
        ):
            raise LimitExceededError("a power too large for a letter template")
    elif operator == "*":
        if (
            isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_INT_BITS
        ):
            raise LimitExceededError("a product too large for a letter template")
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int):
                refuse_size(len(sequence) * count, "a repetition")
    elif operator == "+":
        if isinstance(left, str | bytes | list | tuple) and isinstance(
            right, str | bytes | list | tuple
        ):
            refuse_size(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        check_percent_format(left)


def guarded_filter(
    name: str, original: Callable[..., Any], charge: Callable[[Any], None]
) -> Callable[..., Any]:
    """Filter ``name`` refusing huge results; keeps Jinja's pass_* marker.

    ``charge`` is called with the filtered value first, to count the work.
    """
    # Jinja passes the eval context or environment first to marked filters.
    leading = 1 if getattr(original, "jinja_pass_arg", None) else 0

    @functools.wraps(original)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        value, rest = args[leading] if len(args) > leading else None, args[leading + 1 :]
        charge(value)
        if name in ("center", "indent"):
            for argument in (*rest, *kwargs.values()):
                refuse_width(argument)
        elif name == "format" and isinstance(value, str):
            check_percent_format(value)
        elif name == "join":
            separator = rest[0] if rest else kwargs.get("d", "")
            joined_size(str(separator), list(value) if value is not None else [])
        elif name == "replace" and len(rest) >= 2 and value is not None:
            text, old, new = str(value), str(rest[0]), str(rest[1])
            count = text.count(old) if old else len(text) + 1
            refuse_size(len(text) + count * max(0, len(new) - len(old)))
        elif name == "wordwrap":
            width = rest[0] if rest else kwargs.get("width", 79)
            wrapstring = rest[2] if len(rest) > 2 else kwargs.get("wrapstring") or "\n"
            if isinstance(width, int) and value is not None:
                lines = len(str(value)) // max(1, width) + 1
                refuse_size(len(str(value)) + lines * len(str(wrapstring)))
        result = original(*args, **kwargs)
        if isinstance(result, str | list | tuple):
            refuse_size(len(result))
        return result

    return guarded
