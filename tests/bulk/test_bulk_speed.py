"""The shortcuts that make bulk fast give exactly the uncached results."""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mpwrite.campaign import sandbox
from mpwrite.campaign.folder import load_campaign
from mpwrite.campaign.limits import MAX_STEPS
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter import prepared, supporter_text
from mpwrite.letter.compose import Supporter, compose_letter
from mpwrite.letter.markup import normalise_around, normalise_markup
from mpwrite.letter.supporter_text import clean_line
from tests.helpers import MANIFEST


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


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The body templates rendered (not taken from the cache), in order."""
    rendered: list[str] = []
    real = prepared.render_template

    def counting(campaign, name, context):  # type: ignore[no-untyped-def]
        rendered.append(name)
        return real(campaign, name, context)

    monkeypatch.setattr(prepared, "render_template", counting)
    return rendered


def test_a_body_that_reads_only_shared_values_renders_once_per_riding(
    tmp_path: Path, renders: list[str]
) -> None:
    campaign = load_campaign(campaign_with_body(tmp_path, "Act for {{ riding.name }}."))
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
    tmp_path: Path, renders: list[str], body: str
) -> None:
    folder = campaign_with_body(tmp_path, body)
    (folder / "en" / "other.j2").write_text("{{ supporter.name }}", encoding="utf-8")
    campaign = load_campaign(folder)
    compose(campaign, "Ana Lima")
    letter = compose(campaign, "Li Chen")
    assert renders == ["en/one.j2", "en/one.j2"]
    if "supporter" in body or "include" in body:
        assert letter.text.count("Li Chen") >= 2  # the body's and the signature's


MARKUP = st.text(alphabet=st.sampled_from("ab -\n\r\t \u00a0\u2028\x0c"), max_size=60)


@settings(max_examples=500)
@given(MARKUP, MARKUP, MARKUP)
def test_normalising_around_a_normalised_part_is_normalising_it_all(
    before: str, part: str, after: str
) -> None:
    normalised = normalise_markup(part)
    for text in (before + normalised + after, before + "\n" + normalised + "\n" + after):
        result, at = normalise_around(text, normalised)
        assert result == normalise_markup(text)
        assert at == -1 or result.startswith(normalised, at)


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(max_size=40),
        st.text(alphabet=st.sampled_from("a- \u00a0\u202f\t\u200e\x00é"), max_size=20),
    )
)
def test_cleaning_a_printable_line_takes_the_short_way_to_the_same_result(text: str) -> None:
    slow = _slow_clean_line(text)
    assert clean_line(text) == slow


INVISIBLE = supporter_text._INVISIBLE


def _slow_clean_line(text: str) -> str:
    # The definition clean_line's short way must agree with, character by character.
    kept = "".join(
        " " if c.isspace() and c not in "\u00a0\u202f" else c
        for c in text
        if ord(c) not in INVISIBLE and (c.isspace() or unicodedata.category(c) != "Cc")
    )
    line = re.sub(r"[^\S\u00a0\u202f]+", " ", kept).strip()
    return "-\u00a0" + line[2:] if line.startswith("- ") else line


@settings(max_examples=300)
@given(st.text(alphabet="ab\n", max_size=300), st.text(alphabet="ab\n", min_size=1, max_size=150))
def test_finding_a_long_part_by_its_start_is_finding_it(text: str, part: str) -> None:
    from mpwrite.letter.markup import _find

    for haystack in (text, text + part + text, part[:64] + text + part):
        assert _find(haystack, part) == haystack.find(part)


SPACES = st.sampled_from("ab \t\n\r\x0b\x0c\x1c\x85\u00a0\u2028\u3000")


@settings(max_examples=500)
@given(st.text(alphabet=SPACES, max_size=40))
def test_stripping_line_ends_at_once_is_stripping_each_line(text: str) -> None:
    from mpwrite.letter.markup import _strip_line_ends

    assert _strip_line_ends(text) == "\n".join(line.rstrip() for line in text.split("\n"))


@pytest.mark.slow
@settings(max_examples=1000)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.sampled_from("ab -é\u00a0\t"), max_size=12),
            # Lines of words about as long as the width, on both sides of it.
            st.lists(st.text(alphabet="ab", min_size=1, max_size=9), min_size=7, max_size=16)
            .map(" ".join)
            .filter(lambda line: 66 <= len(line) <= 78),
        ),
        min_size=1,
        max_size=4,
    ).map("\n".join)
)
def test_a_chunk_taken_as_it_is_is_what_wrapping_gives(chunk: str) -> None:
    from mpwrite.letter.markup import block_of
    from mpwrite.output.text import _text_block, _wraps_to_itself

    block = block_of(chunk)
    if _wraps_to_itself(chunk):
        assert block is not None and _text_block(block) == chunk
