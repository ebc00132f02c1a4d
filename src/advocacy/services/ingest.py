"""Import a canonical file into the catalogue: validate every row, then all in or all out.

``import_file`` is the one use case behind ``advocacy import``, the Python API and the demo. It
streams the file in batches (memory does not grow with the file), validates each batch, stages the
good rows in the database, checks duplicates and references there, and merges. By default a
single bad row refuses the whole file; with ``skip_bad_rows`` the good rows land and the bad ones
go to a rejects file with their reasons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, insert

from advocacy.errors import ImportRejected, InvalidFile, RowError
from advocacy.importers.formats import ImportKind, import_kind
from advocacy.importers.readers import (
    LINE,
    RawBatch,
    ReadAgain,
    exact_csv_batches,
    file_format,
    read_batches,
)
from advocacy.importers.rejects import RejectsWriter
from advocacy.importers.validation import ATTRIBUTES, ValidBatch, validate_batch
from advocacy.services.facts import mark_changed
from advocacy.services.prefetch import prefetched
from advocacy.store.bulk import MergeCounts, StagedImport, link_feedback
from advocacy.store.schema import ensure_current
from advocacy.store.tables import ImportRun

ERRORS_KEPT = 1_000
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did. ``status`` is ``imported``, ``unchanged`` or ``rejected``."""

    kind: str
    file: str
    status: str
    rows: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    linked: int
    rejects_file: str | None
    errors: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_rejects_path(source: Path) -> Path:
    """Where refused rows go when no rejects file is named: beside the working directory."""
    suffix = ".jsonl" if file_format(source) == "jsonl" else ".csv"
    return Path.cwd() / f"{source.stem}.rejects{suffix}"


class _Refusals:
    """The refused rows of an import: the first reasons kept for display, every line counted."""

    def __init__(self) -> None:
        self.shown: list[RowError] = []
        self.lines: dict[int, list[str]] = defaultdict(list)

    def add(self, error: RowError) -> None:
        if len(self.shown) < ERRORS_KEPT:
            self.shown.append(error)
        self.lines[error.line].append(
            f"{error.column}: {error.reason}" if error.column else error.reason
        )

    def __len__(self) -> int:
        return len(self.lines)


def import_file(
    engine: Engine,
    kind_name: str,
    path: Path,
    *,
    skip_bad_rows: bool = False,
    rejects_path: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``path`` as ``kind_name`` records; all in or all out unless ``skip_bad_rows``.

    Raises
    ------
    InvalidFile
        The file cannot be read at all (format, encoding, header, missing required columns).
    ImportRejected
        Some rows are bad and ``skip_bad_rows`` is off: nothing was imported.
    """
    kind = import_kind(kind_name)
    header, batches = read_batches(path)
    missing = [name for name in kind.required if name not in header]
    if missing:
        raise InvalidFile(
            f"{path.name}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} for {kind.name} (the file has: {', '.join(header)})"
        )
    ensure_current(engine)
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    refusals = _Refusals()
    mode = "skip-bad-rows" if skip_bad_rows else "all-or-nothing"
    with (
        engine.connect() as connection,
        StagedImport(connection, kind, _staged_columns(kind, header)) as staged,
    ):
        try:
            rows = _stage(staged, kind, header, batches, refusals, progress)
        except ReadAgain:
            refusals = _Refusals()
            staged.clear()
            rows = _stage(staged, kind, header, exact_csv_batches(path, header), refusals, progress)
        staged.seal()
        try:
            with staged.transaction():
                counts, linked = _check_and_merge(
                    connection, staged, kind, path, header, rows, refusals, skip_bad_rows
                )
                if counts.new or counts.changed or linked:
                    mark_changed(connection)
                written: Path | None = None
                if refusals.lines:
                    written = rejects_path or default_rejects_path(path)
                    _write_rejects(path, header, refusals, written)
                connection.execute(
                    insert(ImportRun),
                    [
                        _run_values(
                            kind,
                            path,
                            mode,
                            started,
                            rows,
                            counts.new,
                            counts.changed,
                            counts.unchanged,
                            len(refusals),
                            written,
                        )
                    ],
                )
        except ImportRejected:
            _record(engine, kind, path, mode, started, rows, 0, 0, 0, len(refusals), None)
            raise
    status = "imported" if counts.new or counts.changed else "unchanged"
    return ImportReport(
        kind=kind.name,
        file=str(path),
        status=status,
        rows=rows,
        imported=counts.new,
        updated=counts.changed,
        unchanged=counts.unchanged,
        rejected=len(refusals),
        linked=linked,
        rejects_file=str(written) if written else None,
        errors=[str(e) for e in sorted(refusals.shown, key=lambda e: e.line)],
    )


def _staged_columns(kind: ImportKind, header: list[str]) -> list[str]:
    """The catalogue columns an import of ``header`` fills."""
    targets = [c.target for c in kind.columns if c.name in header]
    if "rating" in targets:
        targets += ["rating_scale", "rating_normalized"]
    if any(name not in {c.name for c in kind.columns} for name in header):
        targets.append(ATTRIBUTES)
    return targets


def _stage(
    staged: StagedImport,
    kind: ImportKind,
    header: list[str],
    batches: Iterator[RawBatch],
    refusals: _Refusals,
    progress: Progress | None,
) -> int:
    def checked_batches() -> Iterator[tuple[RawBatch, ValidBatch]]:
        for batch in batches:
            yield batch, validate_batch(batch.frame, kind, header)

    rows = 0
    for batch, checked in prefetched(checked_batches):
        for error, _values in batch.unreadable:
            refusals.add(error)
        for error in checked.errors:
            refusals.add(error)
        staged.add(checked.frame)
        rows += checked.frame.height + checked.bad_lines.len() + len(batch.unreadable)
        if progress is not None:
            progress(rows)
    return rows


def _check_and_merge(
    connection: Connection,
    staged: StagedImport,
    kind: ImportKind,
    path: Path,
    header: list[str],
    rows: int,
    refusals: _Refusals,
    skip_bad_rows: bool,
) -> tuple[MergeCounts, int]:
    """Refuse duplicates and unknown references, then merge; the counts and the links made.

    Raises ``ImportRejected`` (the caller's transaction rolls back) when a row is bad and
    ``skip_bad_rows`` is off.
    """
    conflicts = staged.duplicates()
    staged.drop_lines([c.line for c in conflicts])
    unknown = staged.unknown_references()
    staged.drop_lines([c.line for c in unknown])
    for conflict in sorted([*conflicts, *unknown], key=lambda c: c.line):
        refusals.add(RowError(conflict.line, conflict.column, conflict.reason))
    if refusals.lines and not skip_bad_rows:
        raise _rejection(path, refusals, rows)
    attributes_given = any(name not in {c.name for c in kind.columns} for name in header)
    counts = staged.counts(attributes_given=attributes_given)
    staged.merge(attributes_given=attributes_given, new_rows=counts.new)
    linked = link_feedback(connection) if kind.name in ("customers", "orders") else 0
    return counts, linked


def _rejection(path: Path, refusals: _Refusals, rows: int) -> ImportRejected:
    count = len(refusals)
    shown = sorted(refusals.shown, key=lambda e: e.line)
    message = (
        f"{path.name}: {count:,} of {rows:,} rows are bad, so nothing was imported "
        "(fix them, or use --skip-bad-rows to import the good rows)"
    )
    return ImportRejected(message, errors=shown, rejected_rows=count)


def _write_rejects(path: Path, header: list[str], refusals: _Refusals, target: Path) -> None:
    """Write every refused row, as it was in the file, with its reasons (a second read)."""
    writer = RejectsWriter(target, header, as_jsonl=file_format(path) == "jsonl")
    try:
        _, batches = read_batches(path)
        wanted = pl.Series(sorted(refusals.lines), dtype=pl.Int64)
        for batch in _exact_if_needed(path, header, batches):
            for error, values in batch.unreadable:
                writer.write(error.line, refusals.lines.get(error.line, [error.reason]), values)
            bad = batch.frame.filter(pl.col(LINE).is_in(wanted.implode()))
            for row in bad.iter_rows(named=True):
                line = row.pop(LINE)
                writer.write(line, refusals.lines[line], row)
    finally:
        writer.close()


def _exact_if_needed(
    path: Path, header: list[str], batches: Iterator[RawBatch]
) -> Iterator[RawBatch]:
    try:
        yield from batches
    except ReadAgain:
        yield from exact_csv_batches(path, header)


def _run_values(
    kind: ImportKind,
    path: Path,
    mode: str,
    started: dt.datetime,
    rows: int,
    imported: int,
    updated: int,
    unchanged: int,
    rejected: int,
    rejects: Path | None,
) -> dict[str, Any]:
    return {
        "kind": kind.name,
        "source_name": str(path)[-1000:],
        "file_format": file_format(path),
        "mode": mode,
        "started_at": started,
        "finished_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "rows_read": rows,
        "imported": imported,
        "updated": updated,
        "unchanged": unchanged,
        "rejected": rejected,
        "rejects_path": str(rejects) if rejects else None,
    }


def _record(
    engine: Engine, kind: ImportKind, path: Path, mode: str, started: dt.datetime, *counts: Any
) -> None:
    rows, imported, updated, unchanged, rejected, rejects = counts
    with engine.begin() as connection:
        connection.execute(
            insert(ImportRun),
            [
                _run_values(
                    kind, path, mode, started, rows, imported, updated, unchanged, rejected, rejects
                )
            ],
        )


__all__ = ["ImportReport", "default_rejects_path", "import_file"]
