"""The organisation's advocacy maturity, assessed on crafted organisations at each of the four
levels (people, cases with owners, teams and timelines, feedback, SLA, re-surveys, the advocate
programme), with the evidence worked out by hand; an empty catalogue is honestly at level 1;
the mapping of teams to departments refuses malformed and huge input. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import Engine, Table, insert, update

from advocacy.errors import InvalidInput
from advocacy.services import maturity
from advocacy.store.engine import build_engine
from advocacy.store.tables import (
    Advocate,
    AdvocateReward,
    AdvocateTask,
    Case,
    CaseEvent,
    CaseItem,
    Customer,
    CustomerMessage,
    FeedbackItem,
    Referral,
    Survey,
    SurveyInvitation,
    User,
)
from tests.e2e.test_cli import run

NOW = dt.datetime(2026, 11, 23, 12, 0)
HOSTILE_TEAM = "Retention <script>alert(1)</script>"


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def ago(days: float, hours: float = 0) -> dt.datetime:
    return NOW - dt.timedelta(days=days) + dt.timedelta(hours=hours)


class Organisation:
    """Rows written straight into the tables, as the other parts of the product write them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.customers: dict[str, int] = {}
        self.items: dict[str, int] = {}
        self.cases: dict[str, int] = {}
        self.survey_id: int | None = None

    def _insert(self, model: Any, **values: Any) -> int:
        with self.engine.begin() as connection:
            key = connection.execute(insert(_t(model)).values(**values)).inserted_primary_key
        return int(key[0])  # type: ignore[index]

    def user(self, email: str, role: str, name: str | None = None, active: bool = True) -> None:
        self._insert(User, email=email, name=name, role=role, password_hash="-", active=active,
                     created_at=ago(200), password_changed_at=ago(200))  # fmt: skip

    def customer(self, ref: str) -> int:
        self.customers[ref] = self._insert(Customer, external_id=ref, name=f"Customer {ref}")
        return self.customers[ref]

    def item(self, ref: str, kind: str, days: float, *, rating: float | None = None,
             scale: float | None = None, platform: str = "", customer: str | None = None,
             analysed: bool = False, text: str | None = "Some words") -> None:  # fmt: skip
        self.items[ref] = self._insert(
            FeedbackItem, kind=kind, platform=platform, external_id=ref, occurred_at=ago(days),
            rating=rating, rating_scale=scale,
            rating_normalized=None if rating is None or scale is None else rating / scale,
            customer_id=self.customers.get(customer or ""), text=text,
            sentiment="negative" if analysed else None, analyzed_at=NOW if analysed else None,
        )  # fmt: skip

    def analyse_all_but(self, *refs: str) -> None:
        f = _t(FeedbackItem).c
        skip = [self.items[ref] for ref in refs]
        with self.engine.begin() as connection:
            connection.execute(
                update(_t(FeedbackItem)).where(f.id.not_in(skip))
                .values(sentiment="neutral", analyzed_at=NOW, themes=["delivery"])
            )  # fmt: skip

    def case(self, ref: str, *, opened: dt.datetime, hours: float = 72, status: str = "open",
             owner: str | None = None, team: str | None = None, customer: str | None = None,
             items: tuple[str, ...] = (), type: str = "manual", rule: str | None = None,
             first_response: dt.datetime | None = None, resolved: dt.datetime | None = None,
             value_at_risk: float | None = None) -> None:  # fmt: skip
        self.cases[ref] = self._insert(
            Case, type=type, rule=rule, title=f"Case {ref}", priority="normal", status=status,
            owner=owner, team=team, customer_id=self.customers.get(customer or ""),
            opened_at=opened, due_at=opened + dt.timedelta(hours=hours),
            first_response_at=first_response, resolved_at=resolved, updated_at=opened,
            value_at_risk=value_at_risk, currency="EUR" if value_at_risk else None,
        )  # fmt: skip
        for item in items:
            self._insert(CaseItem, feedback_item_id=self.items[item], case_id=self.cases[ref],
                         added_at=opened)  # fmt: skip
        self.event(ref, "rules" if rule else "system", "opened", opened)

    def event(self, case: str, actor: str, kind: str, at: dt.datetime) -> None:
        self._insert(CaseEvent, case_id=self.cases[case], at=at, actor=actor, kind=kind,
                     detail={})  # fmt: skip

    def resolve(self, case: str, at: dt.datetime, actor: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(_t(Case)).where(_t(Case).c.id == self.cases[case])
                .values(status="resolved", resolved_at=at, first_response_at=at)
            )  # fmt: skip
        self.event(case, actor, "status", at)

    def resurvey(self, case: str, status: str = "sent") -> None:
        if self.survey_id is None:
            self.survey_id = self._insert(
                Survey, key="after-case", name="After a case", touchpoint="case", trigger="manual",
                default_language="en", texts={}, starts_at=ago(300), created_at=ago(300),
                updated_at=ago(300),
            )  # fmt: skip
        invitation = self._insert(
            SurveyInvitation, survey_id=self.survey_id, channel="email", language="en",
            nonce=f"n{case}", status=status, created_at=ago(1), expires_at=NOW + dt.timedelta(30),
        )  # fmt: skip
        with self.engine.begin() as connection:
            connection.execute(
                update(_t(Case)).where(_t(Case).c.id == self.cases[case])
                .values(resurvey_invitation_id=invitation)
            )  # fmt: skip

    def task(self, ref: str, *, due: dt.datetime, done: dt.datetime | None = None,
             by: str | None = None, status: str | None = None) -> None:  # fmt: skip
        self._insert(
            AdvocateTask, customer_id=self.customers["C2"], kind="share_post", title=f"Task {ref}",
            status=status or ("done" if done else "open"), owner=by, created_at=ago(60),
            due_at=due, done_at=done, done_by=by if done else None, dedupe_key=ref,
        )  # fmt: skip


def build(engine: Engine, level: int) -> Organisation:
    """An organisation working at ``level`` (each level adds to the one below)."""
    org = Organisation(engine)
    org.user("ana@co.example", "advocate", "Ana")
    for ref in ("C1", "C2", "C3", "C4", "C5", "C6"):
        org.customer(ref)
    # Level 1: Ana alone answers a detractor.
    org.item("N1", "nps", 10, rating=3, scale=10, customer="C1")
    org.item("N2", "nps", 9, rating=10, scale=10, customer="C2")
    org.item("N0", "nps", 120, rating=0, scale=10, customer="C2")  # before the window
    org.case("A", opened=ago(10), status="in_progress", owner="ana@co.example", customer="C1",
             items=("N1",), type="detractor", rule="detractor",
             first_response=ago(10, hours=2))  # fmt: skip
    org.event("A", "ana@co.example", "status", ago(10, hours=2))
    if level < 2:
        return org
    # Level 2: a team of three collects four sources, analyses them and follows 4 of 5 up.
    org.user("bruno@co.example", "advocate", "Bruno Díaz")
    org.user("carla@co.example", "advocate")
    org.item("R1", "review", 8, rating=1, scale=5, platform="Trustpilot", customer="C3")
    org.item("R2", "review", 7, rating=5, scale=5, platform="Google", customer="C4")
    org.item("R3", "review", 6, rating=2, scale=5, platform="google")  # nobody's, no case yet
    org.item("T1", "ticket", 5, customer="C5")
    org.item("N3", "nps", 4, rating=6, scale=10, customer="C6")
    org.item("N4", "nps", 3, rating=4, scale=10, customer="C6")
    org.item("N5", "nps", 2, rating=9, scale=10, customer="C4", text=None)  # nothing to analyse
    org.analyse_all_but("T1", "N5")
    org.case("B", opened=ago(8), owner="carla@co.example", team="Support", customer="C3",
             items=("R1",), type="negative_review", rule="negative_review")  # fmt: skip
    org.resolve("B", ago(8, hours=20), "carla@co.example")
    org.event("B", "Bruno Díaz", "note", ago(7))  # Bruno by his name: the same person
    org.case("C", opened=ago(4), owner="bruno@co.example", team="Support", customer="C6",
             items=("N3", "N4"), type="detractor", rule="detractor")  # fmt: skip
    org.case("D", opened=ago(5), hours=24, team="Support", customer="C5", type="proactive",
             rule="late_delivery", value_at_risk=1234.5)  # fmt: skip
    org.case("OLD", opened=ago(200), owner="old@co.example", team="Legacy")  # before the window
    if level < 3:
        return org
    # Level 3: a lead, two teams in two departments, the SLA mostly met, re-surveys, advocates.
    org.user("lena@co.example", "lead", "Lena")
    org.user("dora@co.example", "analyst")
    org.resolve("A", ago(8), "ana@co.example")  # opened 10 days ago, 72 h: on time
    org.resolve("C", ago(3), "bruno@co.example")
    org.resolve("D", ago(4, hours=-12), "sla")  # 12 h after opening, within its 24 h
    org.event("D", "mail", "reply_sent", ago(4))  # the program's actors are not people
    org.event("D", "programme", "note", ago(4))
    org.case("E", opened=ago(20), owner="ana@co.example", team=HOSTILE_TEAM, customer="C2")
    org.resolve("E", ago(15), "ana@co.example")  # 5 days for 3: late
    maturity.set_departments(engine, {"Support": "Customer service", HOSTILE_TEAM: "Sales"},
                             actor="lena@co.example", now=ago(30))  # fmt: skip
    for case in ("A", "B", "D"):
        org.resurvey(case)
    org.resurvey("C", status="skipped")  # a contact rule said no: not asked
    org._insert(Advocate, customer_id=org.customers["C2"], status="active", score=80.0,
                since=ago(40), first_seen_at=ago(40), evaluated_at=ago(1))  # fmt: skip
    org._insert(Advocate, customer_id=org.customers["C4"], status="candidate", score=30.0,
                since=ago(40), first_seen_at=ago(40), evaluated_at=ago(1))  # fmt: skip
    org.task("T-1", due=ago(1), done=ago(3), by="ana@co.example")
    org.task("T-2", due=ago(2))  # overdue, not done
    org.task("T-0", due=ago(150), done=ago(151), by="ana@co.example")  # before the window
    if level < 4:
        return org
    # Level 4: everyone at work, three departments, everything followed up, the programme busy.
    org.case("F", opened=ago(6), owner="bruno@co.example", team="Billing", items=("R3",),
             type="negative_review", rule="negative_review")  # fmt: skip
    org.resolve("F", ago(5, hours=12), "bruno@co.example")
    for ref, days in (("G", 30), ("H", 29), ("I", 28), ("J", 27)):
        org.case(ref, opened=ago(days), owner="dora@co.example", team="Billing", customer="C1")
        org.resolve(ref, ago(days - 1), "dora@co.example")
    org.resurvey("F")
    org.resurvey("G")
    for ref in ("T-3", "T-4", "T-5"):
        org.task(ref, due=ago(1), done=ago(2), by="dora@co.example")
    org.task("T-6", due=ago(1), status="skipped")  # skipped tasks are not judged
    org.user("gone@co.example", "advocate", active=False)
    messages = (("thank_you", "sent", ago(2)), ("thank_you", "queued", None),
                ("review_invitation", "sent", ago(2)))  # fmt: skip
    for number, (kind, status, sent) in enumerate(messages):
        org._insert(CustomerMessage, customer_id=org.customers["C2"], kind=kind, status=status,
                    sent_at=sent, dedupe_key=f"m{number}", created_at=ago(3),
                    created_by="carla@co.example")  # fmt: skip
    for given in (ago(1), ago(100)):
        org._insert(AdvocateReward, customer_id=org.customers["C2"], kind="voucher", amount=20,
                    currency="EUR", given_at=given, given_by="Lena")  # fmt: skip
    for referred, when in (("C5", ago(3)), ("C6", ago(95))):
        org._insert(Referral, advocate_id=org.customers["C2"],
                    referred_customer_id=org.customers[referred], code="ANA-1", source="manual",
                    attributed_at=when, attributed_by="lena@co.example")  # fmt: skip
    return org


@pytest.fixture
def engine(database_url: str) -> Engine:
    return build_engine(database_url)


def _evidence(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["key"]: entry for entry in found["evidence"]}


def _steps(found: dict[str, Any]) -> list[str]:
    return [step["key"] for step in found["next_steps"]]


def test_an_empty_catalogue_is_at_level_one_and_says_nobody_has_handled_a_case(
    engine: Engine,
) -> None:
    found = maturity.assess(engine, now=NOW)

    assert found["level"] == 1
    assert found["name"] == "Individual advocates"
    evidence = _evidence(found)
    assert evidence["people_handling_cases"]["value"] == 0
    assert evidence["people_handling_cases"]["met"] is False
    assert "Nobody has handled a case" in evidence["people_handling_cases"]["detail"]
    assert evidence["followed_up_share"]["value"] is None  # nothing to follow up: not met
    assert evidence["followed_up_share"]["met"] is False
    assert evidence["follow_up_rules_on"]["value"] == 3  # the rules are on by default
    assert _steps(found) == ["people_handling_cases", "cases_answered", "team_size",
                             "feedback_sources", "analysed_share", "followed_up_share",
                             "value_at_risk_cases"]  # fmt: skip
    assert found["next_steps"][0]["step"] == (
        "Have someone own and answer customers' cases: now 0, target 1."
    )
    assert found["window"] == {"days": 90, "start": "2026-08-25T12:00:00",
                               "end": "2026-11-23T12:00:00"}  # fmt: skip


def test_one_person_answering_a_detractor_is_level_one(engine: Engine) -> None:
    build(engine, 1)

    found = maturity.assess(engine, now=NOW)

    assert found["level"] == 1
    evidence = _evidence(found)
    assert evidence["people_handling_cases"]["value"] == 1
    assert evidence["people_handling_cases"]["met"] is True
    assert "ana@co.example" in evidence["people_handling_cases"]["detail"]
    assert evidence["cases_answered"]["value"] == 1
    assert evidence["feedback_sources"]["value"] == 1  # NPS only
    assert evidence["analysed_share"]["value"] == 0.0  # 0 of 2 analysed
    assert evidence["followed_up_share"]["value"] == 1.0  # N1 in case A; N0 is too old
    assert _steps(found) == ["team_size", "feedback_sources", "analysed_share",
                             "value_at_risk_cases"]  # fmt: skip
    steps = {step["key"]: step["step"] for step in found["next_steps"]}
    assert steps["team_size"] == "Have at least 3 people handle cases as a team: now 1, target 3."
    assert steps["analysed_share"].endswith("now 0 %, target 80 %.")
    assert [level["reached"] for level in found["levels"]] == [True, False, False, False]


def test_a_team_that_collects_analyses_and_follows_up_is_level_two(engine: Engine) -> None:
    build(engine, 2)

    found = maturity.assess(engine, now=NOW)

    assert found["level"] == 2
    evidence = _evidence(found)
    # Ana (owner of A), Carla (owner of B), Bruno (owner of C and, by his name, a note on B);
    # "rules" opened cases but is not a person; old@ owns a case from before the window.
    assert evidence["team_size"]["value"] == 3
    assert "old@co.example" not in evidence["team_size"]["detail"]
    # nps, review: trustpilot, review: google (two spellings, one platform), ticket
    assert evidence["feedback_sources"]["value"] == 4
    # all but the ticket, of the eight items with a text (N5 has none: it is not counted)
    assert evidence["analysed_share"]["value"] == round(7 / 8, 4)
    # unhappy: N1 (3), N3 (6), N4 (4), R1 (1 of 5), R3 (2 of 5); R3 has no case: 4 of 5
    assert evidence["followed_up_share"]["value"] == 0.8
    assert evidence["followed_up_share"]["met"] is True
    assert evidence["value_at_risk_cases"]["value"] == 1
    # SLA: B resolved in 20 h of 72; A, C and D open past due: 1 of 4
    assert evidence["sla_met_share"]["value"] == 0.25
    assert evidence["teams"]["value"] == 1
    assert evidence["leads"]["value"] == 0
    assert _steps(found) == ["leads", "teams", "departments", "sla_met_share",
                             "resurveyed_share", "active_advocates",
                             "advocate_tasks_done"]  # fmt: skip
    # level 4's people_share is met already: every user of this small team works cases
    assert [level["met"] for level in found["levels"]] == [2, 6, 0, 1]


def test_a_dedicated_team_across_two_departments_is_level_three(engine: Engine) -> None:
    build(engine, 3)

    found = maturity.assess(engine, now=NOW)

    assert found["level"] == 3
    assert found["name"] == "Dedicated team across the company"
    evidence = _evidence(found)
    assert evidence["team_size"]["value"] == 3  # "sla", "mail" and "programme" are not people
    assert evidence["leads"]["value"] == 1
    assert evidence["teams"]["value"] == 2
    assert evidence["departments"]["value"] == 2
    assert found["departments"]["teams"] == {"Support": "Customer service",
                                             HOSTILE_TEAM: "Sales"}  # fmt: skip
    # A, B, C, D resolved in time, E two days late: 4 of 5
    assert evidence["sla_met_share"]["value"] == 0.8
    # re-surveys sent for A, B and D (C's was skipped) of 5 resolved cases
    assert evidence["resurveyed_share"]["value"] == 0.6
    assert evidence["active_advocates"]["value"] == 1  # the candidate is not active
    assert evidence["advocate_tasks_done"]["value"] == 1  # T-0 was done before the window
    # Ana, Bruno and Carla of five active users (Lena and Dora did nothing yet)
    assert evidence["people_share"]["value"] == 0.6
    assert evidence["tasks_on_time_share"]["value"] == 0.5  # T-1 on time, T-2 not done
    assert evidence["followed_up_all"]["value"] == 0.8
    assert _steps(found) == ["people_share", "departments_wide", "followed_up_all",
                             "sla_met_high", "tasks_on_time_share", "thank_yous_sent",
                             "rewards_given", "referrals"]  # fmt: skip
    steps = {step["key"]: step["step"] for step in found["next_steps"]}
    assert steps["sla_met_high"] == (
        "Resolve at least 90 % of cases within their SLA: now 80 %, target 90 %."
    )


def test_advocacy_everywhere_is_level_four_with_no_next_step(engine: Engine) -> None:
    build(engine, 4)

    found = maturity.assess(engine, now=NOW)

    assert found["level"] == 4
    assert found["next_steps"] == []
    evidence = _evidence(found)
    assert all(entry["met"] for entry in found["evidence"])
    # Billing has no department: it counts as its own, the third
    assert evidence["departments_wide"]["value"] == 3
    assert "Billing" in evidence["departments_wide"]["detail"]
    assert "counted as their own" in evidence["departments_wide"]["detail"]
    assert evidence["followed_up_all"]["value"] == 1.0
    assert evidence["sla_met_high"]["value"] == 0.9  # 9 of 10: only E late
    assert evidence["resurveyed_share"]["value"] == 0.5  # A, B, D, F, G of 10 resolved
    assert evidence["tasks_on_time_share"]["value"] == 0.8  # T-1, T-3..5 of five judged
    # Lena gave a reward by her name, Dora owns cases and did tasks; the inactive user is out
    assert evidence["people_share"]["value"] == 1.0
    assert evidence["thank_yous_sent"]["value"] == 1  # queued and review invitations are not
    assert evidence["rewards_given"]["value"] == 1
    assert evidence["referrals"]["value"] == 1
    assert [level["current"] for level in found["levels"]] == [False, False, False, True]


def test_a_shorter_window_sees_less(engine: Engine) -> None:
    build(engine, 4)

    found = maturity.assess(engine, now=NOW, days=7)

    evidence = _evidence(found)
    assert found["level"] < 4
    # R1 (8 days old) is out; R2 (7 days, on the edge) and R3 are in: google, ticket, nps
    assert evidence["feedback_sources"]["value"] == 3
    with pytest.raises(InvalidInput):
        maturity.assess(engine, now=NOW, days=0)


def test_switching_a_follow_up_rule_off_keeps_the_organisation_at_level_one(
    engine: Engine,
) -> None:
    from advocacy.services import case_rules

    build(engine, 4)
    case_rules.set_rule(engine, "urgent_ticket", now=NOW, actor="lena@co.example", enabled=False)

    found = maturity.assess(engine, now=NOW)

    assert found["level"] == 1
    assert _evidence(found)["follow_up_rules_on"]["value"] == 2
    assert "off: urgent_ticket" in _evidence(found)["follow_up_rules_on"]["detail"]
    assert _steps(found) == ["follow_up_rules_on"]


def test_departments_are_kept_tidied_and_replaced_whole(engine: Engine) -> None:
    kept = maturity.set_departments(
        engine, {"  Support\n team ": "Customer   service", "<b>Sales</b>": "Sales"},
        actor="lena@co.example", now=NOW,
    )  # fmt: skip

    assert kept == {"<b>Sales</b>": "Sales", "Support team": "Customer service"}
    assert maturity.departments(engine) == kept
    maturity.set_department(engine, "Billing", "Finance", actor="lena@co.example", now=NOW)
    maturity.set_department(engine, "<b>Sales</b>", None, actor="lena@co.example", now=NOW)
    assert maturity.departments(engine) == {"Billing": "Finance",
                                            "Support team": "Customer service"}  # fmt: skip
    assert maturity.set_departments(engine, {}, actor="lena@co.example", now=NOW) == {}
    assert maturity.departments(engine) == {}


@pytest.mark.parametrize(
    ("mapping", "reason"),
    [
        (["Support", "Sales"], "an object"),
        ("Support=Sales", "an object"),
        ({"Support": 3}, "a text"),
        ({"Support": None}, "a text"),
        ({"Support": ["Sales"]}, "a text"),
        ({"": "Sales"}, "1 to 100"),
        ({"Support": "   "}, "1 to 100"),
        ({"x" * 101: "Sales"}, "1 to 100"),
        ({"Support": "y" * 101}, "1 to 100"),
        ({"Support": "A", " Support ": "B"}, "given twice"),
        ({f"team {n}": "Sales" for n in range(201)}, "at most 200"),
    ],
)
def test_malformed_department_mappings_are_refused_and_change_nothing(
    engine: Engine, mapping: Any, reason: str
) -> None:
    maturity.set_departments(engine, {"Support": "Service"}, actor="lena@co.example", now=NOW)

    with pytest.raises(InvalidInput, match=reason):
        maturity.set_departments(engine, mapping, actor="lena@co.example", now=NOW)

    assert maturity.departments(engine) == {"Support": "Service"}


def test_two_hundred_teams_are_accepted(engine: Engine) -> None:
    mapping = {f"team {n:03}": f"department {n % 7}" for n in range(200)}

    assert len(maturity.set_departments(engine, mapping, actor="a", now=NOW)) == 200


def test_known_teams_come_from_cases_assignment_rules_and_the_mapping(engine: Engine) -> None:
    from advocacy.services import case_rules

    build(engine, 3)
    case_rules.add_assignment_rule(engine, name="Billing first", now=NOW, team="Billing")
    maturity.set_department(engine, "Logistics", "Operations", actor="a", now=NOW)

    assert maturity.known_teams(engine) == sorted(
        ["Billing", "Legacy", "Logistics", HOSTILE_TEAM, "Support"]
    )
    assert maturity.assess(engine, now=NOW)["departments"]["assignment_teams"] == ["Billing"]


def test_the_command_prints_the_level_evidence_and_next_steps_as_json(
    database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    build(engine, 2)

    code, out, err = run(capsys, "--db", database_url, "maturity", "--json")

    assert code == 0, err
    found = json.loads(out)
    assert found["level"] == 2
    assert {"level", "evidence", "next_steps"} <= set(found)
    keys = {entry["key"] for entry in found["evidence"]}
    assert {"team_size", "sla_met_share", "people_share"} <= keys
    assert all({"level", "key", "criterion", "met", "value", "target", "detail"} <= set(e)
               for e in found["evidence"])  # fmt: skip


def test_the_command_prints_a_readable_report(
    database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", database_url, "maturity")

    assert code == 0, err
    assert "Advocacy maturity: level 1 of 4 — Individual advocates" in out
    assert "Nobody has handled a case in the window yet." in out
    assert "Next steps:" in out


def test_departments_are_set_listed_and_unset_from_the_command_line(
    database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", database_url)
    assert run(capsys, *db, "maturity", "departments", "set", "Support", "Service")[0] == 0
    code, out, _ = run(capsys, *db, "maturity", "departments", "list", "--json")
    assert code == 0
    assert json.loads(out) == {"Support": "Service"}

    code, _out, err = run(capsys, *db, "maturity", "departments", "set", "Support", "z" * 101)
    assert code == 65
    assert "1 to 100" in err

    code, out, _ = run(capsys, *db, "maturity", "departments", "unset", "Support", "--json")
    assert json.loads(out) == {}
    code, out, _ = run(capsys, *db, "maturity", "departments", "list")
    assert "each team counts as its own department" in out


def test_unhappy_feedback_from_before_the_first_case_is_not_held_against_the_organisation(
    engine: Engine,
) -> None:
    org = Organisation(engine)
    org.customer("C1")
    org.item("N_old", "nps", 60, rating=2, scale=10, customer="C1")  # imported history
    org.item("N_new", "nps", 10, rating=3, scale=10, customer="C1")
    org.case("A", opened=ago(9), owner="ana@co.example", customer="C1", items=("N_new",))

    since_first = _evidence(maturity.assess(engine, now=NOW))["followed_up_share"]

    # Counted from the first case less the rules' 30-day look-back: 39 days ago; N_old is older.
    assert since_first["value"] == 1.0
    assert f"counted from {ago(39):%Y-%m-%d}" in since_first["detail"]
    org.case("B", opened=ago(40), owner="ana@co.example", customer="C1")
    with_history = _evidence(maturity.assess(engine, now=NOW))["followed_up_share"]
    assert with_history["value"] == 0.5  # from 70 days ago: N_old was left without a case
