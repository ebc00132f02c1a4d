"""Readers stream any file in batches and number every row with its line in the file."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from advocacy.importers import readers
from advocacy.importers.readers import LINE, read_batches
from tests import factories


def _rows(path: Path, batch_rows: int = 3) -> list[dict[str, object]]:
    _, batches = read_batches(path, batch_rows=batch_rows)
    frames = [batch.frame for batch in batches]
    return pl.concat(frames, how="diagonal").to_dicts() if frames else []


def _multiline_csv(path: Path, count: int, seed: int = 3) -> tuple[Path, dict[str, int]]:
    """A CSV whose texts hold commas, quotes and line breaks; the line each record starts on."""
    rng = random.Random(seed)
    lines = ["id,text,extra"]
    starts: dict[str, int] = {}
    line = 2
    for number in range(count):
        breaks = rng.choice([0, 0, 1, 3])
        text = "\n".join(f'part {i}, "quoted" é' for i in range(breaks + 1))
        starts[f"R{number}"] = line
        quoted = '"' + text.replace('"', '""') + '"'
        lines.append(f"R{number},{quoted},x")
        line += breaks + 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, starts


def test_csv_rows_carry_the_line_they_start_on_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "CHUNK_BYTES", 97)  # cut the file in many small chunks
    path, starts = _multiline_csv(tmp_path / "many.csv", 300)

    rows = _rows(path, batch_rows=7)

    assert {row["id"]: row[LINE] for row in rows} == starts
    assert all(str(row["text"]).startswith('part 0, "quoted" é') for row in rows)


def test_the_exact_reader_gives_the_same_rows_as_the_fast_one(tmp_path: Path) -> None:
    path, starts = _multiline_csv(tmp_path / "same.csv", 50)
    header, _ = read_batches(path)

    exact = pl.concat([b.frame for b in readers.exact_csv_batches(path, header, 8)])

    assert {row["id"]: row[LINE] for row in exact.to_dicts()} == starts
    assert exact.drop(LINE).equals(pl.concat([b.frame for b in read_batches(path)[1]]).drop(LINE))


def test_crlf_line_endings_are_read_like_lf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.csv"
    path.write_bytes(b'id,text\r\nR1,hello\r\nR2,"two\r\nlines"\r\n')

    rows = _rows(path)

    assert [(row["id"], row[LINE]) for row in rows] == [("R1", 2), ("R2", 3)]
    assert rows[1]["text"] == "two\r\nlines"


@pytest.mark.parametrize("extension", ["jsonl", "xlsx", "parquet"])
def test_other_formats_stream_in_batches_with_their_row_positions(
    tmp_path: Path, extension: str
) -> None:
    rows = [{"id": f"R{i}", "score": i % 11, "text": f"text {i}"} for i in range(25)]
    path = factories.write_rows(tmp_path / f"rows.{extension}", rows)
    header, batches = read_batches(path, batch_rows=4)

    frames = [batch.frame for batch in batches]

    assert header == ["id", "score", "text"]
    assert max(frame.height for frame in frames) <= 4
    merged = pl.concat(frames)
    assert merged["id"].to_list() == [f"R{i}" for i in range(25)]
    assert merged["score"].to_list() == [str(i % 11) for i in range(25)]
    first_line = {"jsonl": 1, "xlsx": 2, "parquet": 1}[extension]
    assert merged[LINE].to_list() == list(range(first_line, first_line + 25))


def test_header_names_are_trimmed_and_lower_cased(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(" Review ID ,PLATFORM\nR1,google\n", encoding="utf-8")

    header, _ = read_batches(path)

    assert header == ["review_id", "platform"]
