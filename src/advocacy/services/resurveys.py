"""Re-surveys: asking a customer again once their case is resolved, to see whether it helped.

:func:`resurvey` makes one personal invitation (an e-mail when the customer has an address,
else a personal link) to a survey for the customer of a resolved or closed case, links it to
the case (``cases.resurvey_invitation_id``) and writes ``resurvey`` on the timeline. A case is
re-surveyed once. The rules of contact hold — an unsubscribed customer or one whose consent is
withdrawn (or not given where it is required) is not asked — but the "one survey per period"
rule does not: the customer was surveyed shortly before, and asking again is the point.

Automatic re-surveys are the ``case_rules`` row named ``resurvey``: ``enabled`` with
``params = {"survey": KEY, "delay_days": N}`` (no row: off). The worker's
:func:`resurvey_resolved` then asks the customer of every case resolved at least ``delay_days``
ago (and at most :data:`LATE_LIMIT` more: a case solved months ago is not asked about), once.
A customer the rules say not to ask gets a ``skipped`` invitation with the reason, as the
survey triggers do, so the case is not tried again and who was not asked can be answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from advocacy.config import Settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.services.cases import CASES, _event
from advocacy.services.invitations import invitation_row
from advocacy.services.surveys import contact_facts, get_survey, policy_of, read_survey
from advocacy.store.tables import CaseRule, Customer, SurveyInvitation
from advocacy.surveys import rules
from advocacy.surveys.texts import language_of

RULES = cast(Table, CaseRule.__table__)
SETTING = "resurvey"
DONE = ("resolved", "closed")
#: A case resolved longer ago than its delay and this is not re-surveyed automatically.
LATE_LIMIT = dt.timedelta(days=14)
BATCH = 500


def resurvey_setting(engine: Engine) -> dict[str, Any]:
    """The automatic re-survey: ``enabled``, ``survey``, ``delay_days`` (off without a row)."""
    with engine.connect() as connection:
        row = connection.execute(select(RULES).where(RULES.c.name == SETTING)).first()
    if row is None:
        return {"enabled": False, "survey": None, "delay_days": None, "updated_at": None,
                "updated_by": None}  # fmt: skip
    params = dict(row.params or {})
    return {
        "enabled": bool(row.enabled),
        "survey": params.get("survey"),
        "delay_days": params.get("delay_days"),
        "updated_at": row.updated_at.isoformat(),
        "updated_by": row.updated_by,
    }


def set_resurvey(
    engine: Engine,
    *,
    survey_key: str | None,
    delay_days: int | None,
    enabled: bool,
    actor: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """Turn the automatic re-survey on (with a survey that exists and a delay of 0–365 days)
    or off (keeping the survey and delay it had)."""
    current = resurvey_setting(engine)
    key = survey_key if survey_key is not None else current["survey"]
    delay = delay_days if delay_days is not None else current["delay_days"]
    if delay is not None and (
        not isinstance(delay, int) or isinstance(delay, bool) or not 0 <= delay <= 365
    ):
        raise InvalidInput("delay_days: a whole number from 0 to 365")
    if key is not None:
        key = get_survey(engine, key).key  # refuses a survey that does not exist
    if enabled and (key is None or delay is None):
        raise InvalidInput("name the survey and the delay in days to re-survey with")
    values = {
        "enabled": enabled,
        "params": {"survey": key, "delay_days": delay},
        "updated_at": now,
        "updated_by": actor,
    }
    for _attempt in range(2):
        try:
            with engine.begin() as connection:
                done = connection.execute(
                    update(RULES).where(RULES.c.name == SETTING).values(**values)
                ).rowcount
                if not done:
                    connection.execute(insert(RULES).values(name=SETTING, **values))
            break
        except IntegrityError:  # made by someone else meanwhile: update it
            continue
    return resurvey_setting(engine)


def _resurvey(
    connection: Connection,
    settings: Settings,
    case_id: int,
    *,
    survey_key: str,
    now: dt.datetime,
    actor: str,
    automatic: bool,
) -> tuple[int, str]:
    """Make and link the re-survey invitation of one case, on the caller's transaction;
    its id and status."""
    c = Customer.__table__.c
    case = connection.execute(
        select(CASES.c.id, CASES.c.status, CASES.c.customer_id, CASES.c.language,
               CASES.c.resurvey_invitation_id, c.locale)
        .select_from(CASES.outerjoin(Customer.__table__, c.id == CASES.c.customer_id))
        .where(CASES.c.id == case_id)
        .with_for_update(of=CASES)
    ).first()  # fmt: skip
    if case is None:
        raise NotFound(f"no case {case_id}")
    if case.resurvey_invitation_id is not None:
        raise InvalidInput(
            f"case {case_id} was re-surveyed already (invitation {case.resurvey_invitation_id})"
        )
    if case.customer_id is None:
        raise InvalidInput(f"case {case_id} has no customer to re-survey")
    if case.status not in DONE:
        raise InvalidInput(f"case {case_id} is {case.status}: resolve it before re-surveying")
    survey = read_survey(connection, survey_key)
    if not survey.active:
        raise InvalidInput(f"survey {survey.key!r} is not active")
    facts = contact_facts(connection, [case.customer_id])[case.customer_id]
    channel = "email" if facts.email and "@" in facts.email else "link"
    reason = rules.refusal(
        facts,
        policy_of(survey, settings),
        now,
        needs_email=channel == "email",
        check_frequency=False,  # the re-survey follows a survey on purpose
    )
    if reason and not automatic:
        raise InvalidInput(f"the customer of case {case_id} may not be asked: {reason}")
    languages = dict.fromkeys(survey.languages)
    language = (
        case.language
        if case.language in languages
        else language_of(case.locale, languages, survey.default_language)
    )
    status = "skipped" if reason else "queued" if channel == "email" else "link"
    row = invitation_row(
        survey,
        customer_id=case.customer_id,
        order_id=None,
        channel=channel,
        language=language,
        email=facts.email if channel == "email" else None,
        status=status,
        error=reason,
        now=now,
        trigger_key=f"case:{case_id}",
    )
    invitation_id = int(
        connection.execute(insert(SurveyInvitation).values(**row)).inserted_primary_key[0]  # type: ignore[index]
    )
    linked = connection.execute(
        update(CASES)
        .where(CASES.c.id == case_id, CASES.c.resurvey_invitation_id.is_(None))
        .values(resurvey_invitation_id=invitation_id, updated_at=now)
    ).rowcount
    if not linked:  # re-surveyed meanwhile: the caller's transaction drops the invitation
        raise InvalidInput(f"case {case_id} was re-surveyed already")
    _event(connection, case_id, now, actor, "resurvey", invitation_id=invitation_id,
           survey=survey.key, channel=channel, status=status,
           **({"reason": reason} if reason else {}))  # fmt: skip
    return invitation_id, status


def resurvey(
    engine: Engine,
    settings: Settings,
    case_id: int,
    *,
    survey_key: str,
    now: dt.datetime,
    actor: str,
) -> int:
    """Re-survey the customer of a resolved (or closed) case with ``survey_key``; returns the
    invitation's id. Refused for a case without a customer, one still open, one re-surveyed
    already, or a customer the rules of contact say not to ask."""
    try:
        with engine.begin() as connection:
            invitation_id, _status = _resurvey(
                connection, settings, case_id, survey_key=survey_key, now=now, actor=actor,
                automatic=False,
            )  # fmt: skip
    except IntegrityError:  # the same case and survey asked at the same moment elsewhere
        raise InvalidInput(f"case {case_id} was re-surveyed already") from None
    return invitation_id


def resurvey_resolved(engine: Engine, settings: Settings, *, now: dt.datetime) -> int:
    """Re-survey every case resolved at least the setting's ``delay_days`` ago (and at most
    :data:`LATE_LIMIT` more) that has a customer and was not re-surveyed; returns the
    invitations made that ask the customer (skipped ones not counted). Off: 0."""
    setting = resurvey_setting(engine)
    if not setting["enabled"] or not setting["survey"] or setting["delay_days"] is None:
        return 0
    try:
        survey = get_survey(engine, setting["survey"])
    except NotFound:
        return 0
    if not survey.active:
        return 0
    latest = now - dt.timedelta(days=int(setting["delay_days"]))
    done_at = func.coalesce(CASES.c.resolved_at, CASES.c.closed_at)
    asked = 0
    while True:
        with engine.connect() as connection:
            due = list(
                connection.scalars(
                    select(CASES.c.id)
                    .where(
                        CASES.c.status.in_(DONE),
                        CASES.c.customer_id.is_not(None),
                        CASES.c.resurvey_invitation_id.is_(None),
                        done_at <= latest,
                        done_at >= latest - LATE_LIMIT,
                    )
                    .order_by(done_at, CASES.c.id)
                    .limit(BATCH)
                )
            )
        made = 0
        for case_id in due:
            try:
                with engine.begin() as connection:
                    _id, status = _resurvey(
                        connection, settings, case_id, survey_key=survey.key, now=now,
                        actor="resurvey", automatic=True,
                    )  # fmt: skip
            except (InvalidInput, IntegrityError):  # re-surveyed or reopened meanwhile
                continue
            made += 1
            asked += status != "skipped"
        if len(due) < BATCH or not made:
            break
    return asked
