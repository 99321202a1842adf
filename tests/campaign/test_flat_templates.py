"""Templates that only place values are filled without Jinja2, and give exactly its text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mpwrite.campaign import flat_templates, sandbox
from mpwrite.campaign.flat_templates import FlatTemplate, flat_from_tree, flat_template
from mpwrite.campaign.folder import load_campaign
from mpwrite.campaign.limits import MAX_OUTPUT
from mpwrite.campaign.render import render_template
from mpwrite.campaign.sandbox import environment_for
from mpwrite.errors import TemplateRenderError
from tests.helpers import custom_letter, make_campaign

NAMES = ("a", "b", "body", "x_1")
# Fixed text with braces and tag characters that never open a tag ("{" is
# always followed by a space).
FIXED = st.lists(
    st.sampled_from(["a", "b", " ", "\n", "\t", "-", "é", "}", "{ ", "%", "#"]), max_size=12
).map("".join)
VALUES: st.SearchStrategy[Any] = st.one_of(
    st.text(max_size=8),
    st.integers(),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
# A variable as a template writes it, with or without whitespace control.
PLACES = st.tuples(
    st.sampled_from(NAMES), st.sampled_from(["{{ %s }}", "{{- %s }}", "{{ %s -}}", "{{%s}}"])
)


@pytest.mark.slow
@settings(max_examples=400)
@given(
    st.lists(st.tuples(FIXED, PLACES), max_size=5),
    FIXED,
    st.fixed_dictionaries({name: VALUES for name in NAMES}),
)
def test_filling_a_flat_template_is_rendering_it(
    parts: list[tuple[str, tuple[str, str]]], end: str, values: dict[str, Any]
) -> None:
    source = "".join(fixed + form % name for fixed, (name, form) in parts) + end
    environment = environment_for(load_campaign())
    flat = flat_from_tree(environment.parse(source), "test.j2")
    assert flat is not None
    assert flat.fill(values) == environment.from_string(source).render(values)


@pytest.mark.parametrize(
    "source",
    [
        "{{ a | upper }}",
        "{{ a.b }}",
        "{{ a['b'] }}",
        "{{ a() }}",
        "{{ a ~ b }}",
        "{{ 'x' }}",
        "{% if a %}x{% endif %}",
        "{% for i in a %}{{ i }}{% endfor %}",
        "{% set a = 1 %}{{ a }}",
        "{% include 'en/one.j2' %}",
        "{% macro m() %}{% endmacro %}",
        "{% extends 'en/one.j2' %}",
        "{{ a if b }}",
    ],
)
def test_a_template_that_does_more_than_place_values_is_not_flat(source: str) -> None:
    environment = environment_for(load_campaign())
    assert flat_from_tree(environment.parse(source), "test.j2") is None


def test_the_bundled_layouts_are_flat() -> None:
    # Bulk relies on it for speed: a layout that stops being flat still works, slowly.
    campaign = load_campaign()
    for lang in ("en", "fr"):
        found = flat_template(environment_for(campaign), f"{lang}/_layout.j2")
        assert isinstance(found, FlatTemplate)
        assert {"opening", "own_words", "body_rest", "sender_block", "recipient_block"} <= (
            found.names
        )


def test_a_flat_custom_layout_is_filled_without_jinja2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_campaign(tmp_path, "Body.", layout="{{ salutation }}\n\n{{ body }}\n\n{x} Bye")
    campaign = load_campaign(folder)
    environment = environment_for(campaign)
    monkeypatch.setattr(sandbox, "_render_within_budget", None)  # Jinja2 would fail now
    context = {"salutation": "Dear Jane Doe,", "body": "Body."}
    assert render_template(campaign, "en/_layout.j2", context) == (
        "Dear Jane Doe,\n\nBody.\n\n{x} Bye"
    )
    assert flat_template(environment, "en/_layout.j2") is not None


def test_a_variable_missing_from_the_context_is_reported_by_jinja2(tmp_path: Path) -> None:
    folder = make_campaign(tmp_path, "Body.", layout="{{ body }}\n\n{{ signatur }}")
    with pytest.raises(TemplateRenderError, match=r"/en/_layout\.j2:3: 'signatur' is undefined"):
        custom_letter(folder)


def test_a_flat_template_that_comes_out_too_long_names_its_file(tmp_path: Path) -> None:
    folder = make_campaign(tmp_path, "Body.", layout="{{ body }}{{ body }}")
    campaign = load_campaign(folder)
    body = "x" * (MAX_OUTPUT // 2 + 1)
    with pytest.raises(TemplateRenderError) as raised:
        render_template(campaign, "en/_layout.j2", {"body": body})
    assert str(raised.value).startswith(f"{folder}/en/_layout.j2: the rendered text is longer")


def test_a_template_that_does_not_parse_or_exist_is_left_to_jinja2_to_report(
    tmp_path: Path,
) -> None:
    folder = make_campaign(tmp_path, "Body.", layout="{{ body }\n")
    environment = environment_for(load_campaign(folder))
    assert flat_templates.flat_template(environment, "en/_layout.j2") is None
    assert flat_templates.flat_template(environment, "en/missing.j2") is None
    with pytest.raises(TemplateRenderError, match=r"/en/_layout\.j2:1: "):
        custom_letter(folder)


# The bundled layouts before they were made flat: a loop and filters.
LOOPING_BEGINNING = """\
{{ sender_lines | join("\\n") }}

{{ date }}

{{ recipient_lines | join("\\n") }}

"""
LOOPING_NOTES = """\
{{ salutation }}

{{ opening }}

{% for paragraph in note_paragraphs %}
{{ paragraph }}

{% endfor %}
{{ body_rest }}

"""
LOOPING_LAYOUTS = {
    "en": LOOPING_BEGINNING
    + "Re: {{ subject }}\n\n"
    + LOOPING_NOTES
    + "{{ closing }}\n\n{{ signature }}\n",
    "fr": LOOPING_BEGINNING
    + "Objet\u00a0: {{ subject }}\n\n"
    + LOOPING_NOTES
    + "{{ closing }}\n\n{{ signature }}\n",
}
FIELDS = st.text(alphabet=st.sampled_from("ab -\n\t\u00a0é"), max_size=20)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
@settings(max_examples=100, deadline=None)
@given(FIELDS, FIELDS, FIELDS, st.text(alphabet=st.sampled_from("ab -\n\t\r\u00a0é?"), max_size=80))
def test_the_flat_layout_writes_the_letters_the_looping_one_did(
    lang: str, name: str, address: str, city: str, note: str
) -> None:
    import datetime
    import shutil
    import tempfile

    from mpwrite.campaign.folder import bundled_campaign_root
    from mpwrite.geo.ridings import load_bundled
    from mpwrite.letter.compose import Supporter, compose_letter

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "campaign"
        shutil.copytree(str(bundled_campaign_root()), copy)
        (copy / lang / "_layout.j2").write_text(LOOPING_LAYOUTS[lang], encoding="utf-8")
        letters = []
        for campaign in (load_campaign(), load_campaign(copy)):
            assert (flat_template(environment_for(campaign), f"{lang}/_layout.j2") is None) == (
                campaign.root == copy
            )
            supporter = Supporter(name=f"x{name}", address=address, city=city)
            letters.append(
                compose_letter(
                    campaign=campaign,
                    demand=campaign.demand("root-causes"),
                    lang=lang,
                    riding=load_bundled().get("35079"),
                    supporter=supporter,
                    note=note,
                    date=datetime.date(2026, 3, 2),
                ).text
            )
    assert letters[0] == letters[1]


def test_a_layout_nested_too_deep_for_python_is_a_clean_error(tmp_path: Path) -> None:
    deep = "{{ " + "(" * 5000 + "body" + ")" * 5000 + " }}"
    folder = make_campaign(tmp_path, "Body.", layout=deep)
    with pytest.raises(TemplateRenderError, match=r"/en/_layout\.j2"):
        custom_letter(folder)


def test_a_long_run_of_spaces_in_a_layout_does_not_slow_letters_down(tmp_path: Path) -> None:
    import time

    # Tidying line ends once took time growing with the square of such a run.
    # (45,000: a template may be at most 50,000 bytes.)
    folder = make_campaign(tmp_path, "Body.", layout="{{ body }}\n\nx" + " " * 45_000 + "y\n")
    started = time.monotonic()
    text = custom_letter(folder).text
    assert time.monotonic() - started < 6  # stopped, not hung: the old code ran for minutes
    assert text.endswith("x" + " " * 45_000 + "y")
