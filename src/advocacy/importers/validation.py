"""Validate a batch of text rows against a canonical format, vectorised with polars.

:func:`validate_batch` turns a :class:`~advocacy.importers.readers.RawBatch` into the typed values
the catalogue stores and a list of :class:`~advocacy.errors.RowError` for every bad row, each with
its line, its column and a reason a person can act on. The common forms of every value are checked
by polars expressions over the whole batch; Python only looks at the rare values the fast forms
did not settle (an unusual ISO 8601 form, an unknown locale).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from advocacy.errors import RowError
from advocacy.importers.codes import countries, currencies, normalise_language_tag
from advocacy.importers.formats import Column, ColumnType, ImportKind
from advocacy.importers.readers import LINE

ATTRIBUTES = "attributes"
# The form SQLAlchemy stores date-times in on SQLite; PostgreSQL reads it as well.
STORED_DATETIME = "%Y-%m-%d %H:%M:%S%.6f"
_ERROR = "__error__"
_FAST_DATETIME_FORMATS = (
    ("%Y-%m-%d", False),
    ("%Y-%m-%dT%H:%M:%S%.f", False),
    ("%Y-%m-%d %H:%M:%S%.f", False),
    ("%Y-%m-%dT%H:%M", False),
    ("%Y-%m-%dT%H:%M:%S%.f%#z", True),
    ("%Y-%m-%d %H:%M:%S%.f%#z", True),
)
_EMAIL = r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$"
_PHONE = r"^\+?[0-9 ()./-]{3,40}(?:\s*(?:ext\.?|x)\s*\d{1,6})?$"
_URL = r"(?i)^https?://[^\s<>\"]+$"
_NAME = r"^[a-z0-9][a-z0-9 ._&+'-]*$"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_NUMBER = r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$"


@dataclass(frozen=True)
class ValidBatch:
    """The good rows of a batch as catalogue values, and why the others were refused."""

    frame: pl.DataFrame
    errors: list[RowError]
    bad_lines: pl.Series


def _shown(value: pl.Expr) -> pl.Expr:
    """A value quoted for an error message, cut to 40 characters."""
    cut = pl.when(value.str.len_chars() > 40).then(value.str.slice(0, 37) + "...").otherwise(value)
    return pl.lit("'") + cut + pl.lit("'")


def _check(condition: pl.Expr, reason: pl.Expr | str) -> pl.Expr:
    reason_expr = pl.lit(reason) if isinstance(reason, str) else reason
    return pl.when(condition).then(reason_expr)


def _first(*checks: pl.Expr) -> pl.Expr:
    return pl.coalesce(*checks) if len(checks) > 1 else checks[0]


def _bound_checks(column: Column, text: pl.Expr, number: pl.Expr) -> list[pl.Expr]:
    checks = []
    if column.minimum is not None and column.maximum is not None:
        low, high = _plain(column.minimum), _plain(column.maximum)
        outside = (number < column.minimum) | (number > column.maximum)
        checks.append(_check(outside, _shown(text) + f" is outside {low}–{high}"))
    elif column.minimum is not None:
        low = _plain(column.minimum)
        checks.append(_check(number < column.minimum, f"must be {low} or more"))
    elif column.maximum is not None:
        checks.append(_check(number > column.maximum, f"must be {_plain(column.maximum)} or less"))
    return checks


def _plain(number: float) -> str:
    return f"{number:g}"


def _typed(column: Column, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The expression of the stored value and of the reason it is refused (null when fine)."""
    kind = column.type
    text = raw.str.strip_chars()
    checks: list[pl.Expr] = []
    if kind in (ColumnType.INTEGER, ColumnType.NUMBER):
        well_formed = text.str.contains(_NUMBER)
        number = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        whole = kind is ColumnType.INTEGER
        noun = "a whole number" if whole else "a number"
        checks.append(_check(~well_formed | number.is_null(), _shown(text) + f" is not {noun}"))
        if whole:
            checks.append(_check(number != number.floor(), _shown(text) + " is not a whole number"))
        checks += _bound_checks(column, text, number)
        value = number.cast(pl.Int64, strict=False) if whole else number
        return value, _first(*checks)
    if kind is ColumnType.DATETIME:
        return text, pl.lit(None, dtype=pl.String)  # settled in _datetimes, with a Python fallback
    if kind is ColumnType.TEXT:
        value = text
        checks.append(_check(text.str.contains("\x00", literal=True), "contains a NUL character"))
    elif kind is ColumnType.ID:
        value = text
        checks.append(_check(text.str.contains(_CONTROL), "contains control characters"))
    elif kind is ColumnType.NAME:
        value = text.str.to_lowercase()
        checks.append(_check(~value.str.contains(_NAME), _shown(text) + " is not a valid name"))
    elif kind is ColumnType.CHOICE:
        value = text.str.to_lowercase()
        allowed = ", ".join(column.choices)
        checks.append(
            _check(~value.is_in(column.choices), _shown(text) + f" is not one of {allowed}")
        )
    elif kind is ColumnType.EMAIL:
        value = text
        checks.append(
            _check(~text.str.contains(_EMAIL), _shown(text) + " is not an e-mail address")
        )
    elif kind is ColumnType.PHONE:
        value = text
        checks.append(_check(~text.str.contains(_PHONE), _shown(text) + " is not a phone number"))
    elif kind is ColumnType.URL:
        value = text
        checks.append(_check(~text.str.contains(_URL), _shown(text) + " is not an http(s) URL"))
    elif kind is ColumnType.COUNTRY:
        value = text.str.to_uppercase()
        checks.append(
            _check(
                ~value.is_in(sorted(countries())),
                _shown(text) + " is not an ISO 3166 alpha-2 country code",
            )
        )
    elif kind is ColumnType.CURRENCY:
        value = text.str.to_uppercase()
        checks.append(
            _check(
                ~value.is_in(sorted(currencies())), _shown(text) + " is not an ISO 4217 currency"
            )
        )
    else:  # LOCALE, LANGUAGE: settled in _language_tags
        return text, pl.lit(None, dtype=pl.String)
    if column.max_length is not None:
        length = value.str.len_chars()
        checks.append(
            _check(
                length > column.max_length,
                pl.lit("is ")
                + length.cast(pl.String)
                + f" characters long; the most is {column.max_length:,}",
            )
        )
    return value, _first(*checks)


def _parse_datetimes(text: pl.Series, fmt: str, has_offset: bool) -> pl.Series:
    if has_offset:
        parsed = text.str.to_datetime(fmt, strict=False, time_zone="UTC", time_unit="us")
        return parsed.dt.replace_time_zone(None)
    return text.str.to_datetime(fmt, strict=False, time_unit="us")


def _likeliest_first(text: pl.Series) -> list[tuple[str, bool]]:
    """The fast formats, the one the first value is written in first.

    A file nearly always writes every date-time the same way; trying that form first means the
    other forms only see the few values it did not settle, not the whole batch.
    """
    formats = list(_FAST_DATETIME_FORMATS)
    sample = text.drop_nulls().head(1)
    for position, (fmt, has_offset) in enumerate(formats):
        if sample.len() and _parse_datetimes(sample, fmt, has_offset).is_not_null().all():
            formats.insert(0, formats.pop(position))
            break
    return formats


def _datetimes(raw: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Parse ISO 8601 text to naive UTC date-times; the reasons for the values that fail."""
    text = raw.str.strip_chars()
    parsed = pl.Series(raw.name, [None] * len(raw), dtype=pl.Datetime("us"))
    # The fast formats are exclusive (each matches the whole text), so the order they are
    # tried in does not change the result; each is tried only on the values still unsettled.
    for fmt, has_offset in _likeliest_first(text):
        pending = (parsed.is_null() & text.is_not_null()).arg_true()
        if pending.len() == 0:
            break
        if pending.len() == len(text):
            parsed = _parse_datetimes(text, fmt, has_offset).alias(raw.name)
        else:
            parsed = parsed.scatter(
                pending, _parse_datetimes(text.gather(pending), fmt, has_offset)
            )
    unsettled = text.is_not_null() & parsed.is_null()
    reasons = pl.Series(raw.name, [None] * len(raw), dtype=pl.String)
    if unsettled.any():
        values: list[dt.datetime | None] = []
        problems: list[str | None] = []
        for value, is_parsed in zip(text, parsed.is_not_null(), strict=True):
            if value is None or is_parsed:
                values.append(None)
                problems.append(None)
                continue
            stamp = _python_iso(value)
            values.append(stamp)
            problems.append(None if stamp else f"{_quoted(value)} is not an ISO 8601 date or time")
        parsed = parsed.fill_null(pl.Series(values, dtype=pl.Datetime("us")))
        reasons = pl.Series(raw.name, problems, dtype=pl.String)
    return parsed, reasons


def _python_iso(value: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


def _quoted(value: str) -> str:
    return "'" + (value if len(value) <= 40 else value[:37] + "...") + "'"


def _language_tags(raw: pl.Series, column: Column) -> tuple[pl.Series, pl.Series]:
    text = raw.str.strip_chars()
    mapping = {value: normalise_language_tag(value) for value in text.drop_nulls().unique()}
    values = text.replace_strict(mapping, default=None, return_dtype=pl.String)
    noun = (
        "a locale such as es-ES"
        if column.type is ColumnType.LOCALE
        else "a language code such as es"
    )
    given = pl.DataFrame({"text": text, "value": values})
    unknown = pl.col("text").is_not_null() & pl.col("value").is_null()
    reasons = given.select(
        pl.when(unknown).then(_shown(pl.col("text")) + f" is not {noun}").alias(raw.name)
    ).to_series()
    return values, reasons


def validate_batch(frame: pl.DataFrame, kind: ImportKind, header: list[str]) -> ValidBatch:
    """Check every row of ``frame`` against ``kind``; typed good rows and the bad rows' reasons."""
    present = [c for c in kind.columns if c.name in header]
    known = {c.name for c in kind.columns}
    extras = sorted(name for name in header if name not in known)
    for name in header:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    # A row whose cells are all empty is a blank line, not a record.
    blank = pl.all_horizontal(pl.col(name).str.strip_chars().fill_null("") == "" for name in header)
    frame = frame.filter(~blank)

    values: dict[str, pl.Expr] = {}
    errors: dict[str, pl.Expr] = {}
    for column in present:
        raw = pl.col(column.name)
        value, error = _typed(column, raw.replace("", None))
        missing = raw.str.strip_chars().replace("", None).is_null()
        if column.required:
            error = pl.when(missing).then(pl.lit("is required")).otherwise(error)
        values[column.target] = value.alias(column.target)
        errors[column.name] = error.alias(f"{_ERROR}{column.name}")
    for name in header:  # bytes that were not UTF-8 arrive as U+FFFD
        bad_text = pl.col(name).str.contains("\ufffd", literal=True).fill_null(False)
        reason = "is not valid UTF-8 text: save the file as UTF-8"
        previous = errors.get(name, pl.lit(None, dtype=pl.String))
        errors[name] = (
            pl.when(bad_text).then(pl.lit(reason)).otherwise(previous).alias(f"{_ERROR}{name}")
        )

    checked = frame.select(
        pl.col(LINE), *values.values(), *errors.values(), *(pl.col(name) for name in extras)
    )
    checked = _settle_in_python(checked, present)
    checked = _cross_checks(checked, kind, present)
    error_columns = [name for name in checked.columns if name.startswith(_ERROR)]
    is_bad = (
        pl.any_horizontal(pl.col(name).is_not_null() for name in error_columns)
        if error_columns
        else pl.lit(False)
    )
    checked = checked.with_columns(is_bad.alias("__bad__"))
    bad = checked.filter(pl.col("__bad__"))
    row_errors = [
        RowError(row[LINE], name.removeprefix(_ERROR), row[name])
        for row in bad.select(LINE, *error_columns).iter_rows(named=True)
        for name in error_columns
        if row[name] is not None
    ]
    good = checked.filter(~pl.col("__bad__"))
    good = _finish(good, kind, present, extras)
    return ValidBatch(good, row_errors, bad[LINE])


def _settle_in_python(frame: pl.DataFrame, present: list[Column]) -> pl.DataFrame:
    for column in present:
        if column.type is ColumnType.DATETIME:
            parsed, reasons = _datetimes(frame[column.target])
        elif column.type in (ColumnType.LOCALE, ColumnType.LANGUAGE):
            parsed, reasons = _language_tags(frame[column.target], column)
        else:
            continue
        error_name = f"{_ERROR}{column.name}"
        frame = frame.with_columns(
            parsed.alias(column.target),
            pl.coalesce(frame[error_name], reasons).alias(error_name),
        )
    return frame


def _cross_checks(frame: pl.DataFrame, kind: ImportKind, present: list[Column]) -> pl.DataFrame:
    targets = {c.target: c.name for c in present}

    def after(later: str, earlier: str) -> None:
        nonlocal frame
        if later in targets and earlier in targets:
            name = f"{_ERROR}{targets[later]}"
            wrong = pl.col(later) < pl.col(earlier)
            reason = f"is before {targets[earlier]}"
            frame = frame.with_columns(
                pl.coalesce(pl.col(name), pl.when(wrong).then(pl.lit(reason))).alias(name)
            )

    after("delivered_at", "ordered_at")
    after("churned_at", "acquired_at")
    after("closed_at", "occurred_at")
    if "rating" in targets and kind.rating_scale is None:
        scale = pl.col("rating_scale") if "rating_scale" in targets else pl.lit(5.0)
        name = f"{_ERROR}{targets['rating']}"
        wrong = pl.col("rating") > scale.fill_null(5.0)
        reason = (
            pl.lit("")
            + pl.col("rating").cast(pl.String)
            + " is above the rating scale of "
            + scale.fill_null(5.0).cast(pl.String)
        )
        frame = frame.with_columns(
            pl.coalesce(pl.col(name), pl.when(wrong).then(reason)).alias(name)
        )
    return frame


def _finish(
    frame: pl.DataFrame, kind: ImportKind, present: list[Column], extras: list[str]
) -> pl.DataFrame:
    """The good rows as the loader stores them: date-times as text, attributes as JSON."""
    columns: list[pl.Expr] = [pl.col(LINE)]
    for column in present:
        expr = pl.col(column.target)
        if column.type is ColumnType.DATETIME:
            expr = expr.dt.to_string(STORED_DATETIME)
        columns.append(expr.alias(column.target))
    targets = {c.target for c in present}
    if "rating" in targets:
        if kind.rating_scale is not None:
            scale = pl.lit(float(kind.rating_scale))
        elif "rating_scale" in targets:
            scale = pl.col("rating_scale").fill_null(5.0)
        else:
            scale = pl.lit(5.0)
        if "rating_scale" not in targets or kind.rating_scale is not None:
            columns.append(scale.alias("rating_scale"))
        else:
            columns[[c.target for c in present].index("rating_scale") + 1] = scale.alias(
                "rating_scale"
            )
        columns.append((pl.col("rating").cast(pl.Float64) / scale).alias("rating_normalized"))
    if extras:
        columns.append(attributes_json(extras).alias(ATTRIBUTES))
    return frame.select(columns)


def attributes_json(names: list[str]) -> pl.Expr:
    """A JSON object of the non-empty ``names`` columns, keys in sorted order."""
    members = [
        pl.when(pl.col(name).is_not_null() & (pl.col(name) != "")).then(
            pl.struct(pl.col(name)).struct.json_encode().str.slice(1).str.strip_suffix("}")
        )
        for name in sorted(names)
    ]
    return pl.lit("{") + pl.concat_str(members, separator=",", ignore_nulls=True) + pl.lit("}")
