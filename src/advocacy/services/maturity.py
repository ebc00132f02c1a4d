"""The organisation's advocacy maturity: which of the articles' four levels it works at, shown
from its own data, with the evidence and what would reach the next level.

The articles measure how developed customer advocacy is by how far it reaches across the
company's departments:

1. **Individual advocates** — single employees in customer service answer urgent needs;
2. **Advocacy team** — a team that, besides solving customers' needs, collects information to
   identify and prioritise them, to show the company how to improve;
3. **Dedicated team across the company** — an internal team in charge of coordinating and
   applying advocacy in the whole company;
4. **Advocacy everywhere** — every strategy of the organisation follows advocacy's principles
   and every employee does advocacy work for the customers.

:func:`assess` measures each level's criteria (:data:`CRITERIA`, each with its threshold and
the reason for it in ``docs/maturity.md``) over a window of the last ``days`` days (90 by
default: a quarter, long enough for the re-surveys and the advocate programme to show). Levels
are cumulative: level N is reached when every criterion of levels 1 to N is met. Level 1 is the
floor — every organisation is at least there, and its evidence says honestly what exists (even
"nobody has handled a case yet"). A share with nothing to measure (no detractor answers, no
tasks due) is not met: a level is claimed from evidence, never from its absence.

Who did the work is read from the cases (their owners, and the actors of their timelines) and
from the advocate programme (tasks done, rewards given, messages written). The system's own
actors (:data:`SYSTEM_ACTORS`) are not people; a user's name and e-mail are the same person.

There is no table of departments: a lead keeps a mapping team → department
(:func:`set_departments`, the ``departments`` row of ``advocate_settings``). A team without a
department counts as its own department, and the evidence says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, and_, func, insert, or_, select, update

from advocacy.errors import InvalidInput
from advocacy.services import case_rules
from advocacy.services.case_metrics import case_metrics
from advocacy.services.cases import CASE_ITEMS, CASES, EVENTS, RULES_WINDOW
from advocacy.store.engine import connected
from advocacy.store.tables import (
    Advocate,
    AdvocateReward,
    AdvocateSetting,
    AdvocateTask,
    AssignmentRule,
    CustomerMessage,
    FeedbackItem,
    Referral,
    User,
)

ITEMS = cast(Table, FeedbackItem.__table__)
USERS = cast(Table, User.__table__)
ASSIGNMENTS = cast(Table, AssignmentRule.__table__)
ADVOCATES = cast(Table, Advocate.__table__)
TASKS = cast(Table, AdvocateTask.__table__)
REWARDS = cast(Table, AdvocateReward.__table__)
SETTINGS = cast(Table, AdvocateSetting.__table__)
MESSAGES = cast(Table, CustomerMessage.__table__)
REFERRALS = cast(Table, Referral.__table__)

WINDOW_DAYS = 90
MAX_WINDOW_DAYS = 3650
#: The ``advocate_settings`` row holding the mapping team → department.
DEPARTMENTS_SETTING = "departments"
MAX_TEAMS = 200
MAX_NAME = 100
#: Actors of case timelines that are the program itself, not a person.
SYSTEM_ACTORS = frozenset(
    {"system", "rules", "sla", "assignment", "customer", "resurvey", "advocacy", "programme",
     "program", "worker", "import", "mail", "command line"}
)  # fmt: skip
#: The reactive rules that follow every unhappy customer up.
FOLLOW_UP_RULES = ("detractor", "negative_review", "urgent_ticket")
DETRACTOR_MAX = 6  # NPS 0–6, the articles' detractors
NEGATIVE_REVIEW_MAX = 0.4  # 2 of 5, as the negative_review rule
LEVELS: dict[int, tuple[str, str]] = {
    1: ("Individual advocates",
        "Single employees in customer service answer customers' urgent needs."),
    2: ("Advocacy team",
        "A team solves customers' needs and collects information to identify and prioritise "
        "them."),
    3: ("Dedicated team across the company",
        "A dedicated internal team coordinates and applies advocacy across the company."),
    4: ("Advocacy everywhere",
        "Every strategy follows advocacy's principles and every employee does advocacy work."),
}  # fmt: skip


@dataclass
class Facts:
    """What the criteria are measured on, gathered from the catalogue over the window."""

    handlers: set[str] = field(default_factory=set)
    cases: int = 0
    cases_answered: int = 0
    cases_with_value_at_risk: int = 0
    teams: set[str] = field(default_factory=set)
    assignment_teams: set[str] = field(default_factory=set)
    mapping: dict[str, str] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    items: int = 0
    items_with_text: int = 0
    analysed: int = 0
    unhappy: int = 0
    unhappy_followed: int = 0
    followed_since: dt.datetime | None = None
    follow_up_rules_on: list[str] = field(default_factory=list)
    leads: int = 0
    users: set[str] = field(default_factory=set)
    workers: set[str] = field(default_factory=set)
    sla_met: int = 0
    sla_judged: int = 0
    resolved: int = 0
    resurveyed: int = 0
    active_advocates: int = 0
    tasks_done: int = 0
    tasks_due: int = 0
    tasks_on_time: int = 0
    rewards: int = 0
    thank_yous: int = 0
    referrals: int = 0

    def department(self, team: str) -> str:
        return self.mapping.get(team, team)

    @property
    def departments(self) -> set[str]:
        return {self.department(team) for team in self.teams}


@dataclass(frozen=True)
class Criterion:
    """One criterion of one level: what it measures, its target, and the step that meets it."""

    level: int
    key: str
    criterion: str
    target: float
    share: bool
    measure: Callable[[Facts], tuple[float | None, str]]
    step: str

    def shown(self, value: float | None) -> str:
        if value is None:
            return "nothing to measure"
        return f"{round(value * 100, 1):g} %" if self.share else f"{value:g}"


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _names(values: Iterable[str], limit: int = 10) -> str:
    found = sorted(values)
    shown = ", ".join(found[:limit])
    return shown + (f" and {len(found) - limit} more" if len(found) > limit else "")


def _handlers(f: Facts) -> tuple[float, str]:
    if not f.handlers:
        return 0, "Nobody has handled a case in the window yet."
    return len(f.handlers), f"{len(f.handlers)} people handled cases: {_names(f.handlers)}."


def _answered(f: Facts) -> tuple[float, str]:
    return f.cases_answered, (
        f"{f.cases_answered} of the {f.cases} cases opened in the window got a first response "
        "or were resolved."
    )


def _sources(f: Facts) -> tuple[float, str]:
    if not f.sources:
        return 0, "No feedback was collected in the window."
    return len(f.sources), f"Feedback came from {len(f.sources)} sources: {_names(f.sources)}."


def _analysed(f: Facts) -> tuple[float | None, str]:
    return _ratio(f.analysed, f.items_with_text), (
        f"{f.analysed} of the {f.items_with_text} feedback items with a text in the window (of "
        f"{f.items} items) have their sentiment and themes from the text analysis."
    )


def _followed(f: Facts) -> tuple[float | None, str]:
    return _ratio(f.unhappy_followed, f.unhappy), (
        f"{f.unhappy_followed} of the {f.unhappy} detractor answers (0–6) and negative reviews "
        "(at most 2 of 5) of the window are in a case"
        + (f" (counted from {f.followed_since:%Y-%m-%d}: the first case less the rules' "
           f"{RULES_WINDOW.days}-day look-back)."
           if f.followed_since else ".")
    )  # fmt: skip


def _rules_on(f: Facts) -> tuple[float, str]:
    off = [name for name in FOLLOW_UP_RULES if name not in f.follow_up_rules_on]
    detail = f"Rules on: {_names(f.follow_up_rules_on) or 'none'}"
    return len(f.follow_up_rules_on), detail + (f"; off: {_names(off)}." if off else ".")


def _value_at_risk(f: Facts) -> tuple[float, str]:
    return f.cases_with_value_at_risk, (
        f"{f.cases_with_value_at_risk} cases of the window carry the value at risk."
    )


def _leads(f: Facts) -> tuple[float, str]:
    return f.leads, f"{f.leads} active users have the advocacy lead role."


def _teams(f: Facts) -> tuple[float, str]:
    if not f.teams:
        return 0, "No case of the window was given a team."
    return len(f.teams), f"Teams that handled cases: {_names(f.teams)}."


def _departments(f: Facts) -> tuple[float, str]:
    if not f.teams:
        return 0, "No case of the window was given a team, so no department is reached."
    unmapped = sorted(team for team in f.teams if team not in f.mapping)
    detail = f"Departments reached: {_names(f.departments)}."
    if not f.mapping:
        detail += " No departments are set: each team counts as its own department."
    elif unmapped:
        detail += f" Teams without a department, counted as their own: {_names(unmapped)}."
    return len(f.departments), detail


def _sla(f: Facts) -> tuple[float | None, str]:
    return _ratio(f.sla_met, f.sla_judged), (
        f"{f.sla_met} of the {f.sla_judged} cases judged (resolved, or open past due) were "
        "resolved within their SLA."
    )


def _resurveyed(f: Facts) -> tuple[float | None, str]:
    return _ratio(min(f.resurveyed, f.resolved), f.resolved), (
        f"{f.resurveyed} of the {f.resolved} resolved cases of the window asked the customer again."
    )


def _active_advocates(f: Facts) -> tuple[float, str]:
    return f.active_advocates, f"{f.active_advocates} active advocates in the programme."


def _tasks_done(f: Facts) -> tuple[float, str]:
    return f.tasks_done, f"{f.tasks_done} advocate tasks were done in the window."


def _people_share(f: Facts) -> tuple[float | None, str]:
    doing = f.workers & f.users
    return _ratio(len(doing), len(f.users)), (
        f"{len(doing)} of the {len(f.users)} active users did advocacy work in the window "
        "(cases, advocate tasks, rewards, messages)."
    )


def _on_time(f: Facts) -> tuple[float | None, str]:
    return _ratio(f.tasks_on_time, f.tasks_due), (
        f"{f.tasks_on_time} of the {f.tasks_due} advocate tasks due in the window were done by "
        "their due date."
    )


def _count(attribute: str, words: str) -> Callable[[Facts], tuple[float, str]]:
    def measure(f: Facts) -> tuple[float, str]:
        value = int(getattr(f, attribute))
        return value, f"{value} {words} in the window."

    return measure


CRITERIA: tuple[Criterion, ...] = (
    Criterion(1, "people_handling_cases", "People who handled customers' cases", 1, False,
              _handlers, "Have someone own and answer customers' cases"),
    Criterion(1, "cases_answered", "Cases answered or resolved", 1, False, _answered,
              "Answer or resolve the customers' cases"),
    Criterion(2, "team_size", "A team, not individuals: people handling cases", 3, False,
              _handlers, "Have at least 3 people handle cases as a team"),
    Criterion(2, "feedback_sources", "Feedback sources collected", 3, False, _sources,
              "Collect feedback from at least 3 sources (surveys, review sites, social media, "
              "tickets)"),
    Criterion(2, "analysed_share", "Feedback catalogued by sentiment and themes", 0.8, True,
              _analysed, "Run the text analysis on at least 80 % of the feedback with a text"),
    Criterion(2, "followed_up_share", "Detractors and negative reviews followed up by a case",
              0.8, True, _followed,
              "Follow at least 80 % of detractor answers and negative reviews up with a case"),
    Criterion(2, "follow_up_rules_on", "Follow-up rules on", 3, False, _rules_on,
              "Switch the detractor, negative review and urgent ticket rules on"),
    Criterion(2, "value_at_risk_cases", "Cases prioritised by their value at risk", 1, False,
              _value_at_risk, "Open cases with their value at risk (proactive rules)"),
    Criterion(3, "leads", "An advocacy lead coordinating", 1, False, _leads,
              "Give at least one user the advocacy lead role"),
    Criterion(3, "teams", "Teams handling cases", 2, False, _teams,
              "Have cases handled by at least 2 teams"),
    Criterion(3, "departments", "Departments reached", 2, False, _departments,
              "Reach at least 2 departments with the cases' teams"),
    Criterion(3, "sla_met_share", "Cases resolved within their SLA", 0.8, True, _sla,
              "Resolve at least 80 % of cases within their SLA"),
    Criterion(3, "resurveyed_share", "Resolved cases whose customer was asked again", 0.5, True,
              _resurveyed, "Re-survey the customers of at least 50 % of resolved cases"),
    Criterion(3, "active_advocates", "Active brand advocates in the programme", 1, False,
              _active_advocates, "Bring at least one active advocate into the programme"),
    Criterion(3, "advocate_tasks_done", "Advocate tasks done", 1, False, _tasks_done,
              "Do the advocate programme's tasks"),
    Criterion(4, "people_share", "Users doing advocacy work", 0.75, True, _people_share,
              "Have at least 75 % of the users do advocacy work"),
    Criterion(4, "departments_wide", "Departments reached, company-wide", 3, False,
              _departments, "Reach at least 3 departments with the cases' teams"),
    Criterion(4, "followed_up_all", "Every unhappy customer followed up", 0.95, True, _followed,
              "Follow at least 95 % of detractor answers and negative reviews up with a case"),
    Criterion(4, "sla_met_high", "Cases resolved within their SLA, nearly always", 0.9, True,
              _sla, "Resolve at least 90 % of cases within their SLA"),
    Criterion(4, "tasks_on_time_share", "Advocate tasks done on time", 0.8, True, _on_time,
              "Do at least 80 % of advocate tasks by their due date"),
    Criterion(4, "thank_yous_sent", "Thank-you messages sent to advocates", 1, False,
              _count("thank_yous", "thank-you messages were sent"),
              "Thank promoters and happy reviewers with a message"),
    Criterion(4, "rewards_given", "Rewards given to advocates", 1, False,
              _count("rewards", "rewards were given"), "Recognise advocates with rewards"),
    Criterion(4, "referrals", "Customers referred by advocates", 1, False,
              _count("referrals", "customers were referred by advocates"),
              "Attribute customers referred by advocates"),
)  # fmt: skip


def evaluate(facts: Facts) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    """The level, the evidence and the next steps of ``facts`` (pure: no database)."""
    measured = []
    for criterion in CRITERIA:
        value, detail = criterion.measure(facts)
        measured.append((criterion, value, detail, value is not None and value >= criterion.target))
    level = 1
    for candidate in (2, 3, 4):
        if all(met for criterion, _, _, met in measured if criterion.level <= candidate):
            level = candidate
        else:
            break
    evidence: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for criterion, value, detail, met in measured:
        evidence.append({
            "level": criterion.level, "key": criterion.key, "criterion": criterion.criterion,
            "met": met, "value": value, "target": criterion.target,
            "unit": "share" if criterion.share else "count", "detail": detail,
        })  # fmt: skip
        if level < 4 and criterion.level <= level + 1 and not met:
            steps.append({
                "level": criterion.level, "key": criterion.key,
                "step": f"{criterion.step}: now {criterion.shown(value)}, target "
                        f"{criterion.shown(criterion.target)}.",
                "value": value, "target": criterion.target,
            })  # fmt: skip
    return level, evidence, steps


# --- departments -----------------------------------------------------------------------------


def departments(engine: Engine | Connection) -> dict[str, str]:
    """The mapping team → department a lead set (empty when none is)."""
    query = select(SETTINGS.c.value).where(SETTINGS.c.name == DEPARTMENTS_SETTING)
    with connected(engine) as connection:
        value = connection.execute(query).scalar()
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _clean_name(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what}: a text, not {type(value).__name__}")
    name = " ".join(value.split())
    if not 0 < len(name) <= MAX_NAME:
        raise InvalidInput(f"{what}: 1 to {MAX_NAME} characters")
    return name


def check_departments(mapping: Any) -> dict[str, str]:
    """``mapping`` (team → department) checked: names of 1–100 characters (spaces tidied), at
    most 200 teams, each team once."""
    if not isinstance(mapping, Mapping):
        raise InvalidInput("departments: an object mapping each team to its department")
    if len(mapping) > MAX_TEAMS:
        raise InvalidInput(f"departments: at most {MAX_TEAMS} teams, not {len(mapping):,}")
    clean: dict[str, str] = {}
    for team, department in mapping.items():
        name = _clean_name(team, "team")
        if name in clean:
            raise InvalidInput(f"team {name[:60]!r} is given twice")
        clean[name] = _clean_name(department, f"department of {name[:60]!r}")
    return dict(sorted(clean.items()))


def set_departments(
    engine: Engine, mapping: Mapping[str, str], *, actor: str, now: dt.datetime
) -> dict[str, str]:
    """Replace the mapping team → department (checked by :func:`check_departments`); an empty
    mapping goes back to each team being its own department. Returns the mapping kept."""
    clean = check_departments(mapping)
    values = {"value": clean, "updated_at": now, "updated_by": actor}
    with engine.begin() as connection:
        found = connection.execute(
            update(SETTINGS).where(SETTINGS.c.name == DEPARTMENTS_SETTING).values(**values)
        ).rowcount
        if not found:
            connection.execute(insert(SETTINGS).values(name=DEPARTMENTS_SETTING, **values))
    return clean


def set_department(
    engine: Engine, team: str, department: str | None, *, actor: str, now: dt.datetime
) -> dict[str, str]:
    """Put one ``team`` in ``department`` (``None`` or blank: take it out of any)."""
    name = _clean_name(team, "team")
    mapping = departments(engine)
    if department is None or not department.strip():
        mapping.pop(name, None)
    else:
        mapping[name] = department
    return set_departments(engine, mapping, actor=actor, now=now)


def known_teams(engine: Engine) -> list[str]:
    """Every team named on a case, an assignment rule or the mapping, sorted."""
    with engine.connect() as connection:
        found = set(connection.scalars(select(CASES.c.team).distinct()))
        found |= set(connection.scalars(select(ASSIGNMENTS.c.team).distinct()))
        found |= set(departments(connection))
    return sorted({" ".join(t.split()) for t in found if t and t.strip()})


# --- gathering -------------------------------------------------------------------------------


class _People:
    """Who is who: a user's e-mail and name are the same person; system actors are no one."""

    def __init__(self, users: Iterable[Any]) -> None:
        self.by_name: dict[str, str] = {}
        for user in users:
            if user.name and user.name.strip():
                self.by_name[user.name.strip().lower()] = user.email.lower()

    def of(self, actor: str | None) -> str | None:
        who = (actor or "").strip().lower()
        if not who or who in SYSTEM_ACTORS:
            return None
        return str(self.by_name.get(who, who))


def _gather(connection: Connection, start: dt.datetime, now: dt.datetime) -> Facts:
    facts = Facts()
    users = connection.execute(
        select(USERS.c.email, USERS.c.name, USERS.c.role).where(USERS.c.active.is_(True))
    ).all()
    people = _People(users)
    facts.users = {user.email.lower() for user in users}
    facts.leads = sum(user.role == "lead" for user in users)
    facts.mapping = departments(connection)

    c = CASES.c
    in_window = and_(c.opened_at >= start, c.opened_at <= now)
    cases = connection.execute(
        select(c.owner, c.team, c.first_response_at, c.resolved_at, c.closed_at,
               c.value_at_risk).where(in_window)
    ).all()  # fmt: skip
    facts.cases = len(cases)
    for case in cases:
        facts.cases_answered += bool(case.first_response_at or case.resolved_at or case.closed_at)
        facts.cases_with_value_at_risk += case.value_at_risk is not None
        if case.team and case.team.strip():
            facts.teams.add(" ".join(case.team.split()))
        who = people.of(case.owner)
        if who:
            facts.handlers.add(who)
    actors = connection.scalars(
        select(EVENTS.c.actor).where(EVENTS.c.at >= start, EVENTS.c.at <= now).distinct()
    )
    facts.handlers |= {who for who in map(people.of, actors) if who}
    facts.assignment_teams = {
        team for team in connection.scalars(
            select(ASSIGNMENTS.c.team).where(ASSIGNMENTS.c.enabled.is_(True))
        ) if team
    }  # fmt: skip

    f = ITEMS.c
    items_in_window = and_(f.occurred_at >= start, f.occurred_at <= now)
    # Only what has words can be catalogued: an NPS answer without a comment has no themes.
    worded = or_(func.coalesce(f.text, "") != "", func.coalesce(f.title, "") != "")
    analysed = and_(f.analyzed_at.is_not(None), f.sentiment.is_not(None))
    for kind, platform, has_text, done, count in connection.execute(
        select(f.kind, f.platform, worded.label("worded"), analysed.label("analysed"),
               func.count())
        .where(items_in_window).group_by(f.kind, f.platform, "worded", "analysed")
    ):  # fmt: skip
        facts.items += count
        facts.items_with_text += count if has_text else 0
        facts.analysed += count if has_text and done else 0
        facts.sources.add(f"{kind}: {platform.strip().lower()}" if platform else kind)
    unhappy = or_(
        and_(f.kind == "nps", f.rating <= DETRACTOR_MAX),
        and_(f.kind == "review", f.rating_normalized <= NEGATIVE_REVIEW_MAX),
    )
    cased = select(CASE_ITEMS.c.feedback_item_id).where(CASE_ITEMS.c.feedback_item_id == f.id)
    # Feedback from before Advocacy followed customers up (history imported from before the
    # first case, less the rules' look-back) is not held against the organisation.
    first_case = connection.scalar(select(func.min(c.opened_at)))
    first = None if first_case is None else first_case - RULES_WINDOW
    if first is not None and first > start:
        facts.followed_since = first
    followed_window = and_(f.occurred_at >= max(start, first or start), f.occurred_at <= now)
    row = connection.execute(
        select(func.count(), func.count().filter(cased.exists())).where(followed_window, unhappy)
    ).one()
    facts.unhappy, facts.unhappy_followed = int(row[0]), int(row[1])
    facts.follow_up_rules_on = [
        rule.name for rule, enabled, _ in case_rules.effective(connection)
        if enabled and rule.name in FOLLOW_UP_RULES
    ]  # fmt: skip

    _gather_programme(connection, facts, people, start, now)
    facts.workers |= facts.handlers
    return facts


def _gather_programme(
    connection: Connection, facts: Facts, people: _People, start: dt.datetime, now: dt.datetime
) -> None:
    t = TASKS.c
    facts.active_advocates = int(
        connection.scalar(select(func.count()).where(ADVOCATES.c.status == "active")) or 0
    )
    done = connection.execute(
        select(t.done_by).where(t.status == "done", t.done_at >= start, t.done_at <= now)
    ).all()
    facts.tasks_done = len(done)
    due = connection.execute(
        select(t.status, t.done_at, t.due_at).where(
            t.due_at >= start, t.due_at <= now, t.status != "skipped"
        )
    ).all()
    facts.tasks_due = len(due)
    facts.tasks_on_time = sum(
        task.status == "done" and task.done_at is not None and task.done_at <= task.due_at
        for task in due
    )
    given = connection.execute(
        select(REWARDS.c.given_by).where(REWARDS.c.given_at >= start, REWARDS.c.given_at <= now)
    ).all()
    facts.rewards = len(given)
    m = MESSAGES.c
    facts.thank_yous = int(
        connection.scalar(
            select(func.count()).where(
                m.kind == "thank_you", m.status == "sent", m.sent_at >= start, m.sent_at <= now
            )
        )
        or 0
    )
    writers = connection.scalars(
        select(m.created_by).where(m.created_at >= start, m.created_at <= now).distinct()
    )
    r = REFERRALS.c
    facts.referrals = int(
        connection.scalar(
            select(func.count()).where(r.attributed_at >= start, r.attributed_at <= now)
        )
        or 0
    )
    for actor in [*(row.done_by for row in done), *(row.given_by for row in given), *writers]:
        who = people.of(actor)
        if who:
            facts.workers.add(who)


def assess(engine: Engine, *, now: dt.datetime, days: int = WINDOW_DAYS) -> dict[str, Any]:
    """The organisation's advocacy maturity at ``now`` over the last ``days`` days.

    Returns ``level`` (1–4), its ``name`` and ``description``, ``levels`` (each with whether
    it is reached and how many of its criteria are met), ``evidence`` (every criterion with
    ``level``, ``key``, ``criterion``, ``met``, ``value``, ``target``, ``unit`` — ``count``
    or ``share`` (0–1) — and a ``detail`` sentence), ``next_steps`` (the unmet criteria up to
    the next level, each with a ``step`` sentence; empty at level 4), ``window`` and
    ``departments`` (the mapping, and the department each team of the window counts in).
    """
    if not 1 <= days <= MAX_WINDOW_DAYS:
        raise InvalidInput(f"days: from 1 to {MAX_WINDOW_DAYS}")
    start = now - dt.timedelta(days=days)
    with engine.connect() as connection:
        facts = _gather(connection, start, now)
    loop = case_metrics(engine, now=now, since=start)["overall"]
    facts.sla_met, facts.sla_judged = int(loop["sla"]["met"]), int(loop["sla"]["judged"])
    facts.resolved, facts.resurveyed = int(loop["resolved"]), int(loop["resurvey"]["sent"])
    level, evidence, steps = evaluate(facts)
    levels = []
    for number, (name, description) in LEVELS.items():
        mine = [e for e in evidence if e["level"] == number]
        levels.append({
            "level": number, "name": name, "description": description,
            "reached": number <= level, "current": number == level,
            "criteria": len(mine), "met": sum(e["met"] for e in mine),
        })  # fmt: skip
    return {
        "level": level,
        "name": LEVELS[level][0],
        "description": LEVELS[level][1],
        "levels": levels,
        "evidence": evidence,
        "next_steps": steps,
        "window": {"days": days, "start": start.isoformat(), "end": now.isoformat()},
        "departments": {
            "mapping": facts.mapping,
            "set": bool(facts.mapping),
            "teams": {team: facts.department(team) for team in sorted(facts.teams)},
            "assignment_teams": sorted(facts.assignment_teams),
        },
    }
