"""Bulk loading into the catalogue: a staging table, checks in SQL, and one upsert.

One import is one transaction (the unit of work): every good row goes into a temporary staging
table first; duplicates inside the file and references to unknown customers are found there in
SQL; only then is the staging table merged into the catalogue with ``INSERT … ON CONFLICT DO
UPDATE``, which touches a stored record only when a value really changed. Either the whole merge
lands or, when the caller rolls back, nothing does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import polars as pl
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    delete,
    func,
    literal,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.expression import Select

from advocacy.importers.formats import ImportKind
from advocacy.importers.readers import LINE
from advocacy.importers.validation import ATTRIBUTES
from advocacy.store.scratch import ScratchWriter
from advocacy.store.tables import Base

STAGING_LINE = "line"
# Loads at least this large (and at least as large as the table) rebuild secondary indexes.
BULK_ROWS = 100_000
# The name the scratch file of the staged rows is attached under, on SQLite.
SCRATCH = "advocacy_scratch"
# SQLite's page cache for the merge, in KiB when negative (as PRAGMA cache_size takes it).
MERGE_CACHE_SIZE = -16 * 1024
# The feedback columns text analysis reads: a change to any of them clears ``analyzed_at``.
ANALYSED_COLUMNS = ("text", "title", "language")


@dataclass(frozen=True, slots=True)
class MergeCounts:
    """How the staged rows compare with the catalogue."""

    new: int
    changed: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class Conflict:
    """A staged row refused by a check across rows: a duplicate id or an unknown reference."""

    line: int
    column: str
    reason: str


class StagedImport:
    """The rows of one import, staged outside the catalogue's transaction, checked and merged.

    On SQLite the rows go to a scratch file through ADBC (see :mod:`advocacy.store.scratch`), on
    PostgreSQL to a temporary table through ``COPY``. Use it as a context manager: leaving it
    removes the staged rows. :meth:`seal` after the last :meth:`add`, then run the checks and the
    merge inside :meth:`transaction`.
    """

    def __init__(self, connection: Connection, kind: ImportKind, targets: Sequence[str]) -> None:
        self.connection = connection
        self.kind = kind
        self.target = Base.metadata.tables[kind.table]
        self.targets = list(dict.fromkeys(targets))
        self.key = self._key_columns()
        self._sqlite = connection.dialect.name == "sqlite"
        self._columns = [LINE, *self.targets]
        self._attached = False
        self._cache_size: Any = None
        self._writer: ScratchWriter | None = None
        name = f"staging_{kind.name}"
        if self._sqlite:
            created = Table(name, MetaData(), *self._staging_columns())
            ddl = str(CreateTable(created).compile(dialect=connection.dialect))
            self._writer = ScratchWriter(name, ddl)
            self.staging = Table(name, MetaData(), *self._staging_columns(), schema=SCRATCH)
        else:
            columns = self._staging_columns()
            self.staging = Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])
            self.staging.drop(connection, checkfirst=True)
            self.staging.create(connection)
            names = ", ".join([STAGING_LINE, *self.targets])
            self._copy_sql = f"COPY {name} ({names}) FROM STDIN"

    def _staging_columns(self) -> list[Column[Any]]:
        """The staging table's columns: the catalogue's types, but no key, default or check."""
        columns: list[Column[Any]] = [Column(STAGING_LINE, Integer, primary_key=True)]
        columns += [
            self.target.c[name]._copy() if name in self.target.c else Column(name, String(200))
            for name in self.targets
        ]
        for column in columns[1:]:
            column.primary_key = False
            column.nullable = True
            column.unique = False
            column.index = False
            column.foreign_keys.clear()
            column.server_default = None
        return columns

    def __enter__(self) -> StagedImport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _key_columns(self) -> list[str]:
        if self.kind.feedback_kind is None:
            return ["external_id"]
        return ["kind", "platform", "external_id"]

    def add(self, frame: pl.DataFrame) -> None:
        """Stage the validated rows of one batch."""
        if frame.height == 0:
            return
        rows = frame.select(self._columns)
        if self._writer is not None:
            self._writer.add(rows.rename({LINE: STAGING_LINE}))
            return
        self._copy(rows)

    def _copy(self, rows: pl.DataFrame) -> None:
        """PostgreSQL: stream the rows with COPY, many times faster than INSERTs."""
        driver: Any = self.connection.connection.driver_connection  # psycopg's own connection
        with driver.cursor() as cursor, cursor.copy(self._copy_sql) as copy:
            for row in rows.iter_rows():
                copy.write_row(row)

    def clear(self) -> None:
        """Forget every staged row (the file is about to be read again)."""
        if self._writer is not None:
            self._writer.clear()
        else:
            self.connection.execute(delete(self.staging))

    def seal(self) -> None:
        """Every row is staged: make them readable by the checks and the merge."""
        if self._writer is not None:
            path = self._writer.close()
            # SQLite refuses ATTACH inside a transaction: this must come before transaction().
            self.connection.exec_driver_sql(f"ATTACH DATABASE ? AS {SCRATCH}", (str(path),))
            self._attached = True
            # The merge's page cache comes on top of what polars kept from the batches; a
            # smaller one keeps a large import within its memory budget (and costs ~5%).
            self._cache_size = self.connection.exec_driver_sql("PRAGMA cache_size").scalar()
            self.connection.exec_driver_sql(f"PRAGMA cache_size={MERGE_CACHE_SIZE}")
        self.connection.commit()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """The catalogue's transaction for the checks and the merge: all of it lands, or none."""
        with self.connection.begin():
            if self._sqlite:
                # pysqlite would only BEGIN at the first write; take the write lock now, so that
                # the checks, the counts and the merge all see the same catalogue.
                self.connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield

    def close(self) -> None:
        """Drop the staged rows (after the transaction has ended, either way)."""
        self.connection.rollback()
        if self._writer is not None:
            if self._attached:
                self._attached = False
                self.connection.exec_driver_sql(f"DETACH DATABASE {SCRATCH}")
                self.connection.exec_driver_sql(f"PRAGMA cache_size={int(self._cache_size)}")
                self.connection.commit()
            self._writer.remove()
        else:
            self.staging.drop(self.connection, checkfirst=True)
            self.connection.commit()

    def staged_rows(self) -> int:
        return int(self.connection.scalar(select(func.count()).select_from(self.staging)) or 0)

    # --- checks across rows ---------------------------------------------------------------------

    def duplicates(self) -> list[Conflict]:
        """Rows whose id already appeared earlier in the same file."""
        s = self.staging.c
        keys = [s[name] for name in self._staged_key()]
        first = (
            select(*keys, func.min(s[STAGING_LINE]).label("first_line"))
            .group_by(*keys)
            .having(func.count() > 1)
            .subquery()
        )
        joined = and_(*(s[name] == first.c[name] for name in self._staged_key()))
        query = (
            select(s[STAGING_LINE], s.external_id, first.c.first_line)
            .join(first, joined)
            .where(s[STAGING_LINE] > first.c.first_line)
            .order_by(s[STAGING_LINE])
        )
        id_column = self.kind.id_column.name
        return [
            Conflict(line, id_column, f"duplicate id {value!r}: line {first_line} has it already")
            for line, value, first_line in self.connection.execute(query)
        ]

    def unknown_references(self) -> list[Conflict]:
        """Rows that name a customer the catalogue does not have, where one is required."""
        conflicts: list[Conflict] = []
        for ref_column, table_name in self.kind.references.items():
            if ref_column not in self.targets:
                continue
            other = Base.metadata.tables[table_name]
            s = self.staging.c
            query = (
                select(s[STAGING_LINE], s[ref_column])
                .outerjoin(other, other.c.external_id == s[ref_column])
                .where(other.c.id.is_(None), s[ref_column].is_not(None))
                .order_by(s[STAGING_LINE])
            )
            column = self.kind.columns[[c.target for c in self.kind.columns].index(ref_column)].name
            conflicts += [
                Conflict(line, column, f"no customer with id {value!r}: import the customers first")
                for line, value in self.connection.execute(query)
            ]
        return conflicts

    def drop_lines(self, lines: Sequence[int]) -> None:
        """Take refused rows out of the staging table."""
        for start in range(0, len(lines), 10_000):
            chunk = list(lines[start : start + 10_000])
            self.connection.execute(
                delete(self.staging).where(self.staging.c[STAGING_LINE].in_(chunk))
            )

    # --- the merge ----------------------------------------------------------------------------

    def _staged_key(self) -> list[str]:
        return [name for name in self.key if name in self.targets] or ["external_id"]

    def _source(self) -> Select[Any]:
        """The staged rows as catalogue rows: constants filled in, references resolved."""
        s = self.staging.c
        values: dict[str, ColumnElement[Any]] = {}
        if self.kind.feedback_kind is not None:
            values["kind"] = literal(self.kind.feedback_kind)
            if "platform" not in self.targets:
                values["platform"] = literal("")
        from_clause: Any = self.staging
        for name in self.targets:
            values[name] = s[name]
        for ref, table_name, fk in (
            ("customer_ref", "customers", "customer_id"),
            ("order_ref", "orders", "order_id"),
        ):
            if ref in self.targets:
                other = Base.metadata.tables[table_name].alias(f"ref_{table_name}")
                from_clause = from_clause.outerjoin(other, other.c.external_id == s[ref])
                values[fk] = other.c.id
        if self.kind.table == "orders":
            values.pop("customer_ref")
        if ATTRIBUTES not in values:
            values[ATTRIBUTES] = literal({}, type_=self.target.c[ATTRIBUTES].type)
        return select(*(expr.label(name) for name, expr in values.items())).select_from(from_clause)

    def _merged_attributes(
        self, stored: ColumnElement[Any], incoming: ColumnElement[Any]
    ) -> ColumnElement[Any]:
        if self.connection.dialect.name == "postgresql":
            return stored.op("||")(incoming)
        return func.json_patch(func.coalesce(stored, "{}"), incoming)

    def _updated_columns(self, source_names: Sequence[str]) -> list[str]:
        fixed = set(self.key) | {"kind"}
        return [name for name in source_names if name not in fixed]

    def _changed(self, stored: Any, incoming: Any, names: Sequence[str]) -> ColumnElement[bool]:
        tests = []
        for name in names:
            if name == ATTRIBUTES:
                merged = self._merged_attributes(stored[name], incoming[name])
                tests.append(merged.is_distinct_from(stored[name]))
            else:
                tests.append(stored[name].is_distinct_from(incoming[name]))
        return or_(*tests) if tests else literal(False)

    def counts(self, *, attributes_given: bool) -> MergeCounts:
        """How many staged rows are new, would change a stored record, or change nothing."""
        source = self._source().subquery("incoming")
        names = self._updated_columns([c.name for c in source.c])
        if not attributes_given:
            names = [n for n in names if n != ATTRIBUTES]
        t = self.target.c
        on = and_(*(t[name] == source.c[name] for name in self.key))
        changed = self._changed(t, source.c, names)
        query = select(
            func.count(),
            func.coalesce(func.sum(case((t.id.is_(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(t.id.is_not(None), changed), 1), else_=0)), 0),
        ).select_from(source.outerjoin(self.target, on))
        total, new, changed_count = self.connection.execute(query).one()
        return MergeCounts(
            new=int(new), changed=int(changed_count), unchanged=int(total - new - changed_count)
        )

    def merge(self, *, attributes_given: bool, new_rows: int = 0) -> None:
        """Insert the new rows and update the changed ones; unchanged records are not touched.

        On SQLite, a load of ``new_rows`` at least as large as the table (and of at least
        :data:`BULK_ROWS`) rebuilds the table's secondary indexes after the insert instead of
        updating them row by row: sorting once is several times quicker than a million random
        index insertions. It all happens inside the import's transaction, so other connections
        never see the table without its indexes. The unique key stays, as the upsert needs it.
        """
        suspended = self._suspend_indexes(new_rows)
        self._upsert(attributes_given=attributes_given)
        for index in suspended:
            index.create(self.connection)

    def _suspend_indexes(self, new_rows: int) -> list[Index]:
        if not self._sqlite or new_rows < BULK_ROWS:
            return []
        stored = self.connection.scalar(select(func.max(self.target.c.id))) or 0
        if new_rows < stored:
            return []
        indexes = sorted(
            (i for i in self.target.indexes if not i.unique), key=lambda i: i.name or ""
        )
        for index in indexes:
            index.drop(self.connection)
        return indexes

    def _upsert(self, *, attributes_given: bool) -> None:
        source = self._source().where(true())
        names = [c.name for c in source.selected_columns]
        dialect = sqlite if self.connection.dialect.name == "sqlite" else postgresql
        statement = dialect.insert(self.target).from_select(names, source)
        updated = self._updated_columns(names)
        if not attributes_given:
            updated = [n for n in updated if n != ATTRIBUTES]
        excluded = statement.excluded
        stored = self.target.c
        assignments: dict[str, Any] = {name: excluded[name] for name in updated}
        if ATTRIBUTES in updated:
            assignments[ATTRIBUTES] = self._merged_attributes(
                stored[ATTRIBUTES], excluded[ATTRIBUTES]
            )
        assignments["updated_at"] = func.now()
        reanalyse = [name for name in ANALYSED_COLUMNS if name in updated]
        if reanalyse and "analyzed_at" in stored:
            # A new wording must be analysed again; other changes (a rating, a link) keep the
            # analysis of the text.
            assignments["analyzed_at"] = case(
                (or_(*(stored[n].is_distinct_from(excluded[n]) for n in reanalyse)), null()),
                else_=stored["analyzed_at"],
            )
        statement = statement.on_conflict_do_update(
            index_elements=self.key,
            set_=assignments,
            where=self._changed(stored, excluded, updated),
        )
        self.connection.execute(statement)


def link_feedback(connection: Connection) -> int:
    """Tie feedback items to the customers and orders they name, once those are known."""
    from advocacy.store.tables import Customer, FeedbackItem, Order

    linked = 0
    items = cast(Table, FeedbackItem.__table__)
    for ref, fk, model in (
        ("customer_ref", "customer_id", Customer),
        ("order_ref", "order_id", Order),
    ):
        other = model.__table__
        found = select(other.c.id).where(other.c.external_id == items.c[ref]).scalar_subquery()
        statement = (
            update(items)
            .where(items.c[fk].is_(None), items.c[ref].is_not(None))
            .where(select(other.c.id).where(other.c.external_id == items.c[ref]).exists())
            .values({fk: found})
        )
        linked += connection.execute(statement).rowcount
    return linked
