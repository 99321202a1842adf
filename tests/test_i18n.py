"""Messages in French from start to finish: the catalogue, the language choice, the screens."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite import i18n
from mpwrite.campaign.folder import load_campaign
from mpwrite.cli.root import app
from mpwrite.event.session import EventSettings, run_event
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from tests.helpers import write_asks_campaign

babel_pofile = pytest.importorskip(
    "babel.messages.pofile", reason="babel (a test extra) reads the .po catalogue"
)

SRC = Path(i18n.__file__).parent
PO = i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "mpwrite.po"
MO = PO.with_suffix(".mo")
NBSP = "\u00a0"
runner = CliRunner()
FRENCH = {"MPWRITE_LANG": "fr", "MPWRITE_INTERACTIVE": "0"}


def catalogue():
    with PO.open("rb") as file:
        return babel_pofile.read_po(file)


def messages():
    return [message for message in catalogue() if message.id]


def invoke(args: list[str], env: dict[str, str], input: str | None = None):
    return runner.invoke(app, args, input=input, env=env)


# --- the catalogue -------------------------------------------------------------


def test_every_message_has_a_french_translation() -> None:
    untranslated = [m.id for m in messages() if not m.string or m.fuzzy]
    assert len(messages()) > 100
    assert untranslated == []


def test_every_marked_message_in_the_code_is_in_the_catalogue() -> None:
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "N_": None}
    marked = {
        message
        for _filename, _line, message, _comments, _context in extract_from_dir(
            str(SRC), keywords=keywords
        )
    }
    assert "Error: {message}" in marked
    missing = marked - {m.id for m in messages()}
    assert missing == set(), "run pybabel extract/update (see docs/language.md)"


def test_translations_keep_every_placeholder() -> None:
    placeholder = re.compile(r"\{[a-z_]+(?:![rs])?\}")
    for message in messages():
        assert sorted(placeholder.findall(message.string)) == sorted(
            placeholder.findall(message.id)
        ), message.id


def test_french_typography_has_no_break_spaces() -> None:
    for message in messages():
        assert not re.search(r" [:;?!»]|« ", message.string), message.string


def test_compiled_catalogue_matches_the_po() -> None:
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, catalogue())
    assert MO.read_bytes() == compiled.getvalue(), "run pybabel compile (see docs/language.md)"


# --- choosing the language -----------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"MPWRITE_LANG": "fr"}, "fr"),
        ({"MPWRITE_LANG": "FR_ca"}, "fr"),
        ({"LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_CA.UTF-8"}, "fr"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_CA.UTF-8"}, "en"),
        ({"MPWRITE_LANG": "en", "LANG": "fr_CA.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_language_from_environment(environ: dict[str, str], expected: str) -> None:
    assert i18n.language_from_environment(environ) == expected


def test_french_locale_and_env_select_french_and_lang_en_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable in ("MPWRITE_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    args = ["draft", "-p", "K1A 0A6", "--name", "A"]
    by_locale = invoke(args, {"LANG": "fr_CA.UTF-8", "MPWRITE_INTERACTIVE": "0"})
    assert by_locale.exit_code == 2
    assert by_locale.stderr.startswith(f"Erreur{NBSP}: les codes postaux commençant par K1A")
    by_env = invoke(args, FRENCH)
    assert by_env.stderr == by_locale.stderr
    overridden = invoke([*args, "--lang", "en"], FRENCH)
    assert overridden.stderr.startswith("Error: postal codes starting K1A only give")
    english = invoke(args, {"LANG": "en_CA.UTF-8", "MPWRITE_INTERACTIVE": "0"})
    assert english.stderr.startswith("Error: ")


def test_lang_fr_alone_gives_french_errors_and_notes() -> None:
    result = invoke(["draft", "-p", "K1A0A", "--name", "A", "--lang", "fr"], {"MPWRITE_LANG": "en"})
    assert result.exit_code == 2
    assert result.stderr == (
        f"Erreur{NBSP}: 'K1A0A' n’est pas un code postal{NBSP}: les codes postaux canadiens "
        "ont la forme A1A 1A1\n"
    )
    written = invoke(
        ["draft", "-r", "Ottawa Centre", "--name", "A", "--lang", "fr"], {"MPWRITE_LANG": "en"}
    )
    assert written.exit_code == 0, written.stderr
    assert f"Astuce{NBSP}: ajoutez une phrase à vous avec --note" in written.stderr
    assert "Tip:" not in written.stderr


# --- French screens --------------------------------------------------------------


def test_interactive_draft_asks_in_french() -> None:
    # postal code, riding, name; then Enter for every other question (the letter's
    # language defaults to French, the demand and greeting to the campaign's)
    answers = ["K1A 0A6", "o", "Alex Martin", *[""] * 12]
    result = invoke(
        ["draft", "--date", "2026-11-28"],
        {"MPWRITE_LANG": "fr", "MPWRITE_INTERACTIVE": "1"},
        "\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    for question in (
        "Votre code postal (ou le nom de votre circonscription)",
        f"Circonscription probable{NBSP}: Ottawa-Centre (ON)",
        f"Ottawa-Centre est-elle votre circonscription{NBSP}? [o/n]",
        "Votre nom (tel que vous signez la lettre)",
        "Votre adresse courriel (facultative, pour une réponse)",
        "Ce qu’elle demande",
        f"Quelle demande{NBSP}? (numéro)",
        "Langue de la lettre (en/fr) (fr)",
    ):
        assert question in err, question
    assert "Your " not in err and "Which demand" not in err and "Likely" not in err
    assert "Yasir Naqvi" in result.stdout


def test_interactive_draft_complains_in_french() -> None:
    answers = ["K1A 0A6", "peut-être", "oui", "A", "", "", "pas une adresse", ""]
    answers += [""] * 12
    result = invoke(
        ["draft"], {"MPWRITE_LANG": "fr", "MPWRITE_INTERACTIVE": "1"}, "\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "Répondez o (oui) ou n (non)" in result.stderr
    assert "'pas une adresse' n’est pas une adresse courriel" in result.stderr


def test_vacant_seat_message_in_french() -> None:
    result = invoke(["draft", "--riding", "Scarborough North", "--name", "A"], FRENCH)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Erreur{NBSP}: le siège de Scarborough-Nord est vacant")


def test_lookup_likely_and_ambiguous_text_in_french() -> None:
    likely = invoke(["lookup", "K1P 1A1"], FRENCH)
    assert likely.exit_code == 0
    assert "[probable, non confirmée, source" in likely.stdout
    assert f"Note{NBSP}: ce n’est que la circonscription probable" in likely.stderr
    ambiguous = invoke(["lookup", "--riding", "Ottawa"], FRENCH)
    assert ambiguous.exit_code == 1
    assert re.match(
        rf"Erreur{NBSP}: 'Ottawa' correspond à \d+ circonscriptions{NBSP}: ", ambiguous.stderr
    )
    assert f"{NBSP}; donnez le nom complet ou le code" in ambiguous.stderr
    unknown = invoke(["lookup", "Z1A 0A6"], FRENCH)
    assert unknown.stderr == f"Erreur{NBSP}: aucun code postal canadien ne commence par Z\n"


class Screen:
    """Answers from a list; everything shown is kept as text."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.shown: list[str] = []

    def ask(self, prompt: str) -> str:
        self.shown.append(f"? {prompt}")
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)

    def say(self, text: str, style: str = "") -> None:
        self.shown.append(text)

    def clear(self) -> None:
        self.shown.append("<clear>")


def test_event_screens_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.use_language("fr")
    data = load_bundled()
    settings = EventSettings(
        campaign=load_campaign(None), resolver=Resolver(data), lang="fr"
    )
    # postal code (twice), riding, name, address, city, three own-words questions,
    # demand, asks, greeting, action
    answers = ["ZZ", "K1A 0A6", "o", "Alex", *[""] * 8, "n", "quitter"]
    screen = Screen(answers)
    tally = run_event(settings, screen)
    text = "\n".join(screen.shown)
    assert tally.letters == 0 and tally.abandoned == 0
    for shown in (
        "? Code postal",
        f"'ZZ' n’est pas un code postal{NBSP}: les codes postaux canadiens",
        f"Probablement{NBSP}: Ottawa Centre / Ottawa-Centre (ON) — député·e{NBSP}: Yasir Naqvi",
        f"? Est-ce votre circonscription{NBSP}? (o/n)",
        "? Nom (pour la signature)",
        "? Adresse (Entrée pour passer)",
        f"Objet{NBSP}: ",
        "? [P] imprimer  [S] enregistrer  [Q] code QR  [L] lire  [N] suivant",
        "Tapez quitter pour finir · annuler pour recommencer",
    ):
        assert shown in text, shown
    assert "Postal code" not in text and "Name (as signed)" not in text
    summary = tally.summary(settings.campaign, {}, "fr")
    assert summary.startswith(f"Lettres de la séance{NBSP}: 0")


def test_event_command_without_a_printer_speaks_french(tmp_path: Path) -> None:
    answers = ["K1A 0A6", "o", "Alex", *[""] * 8, "s", "n", "quitter"]
    result = invoke(["event", "--lang", "fr", "--save-dir", str(tmp_path)], {}, "\n".join(answers))
    assert result.exit_code == 0, result.output
    assert f"Enregistrée{NBSP}: " in result.stderr
    assert f"Lettres de la séance{NBSP}: 1" in result.stdout


def test_bulk_reasons_stay_english_in_a_french_locale(tmp_path: Path) -> None:
    campaign = write_asks_campaign(tmp_path / "campaign")
    supporters = tmp_path / "supporters.csv"
    supporters.write_text("Name,Postal code,Riding,Asks\nDi Four,K1A 0A6,35080,4\n", "utf-8")
    result = invoke(
        ["bulk", str(supporters), "--out", str(tmp_path / "out"), "--campaign", str(campaign)],
        {"MPWRITE_LANG": "fr", "LANG": "fr_CA.UTF-8"},
    )
    report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8")
    # Whichever way the campaign's asks are read, the reason is an English sentence.
    assert re.search(r"asks column: (no ask 4|demand workers has no)", report), result.output
    assert "demande" not in report and "élément" not in report
