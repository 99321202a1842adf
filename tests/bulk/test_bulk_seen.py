"""Duplicate detection in flat memory: in memory up to a bound, then a keyed table on disk."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from mpwrite.bulk.seen import SeenSupporters


def identity(number: int) -> bytes:
    return hashlib.blake2b(f"supporter {number}".encode(), digest_size=16).digest()


def stored_hashes(seen: SeenSupporters) -> set[int]:
    database: sqlite3.Connection = seen._database  # type: ignore[assignment]
    return {value for (value,) in database.execute("SELECT hash FROM seen")}


def test_exact_answers_before_and_after_moving_to_disk(tmp_path: Path) -> None:
    with SeenSupporters(in_memory_limit=50, spill_dir=tmp_path) as seen:
        assert all(seen.add(identity(n)) for n in range(40))
        assert not seen.on_disk
        assert not any(seen.add(identity(n)) for n in range(40))
        assert all(seen.add(identity(n)) for n in range(40, 500))
        assert seen.on_disk
        assert len(list(tmp_path.iterdir())) == 1
        # Supporters from before and after the move are both remembered.
        assert not any(seen.add(identity(n)) for n in range(500))
        assert seen.add(identity(500))
        assert len(seen) == 501
    assert list(tmp_path.iterdir()) == []


def test_the_file_on_disk_holds_only_keyed_hashes(tmp_path: Path) -> None:
    names = [f"Supporter Number{n}".encode() for n in range(20)]
    with SeenSupporters(in_memory_limit=5, spill_dir=tmp_path) as seen:
        for name in names:
            seen.add(name)
        stored = stored_hashes(seen)
        (database,) = tmp_path.iterdir()
        raw = database.read_bytes()
    assert len(stored) == 20
    assert not any(name in raw for name in names)
    plain = {int.from_bytes(name[:8], "little") - (1 << 63) for name in names}
    assert not stored & plain
    # Another run keys its hashes differently: the file is no lookup table of names.
    with SeenSupporters(in_memory_limit=5, spill_dir=tmp_path / "other") as other:
        (tmp_path / "other").mkdir()
        for name in names:
            other.add(name)
        again = stored_hashes(other)
    assert not stored & again


def test_the_file_is_deleted_when_the_run_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), SeenSupporters(in_memory_limit=2, spill_dir=tmp_path) as seen:
        for n in range(10):
            seen.add(identity(n))
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_bulk_finds_duplicates_across_the_move_to_disk_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from mpwrite.bulk import seen as bulk_seen
    from mpwrite.bulk.run import BulkOptions, run_bulk
    from mpwrite.geo.lookup import Resolver
    from mpwrite.geo.ridings import load_bundled

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(bulk_seen, "IN_MEMORY_LIMIT", 3)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    rows = [f"Person {n},K2P 1L4,35079" for n in range(8)]
    source = tmp_path / "supporters.csv"
    source.write_text("Name,Postal code,Riding\n" + "\n".join(rows + rows[:2] + rows[6:]) + "\n")
    summary = run_bulk(
        source, BulkOptions(out_dir=None, dry_run=True), resolver=Resolver(load_bundled())
    )
    assert summary.statuses["ready"] == 8
    assert summary.statuses["duplicate"] == 4
    assert list(scratch.iterdir()) == []
