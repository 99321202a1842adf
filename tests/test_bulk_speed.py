"""The shortcuts that make bulk fast give exactly the uncached results."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mpwrite import body_cache, sandbox
from mpwrite.campaigns import load_campaign
from mpwrite.letters import Supporter, compose_letter
from mpwrite.ridings import load_bundled
from mpwrite.sandbox_limits import MAX_STEPS
from mpwrite.wrapping import fill

MANIFEST = """\
id = "speed"
default_demand = "one"
[title]
en = "Test"
fr = "Essai"
[organisation]
en = "Org"
fr = "Org"
[[demands]]
id = "one"
number = 1
[demands.title]
en = "One"
fr = "Un"
[demands.summary]
en = "One."
fr = "Un."
[demands.subject]
en = "Subject one"
fr = "Objet un"
"""


def campaign_with_body(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "campaign"
    for lang in ("en", "fr"):
        (folder / lang).mkdir(parents=True, exist_ok=True)
        (folder / lang / "one.j2").write_text(body, encoding="utf-8")
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    return folder


def compose(campaign, name: str, riding: str = "35080"):  # type: ignore[no-untyped-def]
    return compose_letter(
        campaign=campaign,
        demand=campaign.demand("one"),
        lang="en",
        riding=load_bundled().get(riding),
        supporter=Supporter(name=name),
        date=datetime.date(2026, 3, 2),
    )


WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=" \t\n\r\x0b\x0c"),
    min_size=0,
    max_size=30,
)
LINES = st.one_of(
    st.lists(WORDS, max_size=40).map(" ".join),
    st.text(alphabet=st.sampled_from("ab -\t\n\u00a0é—"), max_size=200),
)


@settings(max_examples=500)
@given(LINES, st.sampled_from([("", ""), ("- ", "  ")]), st.integers(10, 100))
def test_fill_is_textwrap_fill(text: str, indents: tuple[str, str], width: int) -> None:
    expected = textwrap.fill(
        text,
        width=width,
        initial_indent=indents[0],
        subsequent_indent=indents[1],
        break_long_words=False,
        break_on_hyphens=False,
    )
    assert fill(text, width, *indents) == expected


def test_the_sandbox_is_built_once_per_loaded_campaign() -> None:
    campaign = load_campaign()
    assert sandbox.environment_for(campaign) is sandbox.environment_for(campaign)
    assert sandbox.environment_for(load_campaign(None)) is not None


def test_each_render_of_a_cached_sandbox_gets_its_own_budget(tmp_path: Path) -> None:
    # Each render uses over half the step budget: fine alone, too much if shared.
    steps = MAX_STEPS * 3 // 10  # range items and loop turns both count: 60% a render
    body = f"{{% for i in range({steps}) %}}{{% endfor %}}Hello {{{{ supporter.name }}}}."
    campaign = load_campaign(campaign_with_body(tmp_path, body))
    for name in ("Ana Lima", "Li Chen", "Sam Roy"):
        assert f"Hello {name}." in compose(campaign, name).text


def test_a_body_that_reads_only_shared_values_renders_once_per_riding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = load_campaign(campaign_with_body(tmp_path, "Act for {{ riding.name }}."))
    renders: list[str] = []
    real = body_cache.render_template

    def counting(campaign, name, context):  # type: ignore[no-untyped-def]
        renders.append(name)
        return real(campaign, name, context)

    monkeypatch.setattr(body_cache, "render_template", counting)
    first = compose(campaign, "Ana Lima")
    second = compose(campaign, "Li Chen")
    other = compose(campaign, "Sam Roy", riding="35079")
    assert renders == ["en/one.j2", "en/one.j2"]
    assert "Act for Ottawa South." in first.text and "Act for Ottawa South." in second.text
    assert "Act for Ottawa Centre." in other.text
    assert "Li Chen" in second.text and "Ana Lima" not in second.text


@pytest.mark.parametrize(
    "body",
    [
        "From {{ supporter.name }}.",
        "On {{ date }}.",
        "{{ ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']|random }}{{ riding.name }}",
        "{% include 'en/other.j2' %}",
    ],
)
def test_a_body_that_may_differ_per_letter_renders_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    folder = campaign_with_body(tmp_path, body)
    (folder / "en" / "other.j2").write_text("{{ supporter.name }}", encoding="utf-8")
    campaign = load_campaign(folder)
    renders: list[str] = []
    real = body_cache.render_template

    def counting(campaign, name, context):  # type: ignore[no-untyped-def]
        renders.append(name)
        return real(campaign, name, context)

    monkeypatch.setattr(body_cache, "render_template", counting)
    compose(campaign, "Ana Lima")
    letter = compose(campaign, "Li Chen")
    assert renders == ["en/one.j2", "en/one.j2"]
    if "supporter" in body or "include" in body:
        assert letter.text.count("Li Chen") >= 2  # the body's and the signature's
