"""ISO 8601 date-times read fast: polars for the usual forms, Python for the rest.

A batch's date-times are read with the form its first value is written in; the values that form
leaves are tried with the other fast forms, then with ``datetime.fromisoformat``. The fast forms
are exclusive (each matches the whole text), so the order only changes how fast a batch is read,
never the result. Every value comes out as a naive UTC date-time, or with the reason it is none.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

FAST_FORMATS = (
    ("%Y-%m-%d", False),
    ("%Y-%m-%dT%H:%M:%S%.f", False),
    ("%Y-%m-%d %H:%M:%S%.f", False),
    ("%Y-%m-%dT%H:%M", False),
    ("%Y-%m-%dT%H:%M:%S%.f%#z", True),
    ("%Y-%m-%d %H:%M:%S%.f%#z", True),
)


def parse_with(text: pl.Expr, fmt: str, has_offset: bool) -> pl.Expr:
    if has_offset:
        parsed = text.str.to_datetime(fmt, strict=False, time_zone="UTC", time_unit="us")
        return parsed.dt.replace_time_zone(None)
    return text.str.to_datetime(fmt, strict=False, time_unit="us")


_USUAL_SHAPES = (
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), 0),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"), 1),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"), 2),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?Z"), 4),
)


def usual_shape(value: str) -> tuple[str, bool] | None:
    """The fast form ``value`` looks written in, for the usual shapes of date-times."""
    for shape, position in _USUAL_SHAPES:
        if shape.fullmatch(value):
            return FAST_FORMATS[position]
    return None


def likeliest_first(sample: str | None) -> list[tuple[str, bool]]:
    """The fast formats, the one the first value is written in first.

    A file nearly always writes every date-time the same way; trying that form first means the
    other forms only see the few values it did not settle, not the whole batch.
    """
    formats = list(FAST_FORMATS)
    if sample is None:
        return formats
    # The usual shapes are told without asking polars (the forms are exclusive, so only how fast
    # the batch is read depends on which goes first).
    usual = usual_shape(sample)
    if usual is not None:
        formats.remove(usual)
        return [usual, *formats]
    value = pl.lit(sample, dtype=pl.String)
    fits = pl.select(
        parse_with(value, fmt, has_offset).is_not_null().alias(str(position))
        for position, (fmt, has_offset) in enumerate(formats)
    ).row(0)
    for position, fit in enumerate(fits):
        if fit:
            formats.insert(0, formats.pop(position))
            break
    return formats


def quick_form(
    sample: str | None, formats: list[tuple[str, bool]]
) -> tuple[tuple[str, bool], list[tuple[str, bool]]]:
    """The form the whole batch is read with, and the forms for the values it leaves.

    That is the likeliest form; but an offset that is "Z" is read much faster as a literal Z: the
    same instant where it reads one, and the offset form still tries the values it leaves.
    """
    fmt, has_offset = formats[0]
    if has_offset and fmt.endswith("%#z") and sample is not None and sample.endswith("Z"):
        return (fmt.removesuffix("%#z") + "Z", False), formats
    return formats[0], formats[1:]


def settle_leftovers(
    text: pl.Series, formats: list[tuple[str, bool]]
) -> tuple[pl.Series, pl.Series]:
    """Read the date-times the quick form left: the other fast forms, then Python.

    The result is every value of ``text`` parsed (null where it is none), and the reason for each
    value that is no date-time.
    """
    # The fast formats are exclusive (each matches the whole text), so the order they are tried
    # in does not change the result: the form of the first value left goes first, and each form
    # only sees the values the forms before it left.
    first = usual_shape(text[0])
    if first in formats:
        formats = [first, *(form for form in formats if form != first)]
    parsed = pl.Series(text.name, [None] * text.len(), dtype=pl.Datetime("us"))
    left = pl.int_range(0, text.len(), eager=True)
    for form in formats:
        tried = pl.select(parse_with(pl.lit(text.gather(left)), *form)).to_series()
        parsed = parsed.scatter(left, tried)
        left = left.filter(tried.is_null())
        if left.len() == 0:
            break
    reasons = pl.Series(text.name, [None] * text.len(), dtype=pl.String)
    if left.len():
        values: list[dt.datetime | None] = []
        problems: list[str | None] = []
        for value in text.gather(left):
            stamp = python_iso(value)
            values.append(stamp)
            problems.append(None if stamp else f"{quoted(value)} is not an ISO 8601 date or time")
        parsed = parsed.scatter(left, pl.Series(values, dtype=pl.Datetime("us")))
        reasons = reasons.scatter(left, pl.Series(problems, dtype=pl.String))
    return parsed, reasons


def python_iso(value: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


def quoted(value: str) -> str:
    return "'" + (value if len(value) <= 40 else value[:37] + "...") + "'"
