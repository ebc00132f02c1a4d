"""Validate a batch of text rows against a canonical format, vectorised with polars.

:func:`validate_batch` turns a :class:`~advocacy.importers.readers.RawBatch` into the typed values
the catalogue stores and a list of :class:`~advocacy.errors.RowError` for every bad row, each with
its line, its column and a reason a person can act on. The common forms of every value are checked
by polars expressions over the whole batch; Python only looks at the rare values the fast forms
did not settle (an unusual ISO 8601 form, an unknown locale).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from advocacy.errors import RowError
from advocacy.importers.codes import countries, currencies, normalise_language_tag
from advocacy.importers.datetimes import (
    likeliest_first,
    parse_with,
    quick_form,
    settle_leftovers,
)
from advocacy.importers.formats import Column, ColumnType, ImportKind
from advocacy.importers.readers import LINE

ATTRIBUTES = "attributes"
# The form SQLAlchemy stores date-times in on SQLite; PostgreSQL reads it as well.
STORED_DATETIME = "%Y-%m-%d %H:%M:%S%.6f"
_ERROR = "__error__"
_FLAG = "__failed__"
_EMAIL = r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$"
_PHONE = r"^\+?[0-9 ()./-]{3,40}(?:\s*(?:ext\.?|x)\s*\d{1,6})?$"
_URL = r"(?i)^https?://[^\s<>\"]+$"
_NAME = r"^[a-z0-9][a-z0-9 ._&+'-]*$"
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # a regex class
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


@dataclass(frozen=True)
class _Check:
    """One rule of a column: where it fails, and the reason it gives there.

    ``failed`` is true exactly where ``reason`` applies and is not null, so the rows to refuse are
    found with cheap boolean expressions over the whole batch; the reasons, which build text, are
    only worked out for the refused rows.
    """

    failed: pl.Expr
    reason: pl.Expr
    # When set, ``failed`` is where the column contains a character of this regex class: the
    # flags test all such rules of a column in a single pass over its text.
    chars: str = ""


def _check(condition: pl.Expr, reason: pl.Expr | str, about: pl.Expr | None = None) -> _Check:
    """A rule that fails where ``condition`` holds; a reason quoting ``about`` needs it not null."""
    failed = condition.fill_null(False)
    if about is not None:
        failed = failed & about.is_not_null()
    return _Check(failed, pl.lit(reason) if isinstance(reason, str) else reason)


def _reason(checks: list[_Check]) -> pl.Expr:
    """The reason of the first failing check, or null."""
    reasons = [pl.when(c.failed).then(c.reason) for c in checks]
    if not reasons:
        return pl.lit(None, dtype=pl.String)
    return pl.coalesce(*reasons) if len(reasons) > 1 else reasons[0]


def _failed(checks: list[_Check], text: pl.Expr) -> pl.Expr:
    """Whether any of a column's checks fails; ``text`` is the column the character rules read."""
    chars = [c.chars for c in checks if c.chars]
    failed = [c.failed for c in checks if not c.chars]
    if len(chars) > 1:
        failed.append(text.str.contains(f"[{''.join(chars)}]").fill_null(False))
    else:
        failed += [c.failed for c in checks if c.chars]
    if not failed:
        return pl.lit(False)
    return pl.any_horizontal(failed) if len(failed) > 1 else failed[0]


def _bound_checks(column: Column, text: pl.Expr, number: pl.Expr) -> list[_Check]:
    checks = []
    if column.minimum is not None and column.maximum is not None:
        low, high = _plain(column.minimum), _plain(column.maximum)
        outside = (number < column.minimum) | (number > column.maximum)
        checks.append(_check(outside, _shown(text) + f" is outside {low}–{high}", text))
    elif column.minimum is not None:
        low = _plain(column.minimum)
        checks.append(_check(number < column.minimum, f"must be {low} or more"))
    elif column.maximum is not None:
        checks.append(_check(number > column.maximum, f"must be {_plain(column.maximum)} or less"))
    return checks


def _plain(number: float) -> str:
    return f"{number:g}"


def _typed(column: Column, text: pl.Expr) -> tuple[pl.Expr, list[_Check]]:
    """The expression of the stored value and the checks of a trimmed text column."""
    kind = column.type
    checks: list[_Check] = []
    if kind in (ColumnType.INTEGER, ColumnType.NUMBER):
        well_formed = text.str.contains(_NUMBER)
        number = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        whole = kind is ColumnType.INTEGER
        noun = "a whole number" if whole else "a number"
        checks.append(
            _check(~well_formed | number.is_null(), _shown(text) + f" is not {noun}", text)
        )
        if whole:
            checks.append(
                _check(number != number.floor(), _shown(text) + " is not a whole number", text)
            )
        checks += _bound_checks(column, text, number)
        value = number.cast(pl.Int64, strict=False) if whole else number
        return value, checks
    if kind in (ColumnType.DATETIME, ColumnType.LOCALE, ColumnType.LANGUAGE):
        return text, checks  # settled in settle_leftovers and _language_tags
    if kind is ColumnType.TEXT:
        value = text
        nul = text.str.contains("\x00", literal=True)
        checks.append(_Check(nul.fill_null(False), pl.lit("contains a NUL character"), r"\x00"))
    elif kind is ColumnType.ID:
        value = text
        control = text.str.contains(f"[{_CONTROL}]").fill_null(False)
        checks.append(_Check(control, pl.lit("contains control characters"), _CONTROL))
    elif kind is ColumnType.NAME:
        value = text.str.to_lowercase()
        checks.append(
            _check(~value.str.contains(_NAME), _shown(text) + " is not a valid name", text)
        )
    elif kind is ColumnType.CHOICE:
        value = text.str.to_lowercase()
        allowed = ", ".join(column.choices)
        checks.append(
            _check(~value.is_in(column.choices), _shown(text) + f" is not one of {allowed}", text)
        )
    elif kind is ColumnType.EMAIL:
        value = text
        checks.append(
            _check(~text.str.contains(_EMAIL), _shown(text) + " is not an e-mail address", text)
        )
    elif kind is ColumnType.PHONE:
        value = text
        checks.append(
            _check(~text.str.contains(_PHONE), _shown(text) + " is not a phone number", text)
        )
    elif kind is ColumnType.URL:
        value = text
        checks.append(
            _check(~text.str.contains(_URL), _shown(text) + " is not an http(s) URL", text)
        )
    elif kind is ColumnType.COUNTRY:
        value = text.str.to_uppercase()
        checks.append(
            _check(
                ~value.is_in(sorted(countries())),
                _shown(text) + " is not an ISO 3166 alpha-2 country code",
                text,
            )
        )
    else:  # CURRENCY
        value = text.str.to_uppercase()
        checks.append(
            _check(
                ~value.is_in(sorted(currencies())),
                _shown(text) + " is not an ISO 4217 currency",
                text,
            )
        )
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
    return value, checks


def _first_value(frame: pl.DataFrame, name: str, header: list[str]) -> str | None:
    """The first non-empty value of ``name``, trimmed, in a row that is not blank."""
    raw = frame[name]
    for position in range(raw.len()):
        value = raw[position]
        if value is None or value == "":
            continue
        if not (value[0].isspace() or value[-1].isspace()):
            # No white space (by Python's wider definition) to trim, and a row with a
            # non-empty cell is not blank.
            return str(value)
        break
    # White space to trim: let polars trim and judge blank rows, as the whole batch does.
    blank = pl.all_horizontal(pl.col(n).str.strip_chars().fill_null("") == "" for n in header)
    text = pl.col(name).replace("", None).str.strip_chars()
    first = (
        frame.lazy().filter(~blank).select(text.drop_nulls().first()).collect(engine=_ENGINE).item()
    )
    return None if first is None else str(first)


# normalise_language_tag is pure: its answers are kept across batches (a file holds few tags).
_LANGUAGE_TAGS: dict[str, str | None] = {}
_LANGUAGE_TAGS_KEPT = 10_000


def _language_mapping(raw: pl.Series) -> dict[str, str | None]:
    """The tag of every trimmed value of ``raw``."""
    unique = pl.col(raw.name).drop_nulls().unique().str.strip_chars().unique()
    values = raw.to_frame().lazy().select(unique).collect(engine=_ENGINE).to_series().to_list()
    if len(_LANGUAGE_TAGS) + len(values) > _LANGUAGE_TAGS_KEPT:
        _LANGUAGE_TAGS.clear()
    mapping: dict[str, str | None] = {}
    for value in values:
        try:
            mapping[value] = _LANGUAGE_TAGS[value]
        except KeyError:
            mapping[value] = _LANGUAGE_TAGS[value] = normalise_language_tag(value)
    return mapping


def _trimmed(name: str) -> str:
    return f"__text__{name}"


def _value(target: str) -> str:
    return f"__value__{target}"


def _settled(name: str) -> str:
    return f"__settled__{name}"


_BAD = "__bad__"
_BLANK = "__blank__"
# The batches are small: the in-memory engine runs their plans faster than the streaming one.
_ENGINE: Literal["in-memory"] = "in-memory"


@dataclass(frozen=True)
class _Plan:
    """What checks a batch of one kind with one header: the same for every batch of a file."""

    present: list[Column]
    extras: list[str]
    trimmed: list[pl.Expr]
    blank: pl.Expr
    values: dict[str, pl.Expr]  # by column name; date-times and language tags are per batch
    # Every column's rules, in the order they take precedence: the first that fails is reported.
    checks: dict[str, list[_Check]]
    later: dict[str, list[_Check]]  # rules on typed values, checked once the values are known
    cross: list[tuple[str, _Check]]
    flags: list[pl.Expr]
    finish: list[pl.Expr]

    def bad(self, settled: list[_Check]) -> pl.Expr:
        """Whether a row breaks any rule, from the flags of the columns' own rules."""
        rows = [pl.col(f"{_FLAG}{name}") for name, rules in self.checks.items() if rules]
        rows += [c.failed for rules in self.later.values() for c in rules]
        rows += [c.failed for c in settled] + [c.failed for _, c in self.cross]
        return pl.any_horizontal(rows).alias(_BAD)


_PLANS: dict[tuple[int, tuple[str, ...]], tuple[ImportKind, _Plan]] = {}


def _plan(kind: ImportKind, header: list[str]) -> _Plan:
    key = (id(kind), tuple(header))
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is kind:
        return cached[1]
    if len(_PLANS) > 64:
        _PLANS.clear()
    plan = _build_plan(kind, header)
    _PLANS[key] = (kind, plan)
    return plan


def _build_plan(kind: ImportKind, header: list[str]) -> _Plan:
    present = [c for c in kind.columns if c.name in header]
    known = {c.name for c in kind.columns}
    extras = sorted(name for name in header if name not in known)
    checks: dict[str, list[_Check]] = {}
    later: dict[str, list[_Check]] = {}
    values: dict[str, pl.Expr] = {}
    for column in present:
        text = pl.col(_trimmed(column.name))
        value, typed = _typed(column, text)
        if column.required:
            typed.insert(0, _check(text.is_null() | (text == ""), "is required"))
        if column.type in (ColumnType.LOCALE, ColumnType.LANGUAGE):
            noun = (
                "a locale such as es-ES"
                if column.type is ColumnType.LOCALE
                else "a language code such as es"
            )
            unknown = text.is_not_null() & pl.col(_value(column.target)).is_null()
            later[column.name] = [_check(unknown, _shown(text) + f" is not {noun}")]
        elif column.type is not ColumnType.DATETIME:
            values[column.name] = value.alias(_value(column.target))
        checks[column.name] = typed
    for name in header:  # bytes that were not UTF-8 arrive as U+FFFD
        bad_text = pl.col(_trimmed(name)).str.contains("\ufffd", literal=True).fill_null(False)
        reason = pl.lit("is not valid UTF-8 text: save the file as UTF-8")
        checks[name] = [_Check(bad_text, reason, r"\x{FFFD}"), *checks.get(name, [])]
    # A row whose cells are all empty is a blank line, not a record.
    filled = [(pl.col(_trimmed(name)).str.len_bytes() > 0).fill_null(False) for name in header]
    return _Plan(
        present=present,
        extras=extras,
        trimmed=[
            pl.col(name).replace("", None).str.strip_chars().alias(_trimmed(name))
            for name in header
        ],
        blank=(~pl.any_horizontal(filled)).alias(_BLANK),
        values=values,
        checks=checks,
        later=later,
        cross=_cross_checks(kind, present),
        flags=[
            _failed(rules, pl.col(_trimmed(name))).alias(f"{_FLAG}{name}")
            for name, rules in checks.items()
            if rules
        ],
        finish=_finish(kind, present, extras),
    )


def validate_batch(frame: pl.DataFrame, kind: ImportKind, header: list[str]) -> ValidBatch:
    """Check every row of ``frame`` against ``kind``; typed good rows and the bad rows' reasons."""
    plan = _plan(kind, header)
    missing_columns = [name for name in header if name not in frame.columns]
    if missing_columns:
        frame = frame.with_columns(
            pl.lit(None, dtype=pl.String).alias(name) for name in missing_columns
        )

    # One plan checks the whole batch: trimmed text, typed values, whether each row is bad; the
    # rules' conditions are cheap, and only the refused rows have their reasons written out.
    values = []
    formats: dict[str, list[tuple[str, bool]]] = {}
    pending: list[pl.Expr] = []
    for column in plan.present:
        text = pl.col(_trimmed(column.name))
        target = _value(column.target)
        if column.type is ColumnType.DATETIME:
            sample = _first_value(frame, column.name, header)
            quick, formats[column.name] = quick_form(sample, likeliest_first(sample))
            values.append(parse_with(text, *quick).alias(target))
            unread = pl.col(target).is_null() & text.is_not_null() & ~pl.col(_BLANK)
            pending.append(unread.alias(_pending(column.name)))
        elif column.type in (ColumnType.LOCALE, ColumnType.LANGUAGE):
            mapping = _language_mapping(frame[column.name])
            tags = text.replace_strict(mapping, default=None, return_dtype=pl.String)
            values.append(tags.alias(target))
        else:
            values.append(plan.values[column.name])
    checked = (
        frame.lazy()
        .with_columns(plan.trimmed)
        .with_columns(*values, *plan.flags, plan.blank)
        .with_columns(plan.bad([]), *pending)
        .collect(engine=_ENGINE)
    )

    # Date-times the first fast format did not read: the other formats, then Python.
    settled: dict[str, _Check] = {}
    patched: list[pl.Series] = []
    again = False  # whether the rows' verdicts must be worked out again
    for column in plan.present:
        if column.type is not ColumnType.DATETIME:
            continue
        rows = checked[_pending(column.name)].arg_true()
        if rows.len() == 0:
            continue
        target = _value(column.target)
        parsed, reasons = settle_leftovers(
            checked[_trimmed(column.name)].gather(rows), formats[column.name]
        )
        patched.append(checked[target].scatter(rows, parsed))
        if reasons.null_count() < reasons.len():
            unsettled = pl.Series(_settled(column.name), [None] * checked.height, dtype=pl.String)
            patched.append(unsettled.scatter(rows, reasons))
            named = pl.col(_settled(column.name))
            settled[column.name] = _Check(named.is_not_null(), named)
            again = True
        # The checks between columns read the date-times just settled.
        again = again or any(target in c.failed.meta.root_names() for _, c in plan.cross)
    if patched:
        checked = checked.with_columns(patched)
    if again:
        bad_rows = plan.bad(list(settled.values()))
        checked = checked.lazy().with_columns(bad_rows).collect(engine=_ENGINE)

    is_bad, blank = checked[_BAD], checked[_BLANK]
    if not (is_bad.any() or blank.any()):
        good = checked.lazy().select(plan.finish).collect(engine=_ENGINE)
        return ValidBatch(good, [], checked[LINE].clear())
    sorted_out = checked.lazy().with_columns(
        (pl.col(_BAD) & ~pl.col(_BLANK)).alias(_BAD), (pl.col(_BAD) | pl.col(_BLANK)).alias(_BLANK)
    )
    good = sorted_out.filter(~pl.col(_BLANK)).select(plan.finish).collect(engine=_ENGINE)
    bad = sorted_out.filter(pl.col(_BAD)).collect(engine=_ENGINE)
    rules = {name: list(rules) for name, rules in plan.checks.items()}
    for name, extra in plan.later.items():
        rules[name] += extra
    for name, check in settled.items():
        rules[name].append(check)
    for name, check in plan.cross:
        rules[name].append(check)
    error_columns = [f"{_ERROR}{name}" for name in rules]
    written = bad.select(
        pl.col(LINE), *(_reason(list_).alias(f"{_ERROR}{name}") for name, list_ in rules.items())
    )
    row_errors = [
        RowError(row[LINE], name.removeprefix(_ERROR), row[name])
        for row in written.iter_rows(named=True)
        for name in error_columns
        if row[name] is not None
    ]
    return ValidBatch(good, row_errors, bad[LINE])


def _pending(name: str) -> str:
    return f"__pending__{name}"


def _cross_checks(kind: ImportKind, present: list[Column]) -> list[tuple[str, _Check]]:
    """The checks between columns, on the typed values, with the column each reports on."""
    targets = {c.target: c.name for c in present}
    checks: list[tuple[str, _Check]] = []

    def after(later: str, earlier: str) -> None:
        if later in targets and earlier in targets:
            wrong = pl.col(_value(later)) < pl.col(_value(earlier))
            checks.append((targets[later], _check(wrong, f"is before {targets[earlier]}")))

    after("delivered_at", "ordered_at")
    after("churned_at", "acquired_at")
    after("closed_at", "occurred_at")
    if "rating" in targets and kind.rating_scale is None:
        rating = pl.col(_value("rating"))
        scale = pl.col(_value("rating_scale")) if "rating_scale" in targets else pl.lit(5.0)
        wrong = rating > scale.fill_null(5.0)
        reason = (
            pl.lit("")
            + rating.cast(pl.String)
            + " is above the rating scale of "
            + scale.fill_null(5.0).cast(pl.String)
        )
        checks.append((targets["rating"], _check(wrong, reason, rating)))
    return checks


def _finish(kind: ImportKind, present: list[Column], extras: list[str]) -> list[pl.Expr]:
    """The good rows as the loader stores them: date-times as text, attributes as JSON."""
    columns: list[pl.Expr] = [pl.col(LINE)]
    for column in present:
        expr = pl.col(_value(column.target))
        if column.type is ColumnType.DATETIME:
            expr = expr.dt.to_string(STORED_DATETIME)
        columns.append(expr.alias(column.target))
    targets = {c.target for c in present}
    if "rating" in targets:
        if kind.rating_scale is not None:
            scale = pl.lit(float(kind.rating_scale))
        elif "rating_scale" in targets:
            scale = pl.col(_value("rating_scale")).fill_null(5.0)
        else:
            scale = pl.lit(5.0)
        if "rating_scale" not in targets or kind.rating_scale is not None:
            columns.append(scale.alias("rating_scale"))
        else:
            columns[[c.target for c in present].index("rating_scale") + 1] = scale.alias(
                "rating_scale"
            )
        rating = pl.col(_value("rating")).cast(pl.Float64)
        columns.append((rating / scale).alias("rating_normalized"))
    if extras:
        columns.append(attributes_json(extras).alias(ATTRIBUTES))
    return columns


def attributes_json(names: list[str]) -> pl.Expr:
    """A JSON object of the non-empty ``names`` columns, keys in sorted order."""
    members = [
        pl.when(pl.col(name).is_not_null() & (pl.col(name) != "")).then(
            pl.struct(pl.col(name)).struct.json_encode().str.slice(1).str.strip_suffix("}")
        )
        for name in sorted(names)
    ]
    return pl.lit("{") + pl.concat_str(members, separator=",", ignore_nulls=True) + pl.lit("}")
