"""Helpers shared by test modules."""

from __future__ import annotations


def without_stale_data_warning(stderr: str) -> str:
    """stderr without the warning that the bundled MP data is old (it depends on the day)."""
    return "".join(
        line
        for line in stderr.splitlines(keepends=True)
        if not line.startswith("Warning: the MP data is ")
    )


class CtrlC:
    """A scripted answer that presses Ctrl-C."""


class ScriptScreen:
    """An event screen that plays answers in order (Ctrl-C where the script says; end of
    input when it runs out) and keeps every prompt and error shown."""

    def __init__(self, answers: list[str | CtrlC]) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.errors: list[str] = []
        self.said: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        if isinstance(answer, CtrlC):
            raise KeyboardInterrupt
        return answer

    def say(self, text: str, style: str = "") -> None:
        self.said.append(text)
        if style == "error":
            self.errors.append(text)

    def clear(self) -> None:
        pass
