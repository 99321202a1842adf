"""``mpwrite event``: the volunteer loop, bilingual answers, Ctrl-C, QR, privacy."""

from __future__ import annotations

import dataclasses
import gc
import io
import os
import sys
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from mpwrite.campaign.folder import load_campaign
from mpwrite.choices import language_code as parse_language
from mpwrite.cli.root import app
from mpwrite.event.answers import is_cancel, parse_yes_no
from mpwrite.event.screen import Style
from mpwrite.event.session import (
    PROMPT_ACTION,
    PROMPT_NAME,
    PROMPT_POSTAL,
    EventSettings,
    is_quit,
    parse_action,
    run_event,
)
from mpwrite.event.tally import Delivered, Tally
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Supporter, compose_letter
from mpwrite.output import qr
from mpwrite.output.formats import mailto_url
from tests.helpers import NO_OWN_WORDS, ScriptedScreen, represent_fixture
from tests.helpers import CtrlC as Interrupt


@pytest.fixture(autouse=True)
def keep_every_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    """These scripts predate the asks pick-list (tests/letter/test_voice.py drives it): keep all."""
    monkeypatch.setattr("mpwrite.event.session._choose_asks", lambda *args: ())


runner = CliRunner()
OTTAWA_CENTRE = "35079"  # the likely riding of K1A


CTRL_C = Interrupt()


class RememberingScreen(ScriptedScreen):
    """Also keeps what each screenful showed before it was cleared."""

    def __init__(self, answers: Iterable[str | Interrupt]) -> None:
        super().__init__(answers)
        self.screenfuls: list[list[tuple[str, Style]]] = []

    def clear(self) -> None:
        self.screenfuls.append(list(self.shown))
        super().clear()


def secret(label: str) -> str:
    """A supporter name built at run time, so it is in no code constant."""
    return f"{label}-{uuid.uuid4().hex}"


def settings(**overrides: object) -> EventSettings:
    values: dict[str, object] = {
        "campaign": load_campaign(),
        "resolver": Resolver(load_bundled()),
        **overrides,
    }
    return EventSettings(**values)  # type: ignore[arg-type]


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                yield path


def holders_of(*needles: str) -> list[str]:
    """Types of live objects referring to a string containing any needle (frames aside).

    Plain loops, no comprehension: a comprehension would capture the needles
    in a closure cell, which would then be found.
    """
    gc.collect()
    frame_type = type(sys._getframe())
    found = []
    for holder in gc.get_objects():
        if isinstance(holder, frame_type):
            continue
        for referent in gc.get_referents(holder):
            if isinstance(referent, str):
                for needle in needles:
                    if needle in referent:
                        found.append(type(holder).__name__)
    return found


def mentions(path: Path, *names: str) -> bool:
    content = path.read_bytes()
    if path.suffix == ".pdf" and content.startswith(b"%PDF"):
        content = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).encode()
    return any(name.encode() in content or name.encode() in path.name.encode() for name in names)


# --- answers in English or French --------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("y", True),
        ("Yes", True),
        ("o", True),
        (" OUI ", True),
        ("n", False),
        ("Non", False),
        ("no", False),
        ("peut-être", None),
        ("", None),
    ],
)
def test_yes_no_in_both_languages(answer: str, expected: bool | None) -> None:
    assert parse_yes_no(answer) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("p", "print"),
        ("Imprimer", "print"),
        ("s", "save"),
        ("enregistrer", "save"),
        ("q", "qr"),
        ("QR", "qr"),
        ("n", "next"),
        ("suivant", "next"),
        ("l", "read"),
        ("Lire", "read"),
        ("read", "read"),
        ("r", "read"),
        ("skip", "next"),
        ("passer", "next"),
        ("", "next"),
        ("what", None),
    ],
)
def test_actions_in_both_languages(answer: str, expected: str | None) -> None:
    assert parse_action(answer) == expected


def test_language_quit_and_cancel_words() -> None:
    assert [parse_language(w) for w in ("en", "English", "anglais", "fr", "Français", "x")] == [
        "en",
        "en",
        "en",
        "fr",
        "fr",
        None,
    ]
    assert is_quit("quit") and is_quit("QUITTER") and not is_quit("q")
    assert is_cancel("annuler") and is_cancel("Cancel") and not is_cancel("non")


# --- the core loop with a scripted screen ------------------------------------------


def test_ctrl_c_mid_supporter_abandons_only_that_one(tmp_path: Path) -> None:
    alice, bob = secret("Alice"), secret("Bob")
    screen = ScriptedScreen(
        [
            "K1A 0A6",
            "oui",
            "fr",
            alice,
            CTRL_C,  # abandoned at the address
            "k1a0a6",
            "y",
            "en",
            bob,
            "1 Main St",
            "Ottawa",
            "I saw it myself.",
            "",
            "",
            "3",
            "s",
            "n",
            CTRL_C,  # at the start: ends the session
        ]
    )
    tally = run_event(settings(save_dir=tmp_path), screen)
    assert tally.letters == 1 and tally.abandoned == 1
    assert tally.by_demand == {"permanent-status": 1}
    assert tally.by_riding == {OTTAWA_CENTRE: 1}
    assert tally.by_way == {"save": 1}
    [saved] = files_under(tmp_path)
    assert saved.name.endswith(f"-{OTTAWA_CENTRE}-permanent-status-en.pdf")
    assert mentions(saved, bob) and not mentions(saved, alice)
    assert bob not in saved.name
    assert screen.prompts.count(PROMPT_POSTAL) == 3
    assert screen.clears >= 3


def test_end_of_input_or_quit_at_the_start_ends_with_an_empty_tally() -> None:
    assert run_event(settings(), ScriptedScreen([])).letters == 0
    screen = ScriptedScreen(["quitter", "K1A 0A6"])
    assert run_event(settings(), screen).letters == 0
    assert screen.answers == ["K1A 0A6"]


def test_bad_postal_code_is_asked_again_and_riding_can_be_corrected() -> None:
    screen = ScriptedScreen(
        [
            "K1A 0A",
            "Z9Z 9Z9",
            "K1A 0A6",
            "non",
            "Nowhere at all",
            "Mégantic—L’Érable",
            "fr",
            "Léa",
            "",
            "",
            "",
            "",
            "",
            "",
            "",  # greeting: Enter, the neutral one
            "n",
        ]
    )
    tally = run_event(settings(), screen)
    assert tally.letters == 0  # "next" without printing, saving or QR: no letter
    assert screen.prompts.count(PROMPT_POSTAL) == 3 + 1


def test_preset_demand_and_language_skip_their_questions(tmp_path: Path) -> None:
    campaign = load_campaign()
    screen = ScriptedScreen(
        ["K1A 0A6", "o", "Léa", "", "", *NO_OWN_WORDS, "", "enregistrer", "suivant"]
    )
    tally = run_event(settings(lang="fr", demand=campaign.demand("5"), save_dir=tmp_path), screen)
    assert tally.by_demand == {"access-to-services": 1}
    [saved] = files_under(tmp_path)
    assert saved.name.endswith("-access-to-services-fr.pdf")


def test_save_without_save_dir_explains_and_asks_again() -> None:
    screen = ScriptedScreen(["K1A 0A6", "y", "en", "Lee", "", "", "", "", "", "1", "s", "n"])
    assert run_event(settings(), screen).letters == 0
    assert any("--save-dir" in text for text in screen.errors)
    assert screen.prompts.count(PROMPT_ACTION) == 2


def test_vacant_seat_is_explained_and_the_supporter_ends() -> None:
    vacant = next(r for r in load_bundled() if r.vacant)
    screen = ScriptedScreen([vacant.code, ""])
    assert run_event(settings(), screen).letters == 0
    assert PROMPT_NAME not in screen.prompts


def test_nothing_of_a_supporter_stays_in_memory_after_the_loop(tmp_path: Path) -> None:
    name = secret("Mémoire")
    screen = ScriptedScreen(
        ["K1A 0A6", "y", "en", name, "9 Secret Lane", "", *NO_OWN_WORDS, "1", "s", "n"]
    )
    tally = run_event(settings(save_dir=tmp_path), screen)
    assert tally.letters == 1
    assert holders_of(name, "9 Secret Lane") == []
    assert name not in tally.summary(load_campaign(), {})


def test_tally_summary_counts_without_names() -> None:
    tally = Tally()
    tally.record(Delivered("root-causes", OTTAWA_CENTRE, ("print", "qr")))
    tally.record(Delivered("root-causes", "24046", ("save",)))
    tally.record(Delivered("all", OTTAWA_CENTRE, ("qr",)))
    names = {OTTAWA_CENTRE: "Ottawa Centre", "24046": "Mégantic—L’Érable—Lotbinière"}
    summary = tally.summary(load_campaign(), names)
    assert "Lettres de la séance : 3" in summary
    assert "   2  1. Tackle the root causes of trafficking" in summary
    assert "   2  Ottawa Centre (35079)" in summary
    assert "   1  Mégantic—L’Érable—Lotbinière (24046)" in summary
    assert "printed / imprimées 1, QR code / code QR 2, saved / enregistrées 1" in summary


def test_the_french_summary_names_the_ways_in_french() -> None:
    from mpwrite.i18n import use_language

    tally = Tally()
    tally.record(Delivered("root-causes", OTTAWA_CENTRE, ("print", "qr", "save")))
    use_language("fr")
    try:
        summary = tally.summary(load_campaign(), {}, "fr")
    finally:
        use_language("en")
    assert "Imprimées, enregistrées, QR\u00a0: imprimées 1, code QR 1, enregistrées 1" in summary
    assert not any(word in summary for word in ("print", "save"))


# --- QR codes -------------------------------------------------------------------------


def a_letter(lang: str = "en") -> object:
    campaign = load_campaign()
    return compose_letter(
        campaign=campaign,
        demand=campaign.demand("all"),
        lang=lang,
        riding=load_bundled().get("24046"),
        supporter=Supporter("Zoé Tremblay", "12 rue X", "Lyster", "G0S 1V0"),
        note="Ça me tient à cœur.",
    )


def without_short_versions():
    """The bundled campaign as if its demands had no short version."""
    campaign = load_campaign()
    demands = tuple(
        dataclasses.replace(demand, facts=dataclasses.replace(demand.facts, short=None))
        for demand in campaign.demands
    )
    return dataclasses.replace(campaign, demands=demands)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_long_letter_qr_carries_the_demands_short_version(lang: str) -> None:
    letter = a_letter(lang)
    payload = qr.letter_payload(letter)  # type: ignore[arg-type]
    assert payload.kind == "short" and not payload.carries_letter
    query = parse_qs(urlsplit(payload.text).query)
    assert query["subject"] == [letter.subject]  # type: ignore[attr-defined]
    [body] = query["body"]
    assert letter.demand.facts.short[lang] in body.replace("\r\n", "\n")  # type: ignore[attr-defined]
    assert body.startswith(letter.salutation)  # type: ignore[attr-defined]
    assert body.endswith(
        "Zoé Tremblay\r\n12 rue X\r\nLyster (Québec) G0S 1V0"
        if lang == "fr"
        else "Zoé Tremblay\r\n12 rue X\r\nLyster, Quebec G0S 1V0"
    )


def test_long_letter_qr_carries_the_mps_address_and_subject() -> None:
    campaign = without_short_versions()
    letter = dataclasses.replace(
        a_letter("fr"),  # type: ignore[type-var]
        demand=campaign.demand("all"),
    )
    payload = qr.letter_payload(letter)
    assert payload.kind == "address" and not payload.carries_letter
    parts = urlsplit(payload.text)
    assert parts.scheme == "mailto" and unquote(parts.path) == "luc.berthold@parl.gc.ca"
    assert parse_qs(parts.query) == {"subject": [letter.subject]}  # type: ignore[attr-defined]


def test_short_letter_qr_carries_the_whole_letter_as_a_mailto_draft() -> None:
    letter = dataclasses.replace(
        a_letter("fr"),  # type: ignore[type-var]
        text="Bonjour,\n\nÇa me tient à cœur : « oui ».\n\nZoé Tremblay",
    )
    payload = qr.letter_payload(letter)
    assert payload.carries_letter
    assert payload.text == mailto_url(letter)
    body = parse_qs(urlsplit(payload.text).query)["body"][0]
    assert "Ça me tient à cœur : « oui »." in body


def test_qr_renders_as_half_blocks_with_a_quiet_zone() -> None:
    text = qr.address_mailto("a@b.ca", "Objet — « test »")
    drawing = qr.render_text(text, ansi=False).split("\n")
    matrix = qr.qr_matrix(text)
    assert len(drawing) == (len(matrix) + 8 + 1) // 2
    assert {len(line) for line in drawing} == {len(matrix) + 8}
    assert set("".join(drawing)) <= {" ", "█", "▀", "▄"}
    assert drawing[0].strip() == ""  # quiet zone
    coloured = qr.render_text(text)
    assert coloured.startswith("\x1b[30;107m") and coloured.endswith("\x1b[0m")


def test_qr_code_error_for_text_no_code_can_hold() -> None:
    from mpwrite.errors import QrCodeError

    with pytest.raises(QrCodeError, match="too long"):
        qr.qr_matrix("x" * 5000)


# --- the whole command through CliRunner ---------------------------------------------

FAKE_LP = """#!/bin/sh
n=$(ls "{jobs}" | wc -l)
printf '%s\\n' "$@" > "{jobs}/job$n.args"
cat > "{jobs}/job$n.pdf"
echo "request id is Table-$n (1 file(s))"
"""


@pytest.fixture
def printer_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake lp first on PATH that files each job (args and PDF) in a folder."""
    bin_folder, jobs = tmp_path / "bin", tmp_path / "printed"
    bin_folder.mkdir()
    jobs.mkdir()
    lp = bin_folder / "lp"
    lp.write_text(FAKE_LP.format(jobs=jobs), encoding="utf-8")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    return jobs


@pytest.fixture
def temporary_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


def test_whole_loop_two_supporters_one_abandoned_print_and_qr(
    printer_jobs: Path,
    temporary_dir: Path,
    isolated_mpwrite_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encoded: list[str] = []
    original = qr.render_text
    monkeypatch.setattr(
        qr, "render_text", lambda text, **kw: encoded.append(text) or original(text, **kw)
    )
    alice, bob = secret("Alice"), secret("Bob")
    script = [
        "K1A 0A6",
        "oui",
        "fr",
        alice,
        "annuler",  # abandoned midway
        "K1A 0A6",
        "y",
        "en",
        bob,
        "1 Main St",
        "Ottawa",
        "I care about this.",
        "",
        "",
        "2",
        "q",
        "p",
        "n",
        "quit",
    ]
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    result = runner.invoke(app, ["event", "--printer", "Table"], input="\n".join(script) + "\n")
    assert result.exit_code == 0, result.stderr
    # The tally, on stdout: numbers, demand, riding, no names.
    assert "Lettres de la séance : 1" in result.stdout
    assert "Abandoned / Abandonnées : 1" in result.stdout
    assert "2. Protect the rights of trafficked persons" in result.stdout
    assert f"Ottawa Centre ({OTTAWA_CENTRE})" in result.stdout
    assert bob not in result.stdout and alice not in result.stdout
    # The screen showed the likely MP and asked to confirm.
    assert "Yasir Naqvi" in result.stderr and "Est-ce votre circonscription" in result.stderr
    # Printed twice: first because the QR code carries only the short version, then on "p".
    jobs = sorted(printer_jobs.glob("*.pdf"))
    assert len(jobs) == 2
    args = (printer_jobs / "job0.args").read_text(encoding="utf-8").split()
    assert args[-2:] == ["-d", "Table"] and "mpwrite letter" in " ".join(args)
    [page] = PdfReader(jobs[0]).pages
    assert bob in page.extract_text() and "I care about this." in page.extract_text()
    # The QR code: the demand's short version, to the MP, with the subject.
    campaign = load_campaign()
    [code] = encoded
    assert code.startswith(
        qr.address_mailto("yasir.naqvi@parl.gc.ca", campaign.demand("2").subject["en"])
    )
    short = campaign.demand("2").facts.short
    assert short is not None and short["en"] in parse_qs(urlsplit(code).query)["body"][0]
    assert "█" in result.stderr
    # Nothing of either supporter on disk, anywhere we can look (the printer aside).
    left = [
        path
        for path in files_under(temporary_dir, isolated_mpwrite_home, cwd, tmp_path)
        if printer_jobs not in path.parents and mentions(path, alice, bob)
    ]
    assert left == []
    assert list(temporary_dir.iterdir()) == []


def test_ctrl_c_through_the_cli_abandons_the_supporter(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from mpwrite.cli.commands import event as event_command

    original_ask = event_command.RichScreen.ask

    def ask(self: event_command.RichScreen, prompt: str) -> str:
        if prompt == PROMPT_NAME and not getattr(self, "interrupted", False):
            self.interrupted = True  # type: ignore[attr-defined]
            raise KeyboardInterrupt
        return original_ask(self, prompt)

    monkeypatch.setattr(event_command.RichScreen, "ask", ask)
    script = [
        "K1A 0A6",
        "y",
        "en",  # Ctrl-C at the name
        "K1A 0A6",
        "y",
        "en",
        "Sam",
        "",
        "",
        "",
        "",
        "",
        "6",
        "save",
        "next",
    ]
    result = runner.invoke(
        app, ["event", "--save-dir", str(tmp_path)], input="\n".join(script) + "\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "Abandoned, nothing kept" in result.stderr
    assert "Lettres de la séance : 1" in result.stdout
    assert "Abandoned / Abandonnées : 1" in result.stdout
    assert [p.name.endswith("-all-en.pdf") for p in tmp_path.glob("*.pdf")] == [True]


def test_event_rejects_bad_options(tmp_path: Path) -> None:
    result = runner.invoke(app, ["event", "--paper", "legal"], input="")
    assert result.exit_code == 2 and "letter, a4" in result.stderr
    result = runner.invoke(app, ["event", "--save-dir", str(tmp_path / "missing")], input="")
    assert result.exit_code == 2 and "create it first" in result.stderr
    result = runner.invoke(app, ["event", "--demand", "99"], input="")
    assert result.exit_code == 2 and "no demand" in result.stderr


def test_no_printer_gives_a_clear_message_and_the_loop_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp anywhere
    script = ["K1A 0A6", "y", "en", "Kim", "", "", "", "", "", "1", "imprimer", "n", "quit"]
    result = runner.invoke(app, ["event"], input="\n".join(script) + "\n")
    assert result.exit_code == 0
    assert "no 'lp' command" in result.stderr
    assert "Lettres de la séance : 0" in result.stdout


def test_clearing_wipes_screen_and_scrollback() -> None:
    from rich.console import Console

    from mpwrite.cli.commands.event import CLEAR_SCROLLBACK, RichScreen

    out = io.StringIO()
    RichScreen(Console(file=out, force_terminal=True)).clear()
    assert "\x1b[2J" in out.getvalue() and CLEAR_SCROLLBACK in out.getvalue()


def test_online_uses_the_exact_answer_and_falls_back_silently(
    httpserver: object, monkeypatch: pytest.MonkeyPatch
) -> None:

    from mpwrite.geo.sources import build_event_resolver
    from mpwrite.geo.store import PostcodeStore

    server = httpserver
    server.expect_request("/postcodes/K1A0B1/").respond_with_json(  # type: ignore[attr-defined]
        represent_fixture("postcode_single.json")
    )
    monkeypatch.setenv("MPWRITE_REPRESENT_URL", server.url_for("/"))  # type: ignore[attr-defined]
    resolver = build_event_resolver(load_bundled(), online=True)
    exact = resolver.by_postal_code("K1A 0B1")
    assert exact.exact and exact.best.source == "online"
    # Not cached: the supporter's postal code does not stay on the laptop.
    assert PostcodeStore.if_exists() is None
    # Represent does not answer: the bundled table's likely riding, no exception.
    fallback = resolver.by_postal_code("K1A 0B2")
    assert not fallback.exact and fallback.best.riding.code == OTTAWA_CENTRE


def test_qr_after_saving_does_not_save_the_letter_twice(tmp_path: Path) -> None:
    screen = ScriptedScreen(
        ["K1A 0A6", "y", "fr", "Zoé", "", "", *NO_OWN_WORDS, "6", "", "s", "q", "n"]
    )
    tally = run_event(settings(save_dir=tmp_path), screen)
    assert tally.by_way == {"save": 1, "qr": 1}
    assert len(list(files_under(tmp_path))) == 1


def test_qr_alone_keeps_the_letter_in_the_save_folder(tmp_path: Path) -> None:
    screen = ScriptedScreen(["K1A 0A6", "y", "fr", "Zoé", "", "", "", "", "", "6", "", "qr", "n"])
    assert run_event(settings(save_dir=tmp_path), screen).by_way == {"qr": 1}
    assert [p.name.endswith("-all-fr.pdf") for p in files_under(tmp_path)] == [True]


# --- a session that ends right after a letter ------------------------------------------


def test_print_then_quit_counts_the_letter_and_ends_the_session(printer_jobs: Path) -> None:
    script = [
        *("H3B 1A1", "y", "en", "Bea D", "5 Main", "Montreal"),
        *("My words.", "", ""),
        *("1", "p", "quitter"),
    ]
    result = runner.invoke(app, ["event", "--printer", "Table"], input="\n".join(script) + "\n")
    assert result.exit_code == 0, result.stderr
    assert len(list(printer_jobs.glob("*.pdf"))) == 1
    assert "Lettres de la séance : 1" in result.stdout
    assert "Abandon" not in result.stdout
    assert "printed / imprimées 1" in result.stdout


def test_quit_at_the_action_prompt_keeps_the_letter_and_ends_the_session(tmp_path: Path) -> None:
    screen = ScriptedScreen(
        ["K1A 0A6", "y", "en", "Bea", "", "", *NO_OWN_WORDS, "1", "s", "quit", "K1A 0A6"]
    )
    tally = run_event(settings(save_dir=tmp_path), screen)
    assert (tally.letters, tally.abandoned, tally.by_way) == (1, 0, {"save": 1})
    assert screen.answers == ["K1A 0A6"]  # the session ended: the next answer was never read


def test_quit_before_any_delivery_ends_the_session_without_a_letter() -> None:
    screen = ScriptedScreen(
        ["K1A 0A6", "y", "en", "Bea", "", "", *NO_OWN_WORDS, "1", "quitter", "K1A 0A6"]
    )
    tally = run_event(settings(), screen)
    assert (tally.letters, tally.abandoned) == (0, 0)
    assert screen.answers == ["K1A 0A6"]


def test_end_of_input_after_a_delivery_counts_the_letter(tmp_path: Path) -> None:
    screen = ScriptedScreen(["K1A 0A6", "y", "en", "Bea", "", "", "", "", "", "1", "s"])
    tally = run_event(settings(save_dir=tmp_path), screen)
    assert (tally.letters, tally.abandoned) == (1, 0)


def test_ctrl_c_after_a_delivery_counts_the_letter_and_goes_on(tmp_path: Path) -> None:
    script: list[str | Interrupt] = [
        *("K1A 0A6", "y", "en", "Bea", "", "", "", "", "", "1", "s"),
        CTRL_C,
    ]
    screen = ScriptedScreen(
        [*script, "K1A 0A6", "y", "en", "Cy", "", "", *NO_OWN_WORDS, "2", "s", "n"]
    )
    tally = run_event(settings(save_dir=tmp_path), screen)
    assert (tally.letters, tally.abandoned) == (2, 0)
    assert screen.prompts.count(PROMPT_POSTAL) == 3


def test_ctrl_c_at_the_action_prompt_before_any_delivery_abandons(tmp_path: Path) -> None:
    screen = ScriptedScreen(["K1A 0A6", "y", "en", "Bea", "", "", "", "", "", "1", CTRL_C])
    tally = run_event(settings(save_dir=tmp_path), screen)
    assert (tally.letters, tally.abandoned) == (0, 1)


# --- reading the whole letter on screen ---------------------------------------------


def test_read_shows_the_whole_wrapped_letter_until_the_next_supporter() -> None:
    from mpwrite.output.formats import render_text

    name = secret("Lecture")
    screen = RememberingScreen(
        [
            *("K1A 0A6", "y", "fr", name, "5 rue Main", "Ottawa", "Mes mots.", "", ""),
            *("1", "", "lire", "n"),
        ]
    )
    tally = run_event(settings(), screen)
    assert tally.letters == 0  # reading is not sending
    assert "[L] lire/read" in PROMPT_ACTION and screen.prompts.count(PROMPT_ACTION) == 2
    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand("1"),
        lang="fr",
        riding=load_bundled().get(OTTAWA_CENTRE),
        supporter=Supporter(name, "5 rue Main", "Ottawa", "K1A 0A6"),
        note="Mes mots.",
    )
    texts = [text for text, _style in screen.screenfuls[1]]
    [shown] = [text for text in texts if render_text(letter).rstrip() in text]
    assert "yasir.naqvi@parl.gc.ca" in shown
    assert max(len(line) for line in shown.splitlines()) <= 72
    assert screen.shown == []  # cleared when the session ended


# --- a letter too long for a QR code, with no printer and no save folder --------------


def no_printer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_qr_without_printer_or_save_folder_says_so_and_shows_the_letter(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from mpwrite.event.output import PROMPT_SHOW_LETTER
    from mpwrite.output.formats import render_text

    no_printer(monkeypatch, tmp_path)
    screen = RememberingScreen(
        ["K1A 0A6", "y", "fr", "Zoé", "", "", *NO_OWN_WORDS, "6", "", "qr", "oui", "n"]
    )
    tally = run_event(settings(campaign=without_short_versions()), screen)
    assert tally.by_way == {"qr": 1} and tally.letters == 1
    assert PROMPT_SHOW_LETTER in screen.prompts
    shown = screen.screenfuls[1]
    texts = [text for text, _style in shown]
    [warning] = [i for i, text in enumerate(texts) if "ni imprimée ni enregistrée" in text]
    assert "no 'lp' command" in texts[warning] and "neither printed nor saved" in texts[warning]
    [code] = [i for i, (_text, style) in enumerate(shown) if style == "qr"]
    assert warning < code  # said before any code is drawn
    letter_text = next(text for text in texts if "\nMadame, Monsieur,\n" in text)
    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand("6"),
        lang="fr",
        riding=load_bundled().get(OTTAWA_CENTRE),
        supporter=Supporter("Zoé", "", "", "K1A 0A6"),
        note="",
    )
    assert render_text(letter).rstrip() in letter_text
    assert not any("au député·e" in text for text in texts)


def test_qr_without_printer_or_save_folder_declined_draws_nothing_and_counts_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_printer(monkeypatch, tmp_path)
    screen = ScriptedScreen(["K1A 0A6", "y", "en", "Zoé", "", "", "", "", "", "6", "q", "no", "n"])
    tally = run_event(settings(campaign=without_short_versions()), screen)
    assert (tally.letters, tally.abandoned) == (0, 0)
    assert screen.prompts.count(PROMPT_ACTION) == 2
    assert any("neither printed nor saved" in text for text in screen.errors)


def test_qr_without_printer_or_save_folder_still_gives_the_short_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_printer(monkeypatch, tmp_path)
    screen = RememberingScreen(["K1A 0A6", "y", "en", "Zoé", "", "", *NO_OWN_WORDS, "2", "q", "n"])
    tally = run_event(settings(), screen)
    assert tally.by_way == {"qr": 1} and tally.letters == 1
    texts = [text for text, _style in screen.screenfuls[1]]
    assert any("with a short version, ready to send" in text for text in texts)
    assert not any("neither printed nor saved" in text for text in texts)


def test_qr_fallback_wording_is_gender_free_french(tmp_path: Path) -> None:
    screen = RememberingScreen(["K1A 0A6", "y", "fr", "Zoé", "", "", "", "", "", "6", "", "q", "n"])
    run_event(settings(save_dir=tmp_path), screen)
    texts = [text for text, _style in screen.screenfuls[1]]
    [explained] = [text for text in texts if "Lettre trop longue pour un code QR" in text]
    assert "au député·e" not in explained
    assert "à l’adresse de la personne qui vous représente" in explained
