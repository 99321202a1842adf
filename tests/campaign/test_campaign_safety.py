"""Hostile campaign folders: links out of the folder, runaway templates, deep nesting.

Each attack is tried through ``templates check`` and ``draft --campaign``
(one clear line naming the file, no traceback, within seconds) and at the
core.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.campaign.folder import read_campaign, read_campaign_file
from mpwrite.campaign.render import render_template
from mpwrite.campaign.render_worker import RenderWorker
from mpwrite.cli.root import app
from mpwrite.errors import CampaignError, TemplateRenderError
from tests.helpers import REPOSITORY

BUNDLED = REPOSITORY / "templates/letters/ccr-anti-trafficking"
SECRET = "SECRET-LINE-42"
runner = CliRunner()


def copy_bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(BUNDLED, folder)
    return folder


def secret_file(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret.j2"
    secret.write_text(f"{SECRET} {{{{ riding.name }}}}\n", encoding="utf-8")
    return secret


def check_and_draft(folder: Path, file: str, message: str, seconds: float = 6) -> None:
    """Both commands fail within ``seconds`` with one line naming ``file`` and ``message``."""
    line = rf"{re.escape(str(folder))}/{re.escape(file)}(:\d+)?:? .*(?:{message}).*\n"
    started = time.monotonic()
    checked = runner.invoke(app, ["templates", "check", str(folder)])
    assert time.monotonic() - started < seconds
    assert checked.exit_code == 1
    assert re.fullmatch(line, checked.stdout), checked.stdout
    assert SECRET not in checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    started = time.monotonic()
    drafted = runner.invoke(
        app,
        ["draft", "-r", "35080", "--name", "A", "--demand", "all", "--campaign", str(folder)],
        env={"MPWRITE_INTERACTIVE": "0"},
    )
    assert time.monotonic() - started < seconds
    assert drafted.exit_code == 1
    assert re.fullmatch("Error: " + line, drafted.stderr), drafted.stderr
    assert drafted.stdout == ""
    assert SECRET not in drafted.stderr


# Links out of the folder ----------------------------------------------------


def test_a_template_linked_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/all.j2").unlink()
    (folder / "en/all.j2").symlink_to(secret_file(tmp_path))
    check_and_draft(folder, "en/all.j2", "leads outside the campaign folder")


def test_an_include_of_a_link_or_through_a_linked_folder_is_refused(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    secret = secret_file(tmp_path)
    (folder / "en/notes.j2").symlink_to(secret)
    (folder / "en/all.j2").write_text('{% include "en/notes.j2" %}', encoding="utf-8")
    check_and_draft(folder, "en/notes.j2", "leads outside the campaign folder")
    (folder / "parts").symlink_to(secret.parent, target_is_directory=True)
    (folder / "en/all.j2").write_text('{% include "parts/secret.j2" %}', encoding="utf-8")
    check_and_draft(folder, "parts/secret.j2", "leads outside the campaign folder")


def test_a_manifest_linked_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    outside = tmp_path / "manifest.toml"
    shutil.move(folder / "manifest.toml", outside)
    (folder / "manifest.toml").symlink_to(outside)
    check_and_draft(folder, "manifest.toml", "leads outside the campaign folder")
    with pytest.raises(CampaignError, match="leads outside"):
        read_campaign(folder)


def test_links_inside_the_folder_still_work(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/all.j2").unlink()
    (folder / "en/all.j2").symlink_to(folder / "en/root-causes.j2")
    linked = tmp_path / "linked"
    linked.symlink_to(folder, target_is_directory=True)  # the folder named may itself be a link
    result = runner.invoke(app, ["templates", "check", str(linked)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "OK: 18 templates\n"


def test_core_refuses_what_leaves_the_folder(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/all.j2").unlink()
    (folder / "en/all.j2").symlink_to(secret_file(tmp_path))
    with pytest.raises(ValueError, match="leads outside the campaign folder"):
        read_campaign_file(folder, ("en", "all.j2"), "x/en/all.j2")
    campaign = read_campaign(folder)
    with pytest.raises(TemplateRenderError, match=r"/en/all\.j2 leads outside"):
        render_template(campaign, "en/all.j2", {"riding": {"name": "R"}})
    (folder / "en/big.j2").write_text("x" * 50_001, encoding="utf-8")
    with pytest.raises(TemplateRenderError, match=r"/en/big\.j2 is larger than 50,000 bytes"):
        render_template(campaign, "en/big.j2", {})


# Work and memory a render may use ------------------------------------------

RUNAWAY = {
    # A filter's work grows with what it is given.
    "title loop": "{% set s = 'ab ' * 30000 %}{% for i in range(99000) %}"
    "{% set t = s|title %}{% endfor %}{{ riding.name }}",
    # Fixed text captured by {% set %} counts as output.
    "set block": "{% set x %}{% for i in range(49000) %}"
    + "A" * 10000
    + "{% endfor %}{% endset %}{{ riding.name }}{{ x|length }}",
    # Sizes are checked before the method allocates.
    "translate": "{{ riding.name }}{{ ('a' * 99000).translate({97: 'b' * 99000})|length }}",
    "encode times n": "{{ riding.name }}{{ (('a' * 99000).encode() * 99000)|length }}",
    "expandtabs": "{{ riding.name }}{{ ('\t' * 99000).expandtabs(9999)|length }}",
}
# Work the sandbox's own counting misses: only the child process's limits stop these.
UNCOUNTED = {
    "processor time": "{{ riding.name }}{{ (('1' * 30000)|map('replace', '', ' ' * 49000)"
    + "|reject('upper')" * 3
    + "|select('upper')|list)|length }}",
    "memory": "{{ riding.name }}{{ (('1' * 30000)|map('replace', '', ' ' * 49000)|list)|length }}",
}


@pytest.mark.parametrize("body", RUNAWAY.values(), ids=RUNAWAY.keys())
def test_runaway_templates_stop_within_seconds(tmp_path: Path, body: str) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/all.j2").write_text(body, encoding="utf-8")
    check_and_draft(folder, "en/all.j2", "too much work|outputs more than|too large")


@pytest.mark.slow
@pytest.mark.parametrize("body", UNCOUNTED.values(), ids=UNCOUNTED.keys())
def test_work_the_sandbox_does_not_count_is_stopped_by_the_child_limits(
    tmp_path: Path, body: str
) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/all.j2").write_text(body, encoding="utf-8")
    check_and_draft(folder, "en/all.j2", "processor time|more memory|rendering stopped", 15)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (UNCOUNTED["processor time"], r":1: the template used over 0\.3 s of processor time"),
        (UNCOUNTED["memory"], r":1: the template needs more memory than a letter can"),
    ],
)
def test_the_child_holds_a_render_to_its_limits(tmp_path: Path, body: str, message: str) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/all.j2").write_text(body, encoding="utf-8")
    worker = RenderWorker(cpu_seconds=0.3, memory_bytes=64 * 2**20, wall_seconds=10)
    campaign = read_campaign(folder)
    try:
        started = time.monotonic()
        with pytest.raises(TemplateRenderError, match=rf"/en/all\.j2{message}"):
            worker.render(campaign, 0, "en/all.j2", {"riding": {"name": "R"}})
        assert time.monotonic() - started < 8
        # The child survives a render stopped by its limits and serves the next one.
        context = {"riding": {"name": "R"}, "asks": ["An ask."], "recipient": {"kind": "mp"}}
        assert worker.render(campaign, 0, "en/root-causes.j2", context)
    finally:
        worker.stop()


def test_a_render_past_the_wall_clock_limit_ends_the_child(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/all.j2").write_text(UNCOUNTED["processor time"], encoding="utf-8")
    worker = RenderWorker(cpu_seconds=30, wall_seconds=0.5)
    try:
        with pytest.raises(TemplateRenderError, match=r"/en/all\.j2: rendering took over 0\.5 s"):
            worker.render(read_campaign(folder), 0, "en/all.j2", {"riding": {"name": "R"}})
    finally:
        worker.stop()


# Nesting too deep, and large manifests ------------------------------------

NESTED = {
    "parentheses": "{{ " + "(" * 100 + "1" + ")" * 100 + " }}",
    "chained plus": "{{ " + " + ".join(["1"] * 300) + " }}",
    "nested if": "{% if true %}" * 120 + "x" + "{% endif %}" * 120,
    "nested for": "{% for a in [1] %}" * 120 + "x" + "{% endfor %}" * 120,
}


@pytest.mark.parametrize("body", NESTED.values(), ids=NESTED.keys())
def test_templates_nested_too_deep_are_one_line_errors(tmp_path: Path, body: str) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/all.j2").write_text("{{ riding.name }}" + body, encoding="utf-8")
    check_and_draft(folder, "en/all.j2", "nested")


def test_a_manifest_nested_too_deep_is_a_one_line_error(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    manifest = folder / "manifest.toml"
    manifest.write_text(
        "deep = " + "[" * 5000 + "]" * 5000 + "\n" + manifest.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    check_and_draft(folder, "manifest.toml", "nested too deeply")


def many_demands(folder: Path, count: int) -> None:
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8").split("[[demands]]")[0]
    demand = (
        '[[demands]]\nid = "d{n}"\nnumber = {n}\n'
        '[demands.title]\nen = "T"\nfr = "T"\n'
        '[demands.summary]\nen = "S"\nfr = "S"\n'
        '[demands.subject]\nen = "S"\nfr = "S"\n\n'
    )
    text = text.replace('default_demand = "all"', 'default_demand = "d1"')
    manifest.write_text(
        text + "".join(demand.format(n=n) for n in range(1, count + 1)), encoding="utf-8"
    )


def test_reading_a_manifest_takes_time_linear_in_its_demands(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    many_demands(folder, 4000)
    started = time.monotonic()
    campaign = read_campaign(folder)
    assert time.monotonic() - started < 6  # quadratic, it took over a minute
    assert len(campaign.demands) == 4000
    assert not campaign.problems


def test_no_traceback_leaks_from_templates_check_on_a_deep_include(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en/deep.j2").write_text(NESTED["chained plus"], encoding="utf-8")
    (folder / "en/all.j2").write_text(
        '{{ riding.name }}{% include "en/deep.j2" %}', encoding="utf-8"
    )
    check_and_draft(folder, "en/deep.j2", "nested")


def test_core_turns_deep_nesting_into_render_and_campaign_errors(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    for key, body in NESTED.items():
        (folder / f"en/{key.replace(' ', '-')}.j2").write_text(body, encoding="utf-8")
    campaign = read_campaign(folder)
    for key in NESTED:
        with pytest.raises(TemplateRenderError, match=r"\.j2(:\d+)?: .*nested"):
            render_template(campaign, f"en/{key.replace(' ', '-')}.j2", {})
    (folder / "manifest.toml").write_text("x = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(CampaignError, match=r"manifest\.toml: arrays or tables nested too deeply"):
        read_campaign(folder)
