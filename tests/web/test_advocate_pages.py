"""The advocate programme's pages: the advocates with filters, the advocate's section of the
customer page (contact, tasks, log), the tasks worked and rewarded from their page, the review
invitations' audit and the settings; roles, the forms' token, refusals that say why, hostile
names shown as text, and the pages in Spanish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import update

from advocacy.access import Role
from advocacy.services import advocate_programme as programme
from advocacy.store.tables import Customer
from tests.web.conftest import Site, csrf_of
from tests.web.test_advocate_api import import_promoters

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def programme_site(site: Site, tmp_path: Path) -> Site:
    engine, now = site.app.state.engine, site.clock.now
    with engine.begin() as connection:
        connection.execute(
            update(Customer).where(Customer.external_id == "C3").values(name=HOSTILE)
        )
    import_promoters(site, tmp_path)
    for name, value in (
        ("owners", ["olga@example.com"]),
        ("contact", "+34 900 100 200"),
        ("budget_amount", 50),
    ):
        programme.set_setting(engine, name, value, actor="lead@example.com", now=now)
    programme.run_programme(engine, site.app.state.settings, now=now, force=True)
    return site


def test_the_advocates_page_lists_them_with_filters_and_hostile_names_as_text(
    programme_site: Site,
) -> None:
    client = programme_site.login(Role.ANALYST)

    page = client.get("/advocates")
    active = client.get("/advocates?status=active&min_score=50&q=c1")
    bad = client.get("/advocates?status=heroes")

    assert page.status_code == 200
    assert 'data-advocate="C1"' in page.text
    assert 'data-advocate="C3"' in page.text
    assert HOSTILE not in page.text
    assert "&lt;script&gt;" in page.text
    assert 'data-advocate="C3"' not in active.text
    assert 'data-advocate="C1"' in active.text
    assert bad.status_code == 400


def test_viewers_see_no_advocates_and_no_link_to_them(programme_site: Site) -> None:
    client = programme_site.login(Role.VIEWER)

    assert client.get("/advocates").status_code == 403
    home = client.get("/").text
    assert 'href="/advocates"' not in home
    assert 'href="/maturity"' in home  # the maturity is theirs to read


def test_the_customer_page_shows_the_advocate_their_contact_tasks_and_log(
    programme_site: Site,
) -> None:
    client = programme_site.login(Role.ADVOCATE)
    csrf = csrf_of(client, "/customers/C1")

    page = client.get("/customers/C1")
    written = client.post(
        "/advocates/C1/log",
        data={"csrf_token": csrf, "kind": "call", "text": HOSTILE},
        follow_redirects=False,
    )
    after = client.get("/customers/C1")

    assert 'data-testid="advocate"' in page.text
    assert "+34 900 100 200" in page.text
    assert "olga@example.com" in page.text
    assert written.status_code == 303
    assert written.headers["location"] == "/customers/C1?done=noted#advocate"
    log = re.search(r'data-testid="advocate-log">(.*?)</ol>', after.text, re.S)
    assert log is not None
    assert "&lt;script&gt;" in log.group(1)
    assert HOSTILE not in after.text
    assert "advocate-lapsed" in client.get("/customers/C2").text  # a promoter of last year


def test_a_change_without_the_forms_token_is_refused(programme_site: Site) -> None:
    client = programme_site.login(Role.ADVOCATE)

    refused = client.post("/advocates/C1/log", data={"kind": "note", "text": "x"})

    assert refused.status_code == 403
    detail = programme.advocate_detail(
        programme_site.app.state.engine, "C1", now=programme_site.clock.now
    )
    assert not any(e["kind"] == "note" for e in detail["log"])


def test_a_task_is_done_and_a_reward_given_from_the_tasks_page_within_the_budget(
    programme_site: Site,
) -> None:
    client = programme_site.login(Role.ADVOCATE)
    engine, now = programme_site.app.state.engine, programme_site.clock.now
    [welcome] = programme.list_tasks(engine, now=now, kind="welcome", customer_ref="C1")
    [reward] = programme.list_tasks(engine, now=now, kind="reward", customer_ref="C1")
    csrf = csrf_of(client, "/advocates/tasks")

    done = client.post(
        f"/advocates/tasks/{welcome['id']}/done?customer=C1",
        data={"csrf_token": csrf, "note": "Called her"},
        follow_redirects=False,
    )
    over = client.post(
        f"/advocates/tasks/{reward['id']}/reward",
        data={"csrf_token": csrf, "customer": "C1", "kind": "Dinner", "amount": "80"},
    )
    given = client.post(
        f"/advocates/tasks/{reward['id']}/reward",
        data={"csrf_token": csrf, "customer": "C1", "kind": "Gift card", "amount": "20"},
    )

    assert done.status_code == 303
    assert done.headers["location"] == "/advocates/tasks?customer=C1&done=done"
    assert programme.get_task(engine, welcome["id"], now=now)["note"] == "Called her"
    assert over.status_code == 400
    assert "over budget" in over.text
    assert given.status_code == 200  # followed the redirect to the tasks page
    assert "Reward given and the task done." in given.text
    assert programme.budget_status(engine, now=now)["left"] == 30.0
    page = client.get("/advocates/tasks?status=done")
    assert "Called her" in page.text


def test_an_analyst_reads_the_tasks_but_cannot_do_them(programme_site: Site) -> None:
    client = programme_site.login(Role.ANALYST)
    engine, now = programme_site.app.state.engine, programme_site.clock.now
    [welcome] = programme.list_tasks(engine, now=now, kind="welcome", customer_ref="C1")
    csrf = csrf_of(client, "/advocates/tasks")

    page = client.get("/advocates/tasks")
    refused = client.post(f"/advocates/tasks/{welcome['id']}/done", data={"csrf_token": csrf})

    assert page.status_code == 200
    assert f'data-task="{welcome["id"]}"' in page.text
    assert f"/advocates/tasks/{welcome['id']}/done" not in page.text
    assert refused.status_code == 403


def test_a_lead_saves_the_settings_and_a_bad_one_keeps_what_was_typed(
    programme_site: Site,
) -> None:
    client = programme_site.login(Role.LEAD)
    csrf = csrf_of(client, "/advocates/settings")
    form = {
        "csrf_token": csrf,
        "owners": "olga@example.com, pedro@example.com",
        "contact": "vip@example.com",
        "budget_amount": "500",
        "budget_currency": "EUR",
        "thank_you": "on",
        "thank_you_delay_hours": "12",
        "thank_you_min_days_between": "30",
        "listening": "on",
        "listening_survey": "",
        "task_days": "2",
        "reminder_hours": "24",
        "max_reminders": "3",
        "review_invitations": "on",
        "review_delay_days": "7",
        "review_min_days_between": "90",
        "platform_name_0": "Google",
        "platform_url_0": "https://g.example/review",
    }

    saved = client.post("/advocates/settings", data=form, follow_redirects=False)
    bad = client.post("/advocates/settings", data={**form, "task_days": "0", "contact": "typed"})
    no_platform = client.post(
        "/advocates/settings", data={**form, "platform_name_0": "", "platform_url_0": ""}
    )

    assert saved.status_code == 303
    settings = programme.programme_settings(programme_site.app.state.engine)
    assert settings.owners == ("olga@example.com", "pedro@example.com")
    assert (settings.task_days, settings.review_invitations) == (2, True)
    assert settings.review_platforms == (("Google", "https://g.example/review"),)
    assert bad.status_code == 400
    assert 'value="typed"' in bad.text
    assert no_platform.status_code == 400
    assert programme.programme_settings(programme_site.app.state.engine).task_days == 2
    assert programme_site.login(Role.ADVOCATE).get("/advocates/settings").status_code == 403


def test_the_review_invitations_page_shows_the_audit(programme_site: Site) -> None:
    client = programme_site.login(Role.ANALYST)

    page = client.get("/advocates/reviews")

    assert page.status_code == 200
    assert 'data-testid="review-audit"' in page.text
    assert "No review gating" in page.text


def test_the_programme_pages_speak_spanish(programme_site: Site) -> None:
    client = programme_site.login(Role.LEAD)
    csrf = csrf_of(client, "/")
    client.post("/account/language", data={"csrf_token": csrf, "locale": "es"})

    for path in (
        "/advocates",
        "/advocates/tasks",
        "/advocates/reviews",
        "/advocates/settings",
        "/customers/C1",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'lang="es"' in page.text, path
    assert "Embajadores" in client.get("/advocates").text
