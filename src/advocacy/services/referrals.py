"""Referrals: each advocate's code and link, the visits of the link, the customers they brought,
and the value those customers created.

**Codes.** An advocate (a customer with a row in ``advocates``) gets one referral code, made
once and kept: 8 characters drawn at random (:mod:`secrets`) from an alphabet without the
characters people confuse (no ``0``/``O``, ``1``/``I``/``L``), so 31⁸ ≈ 8.5 × 10¹¹ codes. A clash
with another advocate's code is retried with a new draw. Codes are read without regard to case
or surrounding spaces (``  abcd2345`` is ``ABCD2345``). The link is ``{base_url}/r/{code}``.

**Visits.** Opening the link records a visit (``referral_clicks``) and sends the visitor on to
the company's sign-up or shop address (``ADVOCACY_REFERRAL_LANDING_URL``, by default the base
URL) with ``ref=CODE`` added to its query. The visitor is only ever sent to that configured
address. So that a bot reloading a link cannot grow the table without bound, a visit is not
recorded when the same client address already had one counted for that code in the past hour
(remembered in the web process, :class:`RecentVisitors`), nor once the code has
:data:`DAILY_VISIT_CAP` visits on that UTC day (counted in the database, so it holds across
processes); the visitor is redirected all the same.

**Attribution.** A referred customer has one referrer (``referrals``, unique per referred
customer): attributing the same code again changes nothing; another advocate's code for an
already referred customer is refused, naming the referrer; nobody refers themselves. A
referral is attributed by hand (``source`` ``manual``) or from the customers' imported
attribute ``referral_code`` (``source`` ``import``: any extra column of a customers import is
kept as an attribute). A referral by hand dates from the moment it is attributed; one read from
the import dates from the customer's acquisition (``acquired_at``) when that is known and
earlier, since the code was given when they signed up. Each referral is written to the
referring advocate's log (``advocate_events``, kind ``referral``).

**Value created**, per referred customer and summed per advocate, per currency (amounts of
different currencies are never added):

- *orders* and *revenue since attribution*: the customer's orders placed at or after the
  referral's date and at or before ``now``, neither cancelled nor returned (as ``advocacy clv``
  counts them), revenue summed per order currency (``XXX`` without one);
- *expected CLV*: the value the customer is still expected to bring, as ``advocacy clv``
  values them in their main currency — yearly revenue × expected lifespan (a lifetime with a
  constant churn rate has no memory, so a customer who stays is expected to stay that long
  again), 0 for a cancelled contract and for a customer without orders. The acquisition cost
  and the revenue already earned are not in it, so nothing is counted twice;
- **value created** = revenue since attribution + expected CLV.

The report lists advocates by the value created in their largest currency, highest first.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, Engine, Table, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from advocacy.config import Settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.services.case_rules import CustomerValueBook
from advocacy.store.tables import (
    Advocate,
    AdvocateEvent,
    Customer,
    Order,
    Referral,
    ReferralClick,
)

ADVOCATES = cast(Table, Advocate.__table__)
EVENTS = cast(Table, AdvocateEvent.__table__)
CUSTOMERS = cast(Table, Customer.__table__)
ORDERS = cast(Table, Order.__table__)
REFERRALS = cast(Table, Referral.__table__)
CLICKS = cast(Table, ReferralClick.__table__)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_ATTRIBUTE = "referral_code"
SOURCES = ("manual", "import")
DAILY_VISIT_CAP = 1_000
VISITOR_WINDOW = dt.timedelta(hours=1)
RECENT_DAYS = 30
NOT_COUNTED = ("cancelled", "returned")
NO_CURRENCY = "XXX"
_MAX_TRIES = 20
_CODE_LIMIT = 20  # the column's width: a longer text is no code of ours
_SHOWN = 40


class UnknownCode(InvalidInput):
    """No advocate has the referral code given."""


def new_code() -> str:
    """A fresh random code: 8 characters of :data:`ALPHABET`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """A code as typed (any case, spaces around) as it is stored: upper case, stripped."""
    return str(code).strip().upper()


def _shown(text: str) -> str:
    """A piece of user input, short and quoted, for an error message."""
    text = str(text)
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


def _log(
    connection: Connection,
    customer_id: int,
    *,
    kind: str,
    actor: str,
    now: dt.datetime,
    detail: dict[str, Any],
) -> None:
    connection.execute(
        insert(EVENTS).values(
            customer_id=customer_id, at=now, actor=actor[:320], kind=kind, detail=detail
        )
    )


# --- codes and links --------------------------------------------------------------------------


def advocate_id_of(engine: Engine, customer: str) -> int:
    """The catalogue id of the advocate whose customer id (the company's) is ``customer``.

    Raises ``NotFound`` for an unknown customer and ``InvalidInput`` for a customer who is not
    in the advocate programme."""
    ref = str(customer).strip()
    with engine.connect() as connection:
        row = connection.execute(
            select(CUSTOMERS.c.id, ADVOCATES.c.customer_id.label("advocate"))
            .outerjoin(ADVOCATES, ADVOCATES.c.customer_id == CUSTOMERS.c.id)
            .where(CUSTOMERS.c.external_id == ref[:200])
        ).first()
    if row is None:
        raise NotFound(f"no customer {_shown(ref)}")
    if row.advocate is None:
        raise InvalidInput(
            f"customer {_shown(ref)} is not an advocate: only advocates get a referral code"
        )
    return int(row.id)


def issue_code(engine: Engine, customer_id: int, *, now: dt.datetime, actor: str = "system") -> str:
    """The referral code of the advocate ``customer_id`` (catalogue id), made on first call and
    kept: a second call returns the same code. Raises ``InvalidInput`` for a customer who is
    not an advocate."""
    for _ in range(_MAX_TRIES):
        try:
            with engine.begin() as connection:
                found = connection.execute(
                    select(ADVOCATES.c.referral_code).where(ADVOCATES.c.customer_id == customer_id)
                ).first()
                if found is None:
                    raise InvalidInput(
                        f"customer {customer_id} is not an advocate: only advocates get a "
                        "referral code"
                    )
                if found.referral_code:
                    return str(found.referral_code)
                code = new_code()
                made = connection.execute(
                    update(ADVOCATES)
                    .where(ADVOCATES.c.customer_id == customer_id)
                    .where(ADVOCATES.c.referral_code.is_(None))
                    .values(referral_code=code)
                ).rowcount
                if made:  # else another request gave them one meanwhile: read it next time
                    detail = {"code": code}
                    _log(connection, customer_id, kind="referral_code", actor=actor, now=now,
                         detail=detail)  # fmt: skip
                    return code
        except IntegrityError:  # another advocate has this code: draw again
            continue
    raise InvalidInput("no free referral code was found; try again")  # practically never


def referral_link(settings: Settings, code: str) -> str:
    """The advocate's link: ``{base_url}/r/{code}``."""
    return f"{settings.base_url.rstrip('/')}/r/{normalise_code(code)}"


def landing_address(landing_url: str, code: str) -> str:
    """``landing_url`` with ``ref=CODE`` in its query; the query it had is kept, an earlier
    ``ref`` replaced, the fragment kept (a bare host gets the path ``/``)."""
    parts = urlsplit(landing_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "ref"]
    query.append(("ref", normalise_code(code)))
    return urlunsplit(parts._replace(path=parts.path or "/", query=urlencode(query)))


# --- visits -----------------------------------------------------------------------------------


class RecentVisitors:
    """Which client addresses had a visit of which code counted in the last hour: at most
    ``size`` pairs, the oldest forgotten first. Kept in the memory of one web process."""

    def __init__(self, size: int = 50_000, window: dt.timedelta = VISITOR_WINDOW) -> None:
        self.size, self.window = size, window
        self._seen: OrderedDict[tuple[str, str], dt.datetime] = OrderedDict()
        self._lock = threading.Lock()

    def first_in_window(self, code: str, visitor: str, now: dt.datetime) -> bool:
        """Whether this visit is the first of ``visitor`` for ``code`` within the window (and
        so counts); remembers it when it is."""
        key = (code, visitor)
        with self._lock:
            last = self._seen.get(key)
            if last is not None and last <= now < last + self.window:
                return False
            self._seen[key] = now
            self._seen.move_to_end(key)
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
            return True


@dataclass(frozen=True, slots=True)
class Visit:
    """A visit of a referral link: the code, whose it is, and whether it was recorded (and if
    not, why: ``repeat`` or ``daily cap``)."""

    code: str
    advocate_id: int
    recorded: bool
    reason: str | None = None


def record_visit(
    engine: Engine,
    code: str,
    *,
    now: dt.datetime,
    visitor: str | None = None,
    recent: RecentVisitors | None = None,
    daily_cap: int = DAILY_VISIT_CAP,
) -> Visit:
    """Record a visit of the link of ``code`` unless it is a repeat of ``visitor`` within the
    hour (with ``recent``) or the code reached ``daily_cap`` visits that UTC day. Raises
    ``NotFound`` for a code that is nobody's (nothing is recorded)."""
    wanted = normalise_code(code)
    if not wanted or len(wanted) > _CODE_LIMIT:
        raise NotFound("no referral link with this code")
    with engine.begin() as connection:
        advocate = connection.scalar(
            select(ADVOCATES.c.customer_id).where(ADVOCATES.c.referral_code == wanted)
        )
        if advocate is None:
            raise NotFound("no referral link with this code")
        if recent is not None and visitor and not recent.first_in_window(wanted, visitor, now):
            return Visit(wanted, int(advocate), False, "repeat")
        day = dt.datetime.combine(now.date(), dt.time())
        today = connection.scalar(
            select(func.count()).select_from(CLICKS)
            .where(CLICKS.c.advocate_id == advocate, CLICKS.c.at >= day,
                   CLICKS.c.at < day + dt.timedelta(days=1))
        )  # fmt: skip
        if (today or 0) >= daily_cap:
            return Visit(wanted, int(advocate), False, "daily cap")
        connection.execute(insert(CLICKS).values(advocate_id=advocate, at=now))
    return Visit(wanted, int(advocate), True)


# --- attribution ------------------------------------------------------------------------------


def _customer(connection: Connection, ref: str) -> Any:
    row = connection.execute(
        select(
            CUSTOMERS.c.id, CUSTOMERS.c.external_id, CUSTOMERS.c.name, CUSTOMERS.c.acquired_at
        ).where(CUSTOMERS.c.external_id == ref[:200])
    ).first()
    if row is None:
        raise NotFound(f"no customer {_shown(ref)}")
    return row


def _owner_of(connection: Connection, code: str) -> Any:
    wanted = normalise_code(code)
    row = None
    if wanted and len(wanted) <= _CODE_LIMIT:
        row = connection.execute(
            select(CUSTOMERS.c.id, CUSTOMERS.c.external_id, CUSTOMERS.c.name,
                   ADVOCATES.c.referral_code)
            .join(ADVOCATES, ADVOCATES.c.customer_id == CUSTOMERS.c.id)
            .where(ADVOCATES.c.referral_code == wanted)
        ).first()  # fmt: skip
    if row is None:
        raise UnknownCode(f"no advocate has the referral code {_shown(code)}")
    return row


def _existing(connection: Connection, referred_id: int) -> Any:
    return connection.execute(
        select(REFERRALS.c.advocate_id, REFERRALS.c.code, REFERRALS.c.source,
               REFERRALS.c.attributed_at, CUSTOMERS.c.external_id, CUSTOMERS.c.name)
        .join(CUSTOMERS, CUSTOMERS.c.id == REFERRALS.c.advocate_id)
        .where(REFERRALS.c.referred_customer_id == referred_id)
    ).first()  # fmt: skip


def _document(referred: Any, advocate_ref: str, advocate_name: str | None, row: Any,
              created: bool) -> dict[str, Any]:  # fmt: skip
    return {
        "referred_customer": referred.external_id,
        "referred_name": referred.name,
        "advocate": advocate_ref,
        "advocate_name": advocate_name,
        "code": row.code,
        "source": row.source,
        "attributed_at": row.attributed_at.isoformat(),
        "created": created,
    }


def _name(ref: str, name: str | None) -> str:
    return f"{name} ({ref})" if name else ref


def attribute(
    engine: Engine,
    referred_customer: str,
    code: str,
    *,
    actor: str,
    now: dt.datetime,
    source: str = "manual",
) -> dict[str, Any]:
    """Attribute the customer ``referred_customer`` (the company's id) to the advocate whose
    code is ``code``. Returns the referral (``referred_customer``, ``advocate``, ``code``,
    ``source``, ``attributed_at``, ``created``: false when it existed already).

    Raises ``NotFound`` for an unknown customer; ``InvalidInput`` for an unknown code, a
    self-referral, or a customer already referred by another advocate (named)."""
    if source not in SOURCES:
        raise InvalidInput(f"source: one of {', '.join(SOURCES)}, not {_shown(source)}")
    ref = str(referred_customer).strip()
    if not ref:
        raise InvalidInput("the referred customer's id is missing")
    for _ in range(2):  # a second pass when another request attributed them meanwhile
        try:
            return _attribute_once(engine, ref, code, actor=actor, now=now, source=source)
        except IntegrityError:
            continue
    raise InvalidInput(f"{_shown(ref)} was being attributed at the same time; try again")


def _attribute_once(
    engine: Engine, ref: str, code: str, *, actor: str, now: dt.datetime, source: str
) -> dict[str, Any]:
    with engine.begin() as connection:
        referred = _customer(connection, ref)
        owner = _owner_of(connection, code)
        if owner.id == referred.id:
            raise InvalidInput(f"{_name(owner.external_id, owner.name)} cannot refer themselves")
        existing = _existing(connection, referred.id)
        if existing is not None:
            if existing.advocate_id == owner.id:
                return _document(referred, owner.external_id, owner.name, existing, False)
            raise InvalidInput(
                f"{_name(referred.external_id, referred.name)} was already referred by "
                f"{_name(existing.external_id, existing.name)} (code {existing.code}) on "
                f"{existing.attributed_at.date().isoformat()}; a customer has one referrer"
            )
        at = now
        if source == "import" and referred.acquired_at is not None:
            at = min(now, referred.acquired_at)
        connection.execute(
            insert(REFERRALS).values(
                advocate_id=owner.id,
                referred_customer_id=referred.id,
                code=owner.referral_code,
                source=source,
                attributed_at=at,
                attributed_by=actor[:320],
            )
        )
        detail = {"referred_customer": referred.external_id, "code": owner.referral_code,
                  "source": source}  # fmt: skip
        _log(connection, owner.id, kind="referral", actor=actor, now=now, detail=detail)
        return _document(
            referred, owner.external_id, owner.name, _existing(connection, referred.id), True
        )


def attribute_from_imports(
    engine: Engine, *, now: dt.datetime, actor: str = "import"
) -> dict[str, Any]:
    """Attribute the customers not referred yet whose imported attribute ``referral_code``
    names an advocate's code (``source`` ``import``). Codes that match nobody, and refused
    ones (a customer's own code), are counted and listed (at most 50), never fatal; a second
    run changes nothing.

    Returns ``attributed``, ``unknown_codes``, ``refused``, ``problems`` (customer id and
    reason)."""
    code_of = CUSTOMERS.c.attributes[CODE_ATTRIBUTE].as_string()
    with engine.connect() as connection:
        rows = connection.execute(
            select(CUSTOMERS.c.external_id, code_of.label("code"))
            .where(code_of.is_not(None),
                   ~select(REFERRALS.c.id)
                   .where(REFERRALS.c.referred_customer_id == CUSTOMERS.c.id).exists())
            .order_by(CUSTOMERS.c.id)
        ).all()  # fmt: skip
        known = set(
            connection.scalars(
                select(ADVOCATES.c.referral_code).where(ADVOCATES.c.referral_code.is_not(None))
            )
        )
    counts = {"attributed": 0, "unknown_codes": 0, "refused": 0}
    problems: list[dict[str, str]] = []
    for row in rows:
        code = str(row.code or "").strip()
        if not code:
            continue
        try:
            if normalise_code(code) not in known:  # nobody's: no need to ask the database
                raise UnknownCode(f"no advocate has the referral code {_shown(code)}")
            done = attribute(engine, row.external_id, code, actor=actor, now=now, source="import")
        except (InvalidInput, NotFound) as exc:
            counts["unknown_codes" if isinstance(exc, UnknownCode) else "refused"] += 1
            if len(problems) < 50:
                problems.append({"customer_id": row.external_id, "reason": str(exc)})
            continue
        counts["attributed"] += int(done["created"])
    return {**counts, "problems": problems}


# --- referred customers and their value -------------------------------------------------------


def _money(value: float) -> float:
    return round(float(value), 2)


def referrals_by_advocate(engine: Engine, *, now: dt.datetime) -> dict[int, list[dict[str, Any]]]:
    """Each advocate's referred customers at ``now``: the advocate's catalogue id → a list of
    ``customer_id`` (the company's id), ``name``, ``code``, ``source``, ``attributed_at`` (ISO
    date), ``orders`` and ``revenue`` (per currency) since attribution, oldest referral first."""
    return {
        advocate: [{k: v for k, v in entry.items() if k != "id"} for entry in entries]
        for advocate, entries in _referred(engine, now).items()
    }


def _referred(engine: Engine, now: dt.datetime) -> dict[int, list[dict[str, Any]]]:
    """:func:`referrals_by_advocate`, each referred customer with their catalogue ``id``."""
    r, c, o = REFERRALS.c, CUSTOMERS.c, ORDERS.c
    with engine.connect() as connection:
        referrals = connection.execute(
            select(r.advocate_id, r.referred_customer_id, r.code, r.source, r.attributed_at,
                   c.external_id, c.name)
            .join(CUSTOMERS, c.id == r.referred_customer_id)
            .where(r.attributed_at <= now)
            .order_by(r.attributed_at, r.id)
        ).all()  # fmt: skip
        orders = connection.execute(
            select(o.customer_id, o.currency, func.count().label("n"),
                   func.sum(o.amount).label("revenue"))
            .join(REFERRALS, r.referred_customer_id == o.customer_id)
            .where(o.ordered_at >= r.attributed_at, o.ordered_at <= now, r.attributed_at <= now,
                   o.status.is_(None) | func.lower(o.status).not_in(NOT_COUNTED))
            .group_by(o.customer_id, o.currency)
        ).all()  # fmt: skip
    bought: dict[int, tuple[int, dict[str, float]]] = {}
    for row in orders:
        count, revenue = bought.get(row.customer_id, (0, {}))
        currency = (row.currency or NO_CURRENCY).upper()
        revenue[currency] = revenue.get(currency, 0.0) + float(row.revenue or 0)
        bought[row.customer_id] = (count + int(row.n), revenue)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in referrals:
        count, revenue = bought.get(row.referred_customer_id, (0, {}))
        found[int(row.advocate_id)].append({
            "customer_id": row.external_id,
            "name": row.name,
            "code": row.code,
            "source": row.source,
            "attributed_at": row.attributed_at.date().isoformat(),
            "orders": count,
            "revenue": {k: _money(v) for k, v in sorted(revenue.items())},
            "id": int(row.referred_customer_id),
        })  # fmt: skip
    return dict(found)


def expected_clv(row: dict[str, Any] | None) -> tuple[str, float] | None:
    """What a customer (a row of ``advocacy clv``'s table) is still expected to bring, in their
    currency: yearly revenue × expected lifespan, 0 for a cancelled contract; ``None`` for a
    customer without orders."""
    if row is None or not row.get("currency") or row.get("yearly_revenue") is None:
        return None
    if row.get("churned"):
        return str(row["currency"]), 0.0
    return str(row["currency"]), float(row["yearly_revenue"]) * float(row["lifespan_years"] or 0)


def _add(total: dict[str, float], amounts: Iterable[tuple[str, float]]) -> None:
    for currency, amount in amounts:
        total[currency] = total.get(currency, 0.0) + amount


def referral_report(
    engine: Engine, *, now: dt.datetime, advocate: str | None = None
) -> list[dict[str, Any]]:
    """Per advocate with a code or a referral (only ``advocate``, the company's customer id,
    when given): ``customer_id``, ``name``, ``status``, ``code``, ``visits_30_days`` and
    ``visits`` (up to ``now``), ``referred_customers`` (a count) and ``referred`` (each with
    their orders, revenue and expected CLV), ``orders``, ``revenue``, ``expected_clv`` and
    ``value_created`` (per currency, as the module docstring defines them); highest value
    first."""
    only = advocate_id_of(engine, advocate) if advocate is not None else None
    referred = _referred(engine, now)
    a, c, k = ADVOCATES.c, CUSTOMERS.c, CLICKS.c
    recent = now - dt.timedelta(days=RECENT_DAYS)
    with engine.connect() as connection:
        query = (
            select(a.customer_id, a.status, a.referral_code, c.external_id, c.name)
            .join(CUSTOMERS, c.id == a.customer_id)
        )  # fmt: skip
        if only is not None:
            query = query.where(a.customer_id == only)
        people = connection.execute(query).all()
        visits = {
            row.advocate_id: (int(row.recent or 0), int(row.every))
            for row in connection.execute(
                select(k.advocate_id, func.count().label("every"),
                       func.sum(case((k.at > recent, 1), else_=0)).label("recent"))
                .where(k.at <= now).group_by(k.advocate_id)
            )
        }  # fmt: skip
    book = CustomerValueBook(engine, now)
    report = []
    for person in people:
        entries = referred.get(int(person.customer_id), [])
        if not person.referral_code and not entries:
            continue
        revenue: dict[str, float] = {}
        future: dict[str, float] = {}
        shown = []
        for entry in entries:
            _add(revenue, entry["revenue"].items())
            expected = expected_clv(book.of(entry["id"]))
            if expected is not None:
                _add(future, [expected])
            public = {k: v for k, v in entry.items() if k != "id"}
            shown.append({**public, "expected_clv": None if expected is None else
                          {expected[0]: _money(expected[1])}})  # fmt: skip
        value: dict[str, float] = {}
        _add(value, revenue.items())
        _add(value, future.items())
        recent_visits, all_visits = visits.get(person.customer_id, (0, 0))
        report.append({
            "customer_id": person.external_id,
            "name": person.name,
            "status": person.status,
            "code": person.referral_code,
            "visits_30_days": recent_visits,
            "visits": all_visits,
            "referred_customers": len(entries),
            "referred": shown,
            "orders": sum(entry["orders"] for entry in entries),
            "revenue": {k: _money(v) for k, v in sorted(revenue.items())},
            "expected_clv": {k: _money(v) for k, v in sorted(future.items())},
            "value_created": {k: _money(v) for k, v in sorted(value.items())},
        })  # fmt: skip
    report.sort(key=lambda row: (-max(row["value_created"].values(), default=0.0),
                                 -row["referred_customers"], row["customer_id"]))  # fmt: skip
    return report
