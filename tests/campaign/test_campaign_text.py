"""Checks on the text of the ccr-anti-trafficking campaign (manifest and letters).

Standard library only: the templates are checked as text, not rendered.
"""

import re
import tomllib

import pytest

from tests.helpers import KEYWORDS, REPOSITORY

REPO = REPOSITORY
CAMPAIGN = REPO / "templates/letters/ccr-anti-trafficking"
SOURCE = REPO.parent / "shared/campaign/ccr-anti-trafficking-advocacy-strategy-2020.txt"

LANGS = ("en", "fr")
DEMANDS = {
    "root-causes": 1,
    "protect-rights": 2,
    "permanent-status": 3,
    "access-to-justice": 4,
    "access-to-services": 5,
    "all": 6,
}
NBSP = "\u00a0"
NNBSP = "\u202f"
# "12 mois", "200 organismes": a count (not a year like 2025) and the word after it.
NUMBER_THEN_PLAIN_SPACE = re.compile(r"(?<![\d.])\d{1,3} (?=[^\W\d_])")
ALLOWED_VARIABLES = {
    "ask",
    "riding.name",
    "riding.province_name",
    "mp.full_name",
    "campaign.organisation",
    "demand.title",
}

# Each entry is a group of alternatives: at least one must occur as a whole
# phrase (not inside a longer word) in the body or the demand's asks.



def template_path(lang, demand):
    return CAMPAIGN / lang / f"{demand}.j2"


def read_template(lang, demand):
    return template_path(lang, demand).read_text(encoding="utf-8")


def strip_jinja(text):
    """Template text with Jinja comments and block-tag lines removed, expressions blanked."""
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"^\{%.*?%\}\n", "", text, flags=re.M)
    text = re.sub(r"\{%.*?%\}", "", text)  # an inline condition, as in the opening
    return re.sub(r"\{\{.*?\}\}", "X", text, flags=re.S)


def demand_asks(lang, demand):
    """The asks of a demand in the manifest, in one language."""
    for entry in load_manifest()["demands"]:
        if entry["id"] == demand:
            return [ask[lang] for ask in entry.get("asks", [])]
    raise KeyError(demand)


def tokens(text):
    return re.findall(r"[a-zà-ÿ0-9']+", text.lower())


def load_manifest():
    with open(CAMPAIGN / "manifest.toml", "rb") as fh:
        return tomllib.load(fh)


# --- manifest --------------------------------------------------------------


def test_manifest_parses_and_has_identity():
    manifest = load_manifest()
    assert manifest["schema_version"] == 1
    assert manifest["id"] == "ccr-anti-trafficking"
    assert manifest["default_demand"] in DEMANDS
    for lang in LANGS:
        assert manifest["title"][lang].strip()
    assert manifest["organisation"]["en"] == "Canadian Council for Refugees"
    assert manifest["organisation"]["fr"] == "Conseil canadien pour les réfugiés"


def test_manifest_demands():
    demands = load_manifest()["demands"]
    assert {d["id"]: d["number"] for d in demands} == DEMANDS
    assert len(demands) == len(DEMANDS)
    for demand in demands:
        for field in ("title", "summary", "subject"):
            for lang in LANGS:
                value = demand[field][lang]
                assert isinstance(value, str) and value.strip(), (demand["id"], field, lang)
                assert "\n" not in value


def test_manifest_french_typography():
    manifest = load_manifest()
    strings = [manifest["title"]["fr"]] + [
        d[field]["fr"]
        for d in manifest["demands"]
        for field in ("title", "summary", "subject", "minister", "short")
    ]
    strings += [ask["fr"] for d in manifest["demands"] for ask in d["asks"]]
    for value in strings:
        assert " :" not in value, value
        assert not re.search(r" [;?!]", value), value
        assert not NUMBER_THEN_PLAIN_SPACE.search(value), f"U+00A0 after a number: {value}"
        assert "'" not in value, value
        assert not re.search(r"«(?!\u00a0)|(?<!\u00a0)»", value), value


# --- templates -------------------------------------------------------------


TEMPLATES = [(lang, demand) for lang in LANGS for demand in DEMANDS]


@pytest.mark.parametrize("lang,demand", TEMPLATES)
def test_template_exists(lang, demand):
    assert template_path(lang, demand).is_file()


@pytest.mark.parametrize("lang,demand", TEMPLATES)
def test_template_keywords(lang, demand):
    text = "\n".join([read_template(lang, demand), *demand_asks(lang, demand)])
    text = text.replace(NBSP, " ").replace(NNBSP, " ")
    missing = []
    for group in KEYWORDS[lang][demand]:
        alternatives = group if isinstance(group, tuple) else (group,)
        if not any(
            re.search(r"(?<!\w)" + re.escape(kw) + r"(?!\w)", text, flags=re.I)
            for kw in alternatives
        ):
            missing.append(group)
    assert not missing, f"{lang}/{demand}.j2 lacks {missing}"


@pytest.mark.parametrize("lang,demand", TEMPLATES)
def test_template_names_organisation_and_riding(lang, demand):
    text = read_template(lang, demand)
    assert "{{ riding.name }}" in text
    organisation = {
        "en": "Canadian Council for Refugees",
        "fr": "Conseil canadien pour les réfugiés",
    }
    assert organisation[lang] in text or "{{ campaign.organisation }}" in text


@pytest.mark.parametrize("lang,demand", TEMPLATES)
def test_template_only_allowed_variables(lang, demand):
    text = read_template(lang, demand)
    # The only logic: the opening and the closing request, which differ in a
    # letter to the minister themself, and the list of asks, which a supporter
    # may narrow.
    tags = re.findall(r"\{%.*?%\}", text)
    assert tags == [
        '{% if recipient.kind == "minister" %}',
        "{% else %}",
        "{% endif %}",
        "{% for ask in asks %}",
        "{% endfor %}",
        '{% if recipient.kind == "minister" %}',
        "{% else %}",
        "{% endif %}",
    ], "keep logic out of the letter bodies"
    for expr in re.findall(r"\{\{(.*?)\}\}", text, flags=re.S):
        assert expr.strip() in ALLOWED_VARIABLES, expr


@pytest.mark.parametrize("lang,demand", TEMPLATES)
def test_template_markup(lang, demand):
    raw = read_template(lang, demand)
    text = strip_jinja(raw)
    assert text.strip(), "empty template"
    assert not raw.startswith(("\n", " ")), "leading blank line"
    assert not raw.endswith("\n\n"), "trailing blank line"
    assert "\n\n\n" not in text, "paragraphs are separated by exactly one blank line"
    lines = text.rstrip("\n").split("\n")
    for number, line in enumerate(lines, 1):
        assert line == line.strip(), f"line {number} has leading/trailing whitespace"
        assert "\t" not in line
        assert not re.search(r"[*#<>\[\]_`]", line), f"line {number} has markup"
    # A bullet list is preceded and followed by a blank line (or the edge).
    for i, line in enumerate(lines):
        if line.startswith("- "):
            if i > 0 and not lines[i - 1].startswith("- "):
                assert lines[i - 1] == "", f"list must follow a blank line (line {i + 1})"
            if i + 1 < len(lines) and not lines[i + 1].startswith("- "):
                assert lines[i + 1] == "", f"list must be followed by a blank line (line {i + 1})"
    assert any(line.startswith("- ") for line in lines), "letters state their asks as a list"


@pytest.mark.parametrize("lang,demand", TEMPLATES)
def test_template_length(lang, demand):
    text = "\n".join([strip_jinja(read_template(lang, demand)), *demand_asks(lang, demand)])
    count = len(re.findall(r"[^\W\d_][\w’'-]*", text))
    # Both closing requests count here; test_campaign_content checks the rendered limit.
    assert 150 <= count <= 320, f"{lang}/{demand}.j2 and its asks have {count} words"


@pytest.mark.parametrize("lang,demand", TEMPLATES)
def test_template_typography(lang, demand):
    text = read_template(lang, demand)
    assert "'" not in strip_jinja(text), "use the typographic apostrophe ’"
    assert '"' not in strip_jinja(text), "use typographic quotation marks"
    if lang == "fr":
        assert not re.search(r"«(?!\u00a0)", text), "« must be followed by U+00A0"
        assert not re.search(r"(?<!\u00a0)»", text), "» must be preceded by U+00A0"
        assert " :" not in text, "use U+00A0 before the colon"
        assert not re.search(r"(?<![\u00a0\u202f])[;!?]", text), "no-break space before ; ! ?"
        assert not NUMBER_THEN_PLAIN_SPACE.search(text), "U+00A0 between a number and its unit"


# --- originality -----------------------------------------------------------

RUN = 12


def shared_runs(text, source_tokens):
    source_grams = {tuple(source_tokens[i : i + RUN]) for i in range(len(source_tokens) - RUN + 1)}
    words = tokens(text)
    return [
        " ".join(words[i : i + RUN])
        for i in range(len(words) - RUN + 1)
        if tuple(words[i : i + RUN]) in source_grams
    ]


@pytest.mark.parametrize("lang,demand", TEMPLATES)
def test_no_long_run_copied_from_source(lang, demand):
    if not SOURCE.is_file():
        pytest.skip(f"source document not available at {SOURCE}")
    source_tokens = tokens(SOURCE.read_text(encoding="utf-8"))
    text = "\n".join([read_template(lang, demand), *demand_asks(lang, demand)])
    copied = shared_runs(text, source_tokens)
    assert not copied, f"{lang}/{demand}.j2 repeats the source: {copied[:3]}"
