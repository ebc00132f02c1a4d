"""The surveys page and its API: everyone who reads feedback sees how surveys do; only leads
and admins add, change and send them."""

from __future__ import annotations

import re

import pytest

from advocacy.access import Role
from advocacy.services import surveys
from tests.web.conftest import Site, csrf_of


def _form(site: Site, role: Role) -> tuple[object, str]:
    client = site.login(role)
    return client, csrf_of(client, "/surveys")


def test_a_lead_adds_a_post_delivery_survey_and_sees_it_listed(site: Site) -> None:
    client, csrf = _form(site, Role.LEAD)

    added = client.post(  # type: ignore[attr-defined]
        "/surveys",
        data={
            "csrf_token": csrf,
            "key": "after-delivery",
            "name": "After delivery",
            "trigger": "delivery",
            "delay_days": "4",
            "reminder_days": "3",
            "min_days_between": "60",
            "default_language": "es",
        },
    )

    assert added.status_code == 200
    assert "After delivery" in added.text
    survey = surveys.get_survey(site.app.state.engine, "after-delivery")
    assert (survey.trigger, survey.delay_days, survey.reminder_days) == ("delivery", 4, 3)
    assert survey.min_days_between == 60
    assert survey.default_language == "es"
    assert 'data-survey="after-delivery"' in added.text.replace("&#34;", '"').replace("&quot;", '"')


def test_a_wrong_survey_form_says_why_and_adds_nothing(site: Site) -> None:
    client, csrf = _form(site, Role.ADMIN)

    refused = client.post(  # type: ignore[attr-defined]
        "/surveys",
        data={"csrf_token": csrf, "key": "Bad Key!", "name": "<script>x</script>"},
    )

    assert refused.status_code == 400
    assert "key:" in refused.text
    assert "<script>x</script>" not in refused.text
    assert surveys.list_surveys(site.app.state.engine) == []


def test_sending_to_a_segment_counts_first_then_queues(site: Site) -> None:
    engine = site.app.state.engine
    surveys.create_survey(engine, now=site.clock.now, key="pulse", name="Pulse")
    client, csrf = _form(site, Role.LEAD)

    counted = client.post(  # type: ignore[attr-defined]
        "/surveys/pulse/send", data={"csrf_token": csrf, "segment": "consumer", "dry_run": "yes"}
    )
    assert counted.status_code == 200
    assert "Would ask 2 of 2 customers." in counted.text
    sent = client.post(  # type: ignore[attr-defined]
        "/surveys/pulse/send", data={"csrf_token": csrf, "segment": "consumer"}
    )
    again = client.post(  # type: ignore[attr-defined]
        "/surveys/pulse/send", data={"csrf_token": csrf, "segment": "consumer"}
    )

    assert "Queued 2 of 2 customers." in sent.text
    assert "Queued 0 of 2 customers." in again.text  # asked already: the period holds
    assert re.search(r"Not asked: asked on \d{4}-\d{2}-\d{2}: 2", again.text)


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.ANALYST])
def test_who_cannot_manage_surveys_sees_them_but_cannot_change_or_send(
    site: Site, role: Role
) -> None:
    surveys.create_survey(site.app.state.engine, now=site.clock.now, key="pulse", name="Pulse")
    client, csrf = _form(site, role)

    page = client.get("/surveys")  # type: ignore[attr-defined]
    sent = client.post(  # type: ignore[attr-defined]
        "/surveys/pulse/send", data={"csrf_token": csrf, "segment": "consumer"}
    )
    switched = client.post("/surveys/pulse", data={"csrf_token": csrf, "active": "no"})  # type: ignore[attr-defined]

    assert page.status_code == 200
    assert "Send to these customers" not in page.text
    assert sent.status_code == 403
    assert switched.status_code == 403
    assert surveys.get_survey(site.app.state.engine, "pulse").active


def test_a_lead_token_invites_a_customer_through_the_api(site: Site) -> None:
    surveys.create_survey(site.app.state.engine, now=site.clock.now, key="pulse", name="Pulse")
    client = site.client()
    lead = {"Authorization": f"Bearer {site.token(Role.LEAD)}"}
    analyst = {"Authorization": f"Bearer {site.token(Role.ANALYST)}"}

    created = client.post(
        "/api/v1/surveys/pulse/invitations", json={"customer_id": "C2"}, headers=lead
    )
    refused = client.post(
        "/api/v1/surveys/pulse/invitations", json={"customer_id": "C2"}, headers=analyst
    )
    unknown = client.post(
        "/api/v1/surveys/pulse/invitations", json={"customer_id": "nobody"}, headers=lead
    )
    listed = client.get("/api/v1/surveys/pulse/invitations", headers=analyst)

    assert created.status_code == 201
    document = created.json()
    assert document["language"] == "ru"
    assert len(document["score_urls"]) == 11
    assert document["url"].startswith("http://127.0.0.1:8000/s/")
    assert refused.status_code == 403
    assert unknown.status_code == 404
    assert [i["invitation_id"] for i in listed.json()["invitations"]] == [document["invitation_id"]]


def test_the_dashboard_shows_each_surveys_response_rate(site: Site) -> None:
    from advocacy.services import invitations

    engine = site.app.state.engine
    settings = site.app.state.settings
    surveys.create_survey(engine, now=site.clock.now, key="pulse", name="Pulse survey")
    first = invitations.invite(engine, settings, "C1", now=site.clock.now, survey_key="pulse")
    invitations.invite(engine, settings, "C2", now=site.clock.now, survey_key="pulse")
    site.clock.advance(hours=6)
    client = site.login(Role.VIEWER)
    client.get(first.links.score_urls[10].removeprefix("http://127.0.0.1:8000"))

    page = client.get("/")
    data = client.get("/dashboard/surveys.csv")

    assert "Pulse survey" in page.text
    assert "50.0%" in page.text
    assert data.text.splitlines()[1].startswith("pulse,2,1,0.5,")
    assert ",6.0,6.0," in data.text


def test_the_customer_page_shows_what_they_were_asked_and_their_wish(site: Site) -> None:
    from advocacy.services import invitations

    engine, settings = site.app.state.engine, site.app.state.settings
    invitations.invite(engine, settings, "C1", now=site.clock.now)
    surveys.set_contact_preference(engine, 1, now=site.clock.now, unsubscribed=True)
    client = site.login(Role.ADVOCATE)

    page = client.get("/customers/C1")
    document = client.get("/api/v1/customers/C1").json()

    assert 'data-testid="customer-surveys"' in page.text
    assert "Unsubscribed on" in page.text
    assert document["surveys"]["invitations"][0]["survey"] == "nps"
    assert document["surveys"]["unsubscribed_at"]
