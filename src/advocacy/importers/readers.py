"""Stream an input file (CSV, JSON Lines, Excel, Parquet) as batches of text columns.

Every reader yields :class:`RawBatch` objects: a polars DataFrame whose columns are all text, with
the file's own line number of every row in ``LINE``, plus the rows that could not even be parsed.
Values are left as written; :mod:`advocacy.importers.validation` decides what they mean. Memory
stays flat: a batch at a time is held, whatever the file's size.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from advocacy.errors import InvalidFile, RowError

LINE = "__line__"
BATCH_ROWS = 100_000
FORMATS = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
}
_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass
class RawBatch:
    """Rows of an input file as text, with their line numbers, and rows that failed to parse."""

    frame: pl.DataFrame
    unreadable: list[tuple[RowError, dict[str, Any]]] = field(default_factory=list)


def file_format(path: Path) -> str:
    """The format of ``path``, from its extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(FORMATS)
        raise InvalidFile(
            f"{path.name}: unknown file type {path.suffix or '(none)'!r}; use one of {known}"
        ) from None


def normalise_header(names: list[str]) -> list[str]:
    """Trimmed, lower-case column names with spaces as underscores; refuses duplicates."""
    result: list[str] = []
    for position, name in enumerate(names, start=1):
        clean = re.sub(r"\s+", "_", (name or "").strip().lstrip("\ufeff").lower())
        if not clean:
            clean = f"column_{position}"
        if clean in result:
            raise InvalidFile(f"the header names column {clean!r} twice")
        result.append(clean)
    return result


def read_batches(
    path: Path, *, batch_rows: int = BATCH_ROWS
) -> tuple[list[str], Iterator[RawBatch]]:
    """The normalised header of ``path`` and an iterator over its rows in batches."""
    if not path.is_file():
        raise InvalidFile(f"{path}: no such file")
    fmt = file_format(path)
    if path.stat().st_size == 0:
        raise InvalidFile(f"{path.name}: the file is empty")
    if fmt == "csv":
        return _csv(path, batch_rows)
    if fmt == "jsonl":
        return _jsonl(path, batch_rows)
    if fmt == "xlsx":
        return _xlsx(path, batch_rows)
    return _parquet(path, batch_rows)


# --- CSV --------------------------------------------------------------------------------------


def _check_text_encoding(path: Path) -> None:
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidFile(f"{path.name}: the file is UTF-16; save it as UTF-8")


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        try:
            first = next(csv.reader(handle), None)
        except csv.Error as exc:
            raise InvalidFile(f"{path.name}: line 1: the header cannot be read ({exc})") from None
    if not first or not any(name.strip() for name in first):
        raise InvalidFile(f"{path.name}: the first line must be a header naming the columns")
    return normalise_header(first)


def _csv(path: Path, batch_rows: int) -> tuple[list[str], Iterator[RawBatch]]:
    _check_text_encoding(path)
    header = _csv_header(path)
    return header, _csv_batches(path, header, batch_rows)


CHUNK_BYTES = 3 * 1024 * 1024 // 2  # polars needs ~15x a chunk while parsing it
MAX_RECORD_BYTES = 256 * 1024 * 1024


def _csv_batches(path: Path, header: list[str], batch_rows: int) -> Iterator[RawBatch]:
    # The fast path hands chunks of whole records to polars' parallel parser; a file it cannot
    # parse (a stray quote, a row with too many fields) is read again by the csv module, which
    # knows which line is at fault.
    started = False
    lines_before = 1
    try:
        for chunk in _record_chunks(path):
            frame = pl.read_csv(
                io.BytesIO(chunk),
                has_header=False,
                new_columns=header,
                infer_schema=False,
                encoding="utf8-lossy",
                quote_char='"',
            )
            if frame.width != len(header):
                raise pl.exceptions.ComputeError("rows have more fields than the header")
            started = True
            for offset in range(0, frame.height, batch_rows):
                part, lines_before = _with_csv_lines(frame.slice(offset, batch_rows), lines_before)
                yield RawBatch(part)
        return
    except (pl.exceptions.PolarsError, _Unbalanced) as exc:
        failure: Exception = exc
    if started:
        # Batches were already handed out: the loader must start again from the first row.
        raise ReadAgain(f"{path.name}: {failure}")
    yield from _csv_module_batches(path, header, batch_rows)


class _Unbalanced(Exception):
    """No record ends within MAX_RECORD_BYTES: a quote is never closed."""


def _record_chunks(path: Path) -> Iterator[bytes]:
    """The file after its header, in chunks of about CHUNK_BYTES that end at a record's end.

    A newline ends a record when an even number of quote characters precede it: inside a quoted
    field quotes come in pairs (RFC 4180), so the parity tells whether we are in a field.
    """
    with path.open("rb") as handle:
        _skip_header(handle)
        pending = b""
        while True:
            block = handle.read(CHUNK_BYTES)
            data = pending + block
            if not block:
                if data.strip():
                    yield data
                return
            cut = _last_record_end(data)
            if cut == 0:
                if len(data) > MAX_RECORD_BYTES:
                    raise _Unbalanced("a quoted field is never closed")
                pending = data
                continue
            yield data[:cut]
            pending = data[cut:]


def _last_record_end(data: bytes) -> int:
    """The length of the longest prefix of ``data`` (which starts a record) made of whole records.

    Walks back from the end over newlines, keeping the parity of the quotes after each one; the
    first with an even number of quotes before it ends a record. ``bytes.count`` and ``rfind``
    run in C and allocate nothing, unlike a numpy pass over the chunk.
    """
    quotes_before = data.count(b'"')
    end = len(data)
    while True:
        newline = data.rfind(b"\n", 0, end)
        if newline < 0:
            return 0
        quotes_before -= data.count(b'"', newline, end)
        if quotes_before % 2 == 0:
            return newline + 1
        end = newline


def _skip_header(handle: io.BufferedReader) -> None:
    """Move past the header record (which may itself hold quoted newlines)."""
    in_quotes = False
    while True:
        line = handle.readline()
        if not line:
            return
        if line.count(b'"') % 2:
            in_quotes = not in_quotes
        if not in_quotes:
            return


class ReadAgain(Exception):
    """The fast CSV reader failed half-way: read the file again with :func:`exact_csv_batches`."""


def _with_csv_lines(frame: pl.DataFrame, lines_before: int) -> tuple[pl.DataFrame, int]:
    """Number each row with the file line it starts on, counting newlines inside quoted fields."""
    newlines = pl.sum_horizontal(
        pl.col(name).str.count_matches("\n", literal=True).fill_null(0) for name in frame.columns
    )
    frame = frame.with_columns(newlines.cast(pl.Int64).alias(LINE))
    extra = frame[LINE]
    starts = (
        pl.int_range(0, frame.height, eager=True, dtype=pl.Int64)
        + (extra.cum_sum() - extra)
        + (lines_before + 1)
    )
    total_after = lines_before + frame.height + int(extra.sum() or 0)
    return frame.with_columns(starts.alias(LINE)), total_after


def exact_csv_batches(
    path: Path, header: list[str], batch_rows: int = BATCH_ROWS
) -> Iterator[RawBatch]:
    """Read ``path`` with the csv module: slower, but every malformed row is told by its line."""
    yield from _csv_module_batches(path, header, batch_rows)


def _csv_module_batches(path: Path, header: list[str], batch_rows: int) -> Iterator[RawBatch]:
    csv.field_size_limit(_FIELD_LIMIT)
    width = len(header)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        columns: list[list[str | None]] = [[] for _ in range(width)]
        lines: list[int] = []
        unreadable: list[tuple[RowError, dict[str, Any]]] = []
        start = 2
        try:
            next(reader)
            start = reader.line_num + 1
            for row in reader:
                line = start
                start = reader.line_num + 1
                if len(row) != width:
                    if not any(cell.strip() for cell in row):
                        continue
                    reason = f"expected {width} fields, found {len(row)}"
                    unreadable.append((RowError(line, "", reason), {"_raw": ",".join(row)}))
                    continue
                for values, cell in zip(columns, row, strict=True):
                    values.append(cell if cell != "" else None)
                lines.append(line)
                if len(lines) >= batch_rows:
                    yield RawBatch(_text_frame(header, columns, lines), unreadable)
                    columns, lines, unreadable = [[] for _ in range(width)], [], []
        except csv.Error as exc:
            raise InvalidFile(
                f"{path.name}: line {start}: the CSV structure is broken ({exc}); "
                "check the quotes on that line"
            ) from None
        yield RawBatch(_text_frame(header, columns, lines), unreadable)


def _text_frame(
    header: list[str], columns: list[list[str | None]], lines: list[int]
) -> pl.DataFrame:
    data: dict[str, Any] = {
        name: pl.Series(name, values, dtype=pl.String)
        for name, values in zip(header, columns, strict=True)
    }
    data[LINE] = pl.Series(LINE, lines, dtype=pl.Int64)
    return pl.DataFrame(data)


# --- JSON Lines ---------------------------------------------------------------------------------


def _cell_text(value: Any) -> str | None:
    """A JSON, Excel or Parquet value as the text a CSV would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return text if text != "" else None


def _jsonl(path: Path, batch_rows: int) -> tuple[list[str], Iterator[RawBatch]]:
    _check_text_encoding(path)
    header: list[str] = []
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                record = _json_record(raw)
                if isinstance(record, dict):
                    header = normalise_header(list(record))
                break
    if not header:
        raise InvalidFile(f"{path.name}: the first record must be a JSON object")
    return header, _jsonl_batches(path, batch_rows)


def _json_record(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _jsonl_batches(path: Path, batch_rows: int) -> Iterator[RawBatch]:
    records: list[dict[str, str | None]] = []
    lines: list[int] = []
    unreadable: list[tuple[RowError, dict[str, Any]]] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                reason = "not valid UTF-8 text: save the file as UTF-8"
                text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                unreadable.append((RowError(number, "", reason), {"_raw": text}))
                continue
            except json.JSONDecodeError as exc:
                text = raw.decode("utf-8").rstrip("\r\n")
                unreadable.append(
                    (RowError(number, "", f"not valid JSON ({exc.msg})"), {"_raw": text})
                )
                continue
            if not isinstance(record, dict):
                text = raw.decode("utf-8").rstrip("\r\n")
                unreadable.append((RowError(number, "", "not a JSON object"), {"_raw": text}))
                continue
            try:
                keys = normalise_header(list(record))
            except InvalidFile as exc:
                text = raw.decode("utf-8").rstrip("\r\n")
                unreadable.append((RowError(number, "", str(exc)), {"_raw": text}))
                continue
            records.append(
                {key: _cell_text(value) for key, value in zip(keys, record.values(), strict=True)}
            )
            lines.append(number)
            if len(records) >= batch_rows:
                yield RawBatch(_records_frame(records, lines), unreadable)
                records, lines, unreadable = [], [], []
    yield RawBatch(_records_frame(records, lines), unreadable)


def _records_frame(records: list[dict[str, str | None]], lines: list[int]) -> pl.DataFrame:
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    data: dict[str, Any] = {
        name: pl.Series(name, [record.get(name) for record in records], dtype=pl.String)
        for name in names
    }
    data[LINE] = pl.Series(LINE, lines, dtype=pl.Int64)
    return pl.DataFrame(data)


# --- Excel ----------------------------------------------------------------------------------------


def _xlsx(path: Path, batch_rows: int) -> tuple[list[str], Iterator[RawBatch]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidFile(f"{path.name}: not a readable Excel .xlsx file ({exc})") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if not first or not any(cell not in (None, "") for cell in first):
        workbook.close()
        raise InvalidFile(f"{path.name}: the first row of the first sheet must name the columns")
    width = max(i for i, cell in enumerate(first, start=1) if cell not in (None, ""))
    header = normalise_header([_cell_text(cell) or "" for cell in first[:width]])

    def batches() -> Iterator[RawBatch]:
        columns: list[list[str | None]] = [[] for _ in range(width)]
        lines: list[int] = []
        try:
            for number, row in enumerate(rows, start=2):
                cells = [_cell_text(cell) for cell in row[:width]]
                if not any(cell is not None and cell.strip() for cell in cells):
                    continue
                cells += [None] * (width - len(cells))
                for values, cell in zip(columns, cells, strict=True):
                    values.append(cell)
                lines.append(number)
                if len(lines) >= batch_rows:
                    yield RawBatch(_text_frame(header, columns, lines))
                    columns, lines = [[] for _ in range(width)], []
            yield RawBatch(_text_frame(header, columns, lines))
        finally:
            workbook.close()

    return header, batches()


# --- Parquet ------------------------------------------------------------------------------------


def _parquet(path: Path, batch_rows: int) -> tuple[list[str], Iterator[RawBatch]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidFile(f"{path.name}: not a readable Parquet file ({exc})") from None
    names = list(source.schema_arrow.names)
    header = normalise_header(names)

    def batches() -> Iterator[RawBatch]:
        first_row = 1
        for record_batch in source.iter_batches(batch_size=batch_rows):
            frame = pl.from_arrow(record_batch)
            assert isinstance(frame, pl.DataFrame)
            frame = frame.rename(dict(zip(names, header, strict=True)))
            frame = frame.select(_as_text(frame, name) for name in header)
            frame = frame.with_columns(
                pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).alias(LINE)
            )
            first_row += frame.height
            yield RawBatch(frame)

    return header, batches()


def _as_text(frame: pl.DataFrame, name: str) -> pl.Expr:
    column = pl.col(name)
    dtype = frame.schema[name]
    if dtype == pl.String:
        return column
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            column = column.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return column.dt.to_string("%Y-%m-%dT%H:%M:%S%.f").alias(name)
    if dtype == pl.Date:
        return column.dt.to_string("%Y-%m-%d").alias(name)
    if dtype.is_float():
        integral = column.is_finite() & (column == column.floor())
        return (
            pl.when(integral)
            .then(column.cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(column.cast(pl.String))
            .alias(name)
        )
    if dtype == pl.Boolean:
        return pl.when(column).then(pl.lit("true")).otherwise(pl.lit("false")).alias(name)
    if dtype.is_numeric():
        return column.cast(pl.String).alias(name)
    return column.map_elements(_cell_text, return_dtype=pl.String).alias(name)
