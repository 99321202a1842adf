"""Rich's prompts, with their own complaints and yes/no in the language of messages.

Rich words "Please enter Y or N" in English only and takes only y/n; these
subclasses say it in the current language and take o/oui as well as y/yes.
Imported only when a question is asked, so Rich stays out of start-up.
"""

from __future__ import annotations

from typing import Any

from rich import prompt as rich_prompt

from mpwrite.event.answers import parse_yes_no
from mpwrite.i18n import _


def _choice_message() -> str:
    return "[prompt.invalid.choice]" + _("Please choose one of the options shown")


class Prompt(rich_prompt.Prompt):
    """A line of text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.illegal_choice_message = _choice_message()


class IntPrompt(rich_prompt.IntPrompt):
    """A whole number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.illegal_choice_message = _choice_message()
        self.validate_error_message = "[prompt.invalid]" + _("Please type a number")


class Confirm(rich_prompt.Confirm):
    """Yes or no, in English or French."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = [_("y"), _("n")]
        self.validate_error_message = "[prompt.invalid]" + _("Please answer y (yes) or n (no)")

    def process_response(self, value: str) -> bool:
        answer = parse_yes_no(value)
        if answer is None:
            raise rich_prompt.InvalidResponse(self.validate_error_message)
        return answer
