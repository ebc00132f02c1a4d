"""The survey pages customers see, with no log-in: personal links, the public link, the widget.

- ``GET /s/TOKEN`` — the answer page of a personal invitation; ``GET /s/TOKEN/N`` — the
  one-click score of the e-mail (records N, then shows the page for the reason);
  ``POST /s/TOKEN`` — the form; ``POST /s/TOKEN/answers`` — the same as JSON (the widget);
  ``GET|POST /s/TOKEN/unsubscribe`` — unsubscribing (also RFC 8058 one-click from the mail app).
- ``GET /p/KEY`` — a survey's public page; ``POST /p/KEY`` — its form; ``POST /p/KEY/answers``
  — anonymous answers as JSON (the widget, any website: CORS open, no cookies).
- ``GET /widget.js`` — the embeddable widget.

Everything is in the customer's language: the invitation's, else the one asked for (``?lang=``)
or the browser's among those the survey speaks. No page here reads or sets the staff's session,
and none needs a CSRF token: a personal link is its own secret, and an anonymous answer has
nothing to forge.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import secrets
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from babel.dates import format_date
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from advocacy.errors import InvalidInput, NotFound
from advocacy.services import answers
from advocacy.services.surveys import SurveyInfo, get_survey
from advocacy.surveys.texts import SHIPPED, wording
from advocacy.web.app import page_response
from advocacy.web.security import Principal, now_of, public

router = APIRouter(include_in_schema=False)
Anyone = Annotated[Principal | None, Depends(public)]
HERE = Path(__file__).resolve().parent
MAX_JSON = 64 * 1024
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}


def _browser_language(request: Request, speaks: tuple[str, ...], fallback: str) -> str:
    asked = (request.query_params.get("lang") or "").strip().lower()
    if asked in speaks:
        return asked
    for part in (request.headers.get("accept-language") or "").split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in speaks:
            return code
    return fallback


def _message(
    request: Request,
    language: str,
    heading: str,
    detail: str = "",
    *,
    status: int = 200,
    texts: dict[str, Any] | None = None,
    unsubscribe_action: str | None = None,
) -> Response:
    context = {
        "t": wording(texts or {}, language),
        "heading": heading,
        "detail": detail,
        "unsubscribe_action": unsubscribe_action,
    }
    return _customer_page(request, "survey_message.html", language, context, status)


def _customer_page(
    request: Request, template: str, language: str, context: dict[str, Any], status: int
) -> Response:
    """A page customers see, in their language (the staff's locale does not apply)."""
    response = page_response(request, template, {"language": language, **context}, status=status)
    response.headers["Content-Language"] = language
    return response


def _thanks(request: Request, survey: SurveyInfo, language: str) -> Response:
    t = wording(survey.texts, language)
    return _message(request, language, t["thanks"], t["thanks_detail"], texts=survey.texts)


def _refused(request: Request, exc: answers.LinkRefused) -> Response:
    language = exc.language or _browser_language(request, SHIPPED, "en")
    t = wording({}, language)
    key = {"invalid": "invalid_link", "expired": "expired_link"}.get(exc.reason, "unavailable")
    return _message(request, language, t[key], status=404 if exc.reason == "invalid" else 410)


def _questions(survey: SurveyInfo, language: str, given: dict[str, Any]) -> list[dict[str, Any]]:
    shown = []
    for question in survey.questions:
        label = question["label"].get(language) or next(iter(question["label"].values()))
        entry = {"id": question["id"], "type": question["type"], "label": label}
        value = given.get(question["id"])
        if question["type"] == "choice":
            entry["choices"] = question["choices"].get(language) or next(
                iter(question["choices"].values())
            )
            entry["value"] = value.get("choice") if isinstance(value, dict) else None
        else:
            entry["value"] = value
        shown.append(entry)
    return shown


def _answer_page(
    request: Request,
    *,
    survey: SurveyInfo,
    language: str,
    action: str,
    score: int | None,
    comment: str | None,
    given: dict[str, Any],
    response_id: str | None = None,
    recorded: bool = False,
    error: str | None = None,
    until: str | None = None,
    status: int = 200,
) -> Response:
    context = {
        "t": wording(survey.texts, language),
        "action": action,
        "score": score,
        "comment": comment,
        "questions": _questions(survey, language, given),
        "response_id": response_id,
        "recorded": recorded,
        "error": error,
        "until": until,
    }
    return _customer_page(request, "survey_answer.html", language, context, status)


def _personal_page(
    request: Request,
    token: str,
    opened: answers.Opened,
    *,
    comment: str | None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The answer page of a personal link: the answer given so far, or the error of the one
    just refused (then without the "change until" line)."""
    t = wording(opened.survey.texts, opened.language)
    until = format_date(opened.expires_at.date(), format="long", locale=opened.language)
    return _answer_page(
        request,
        survey=opened.survey,
        language=opened.language,
        action=f"/s/{token}",
        score=opened.score,
        comment=comment,
        given=opened.answers,
        recorded=error is None
        and request.query_params.get("recorded") == "1"
        and opened.score is not None,
        error=error,
        until=None if error else t["change_until"].replace("{date}", until),
        status=status,
    )


async def _form(request: Request) -> tuple[Any, str | None, dict[str, Any]]:
    """The score, comment and extra answers of a posted form."""
    form = await request.form()
    extra = {str(name)[2:]: value for name, value in form.items() if str(name).startswith("q-")}
    comment = form.get("comment")
    return form.get("score"), comment if isinstance(comment, str) else None, extra


# --- personal links ---------------------------------------------------------------------------


@router.get("/s/{token}")
def personal_page(request: Request, token: str, _anyone: Anyone) -> Response:
    settings, engine = request.app.state.settings, request.app.state.engine
    try:
        opened = answers.open_link(engine, settings, token, now=now_of(request))
    except answers.LinkRefused as exc:
        return _refused(request, exc)
    return _personal_page(request, token, opened, comment=opened.comment)


@router.post("/s/{token}")
async def personal_answer(request: Request, token: str, _anyone: Anyone) -> Response:
    settings, engine = request.app.state.settings, request.app.state.engine
    score, comment, extra = await _form(request)
    now = now_of(request)
    try:
        result = answers.answer_link(
            engine, settings, token, now=now, score=score or None, comment=comment, answers=extra
        )
    except answers.LinkRefused as exc:
        return _refused(request, exc)
    except answers.AnswerRefused as exc:
        opened = answers.open_link(engine, settings, token, now=now)
        t = wording(opened.survey.texts, opened.language)
        error = t["bad_score"] if exc.reason == "bad_score" else str(exc)
        return _personal_page(request, token, opened, comment=comment, error=error, status=400)
    return _thanks(request, get_survey(engine, result.survey), result.language)


@router.post("/s/{token}/answers")
async def personal_answer_json(request: Request, token: str, _anyone: Anyone) -> Response:
    settings, engine = request.app.state.settings, request.app.state.engine
    try:
        body = await _json_body(request)
        result = answers.answer_link(
            engine,
            settings,
            token,
            now=now_of(request),
            score=body.get("score"),
            comment=body.get("comment"),
            answers=body.get("answers"),
        )
    except (answers.LinkRefused, InvalidInput) as exc:
        return _json_error(exc)
    return JSONResponse(result.as_dict(), 201 if result.created else 200, headers=CORS)


@router.options("/s/{token}/answers")
def personal_answer_preflight(_anyone: Anyone) -> Response:
    return Response(status_code=204, headers=CORS)


@router.get("/s/{token}/unsubscribe")
def unsubscribe_page(request: Request, token: str, _anyone: Anyone) -> Response:
    settings, engine = request.app.state.settings, request.app.state.engine
    try:
        # An expired link still unsubscribes: only its signature is checked.
        language = answers.link_language(engine, settings, token)
    except answers.LinkRefused as exc:
        return _refused(request, exc)
    t = wording({}, language)
    return _message(
        request, language, t["unsubscribe_title"], unsubscribe_action=f"/s/{token}/unsubscribe"
    )


@router.post("/s/{token}/unsubscribe")
def unsubscribe(request: Request, token: str, _anyone: Anyone) -> Response:
    settings, engine = request.app.state.settings, request.app.state.engine
    try:
        language = answers.unsubscribe_link(engine, settings, token, now=now_of(request))
    except answers.LinkRefused as exc:
        return _refused(request, exc)
    t = wording({}, language)
    return _message(request, language, t["unsubscribed"])


# --- the public link and the widget -----------------------------------------------------------


def _public_survey(request: Request, key: str) -> SurveyInfo:
    with request.app.state.engine.connect() as connection:
        return answers.public_survey(connection, key)


@router.get("/p/{key}")
def public_page(request: Request, key: str, _anyone: Anyone) -> Response:
    try:
        survey = _public_survey(request, key)
    except (NotFound, answers.LinkRefused):
        return _refused(request, answers.LinkRefused("closed", "closed"))
    language = _browser_language(request, survey.languages, survey.default_language)
    return _answer_page(
        request,
        survey=survey,
        language=language,
        action=f"/p/{survey.key}",
        score=None,
        comment=None,
        given={},
        response_id=secrets.token_urlsafe(18),
    )


@router.post("/p/{key}")
async def public_answer(request: Request, key: str, _anyone: Anyone) -> Response:
    settings, engine = request.app.state.settings, request.app.state.engine
    score, comment, extra = await _form(request)
    form = await request.form()
    response_id = str(form.get("response_id") or "")
    asked = str(form.get("language") or "")
    try:
        survey = _public_survey(request, key)
        language = asked if asked in survey.languages else survey.default_language
        result = answers.answer_public(
            engine,
            settings,
            survey.key,
            now=now_of(request),
            response_id=response_id,
            score=score,
            comment=comment,
            language=language,
            answers=extra,
        )
    except (NotFound, answers.LinkRefused):
        return _refused(request, answers.LinkRefused("closed", "closed"))
    except answers.AnswerRefused as exc:
        t = wording(survey.texts, language)
        return _answer_page(
            request,
            survey=survey,
            language=language,
            action=f"/p/{survey.key}",
            score=None,
            comment=comment,
            given={},
            response_id=response_id if exc.reason == "bad_score" else secrets.token_urlsafe(18),
            error=t["bad_score"] if exc.reason == "bad_score" else str(exc),
            status=400,
        )
    return _thanks(request, survey, result.language)


async def _json_body(request: Request) -> dict[str, Any]:
    """A JSON object from the body (``application/json``, or ``text/plain`` as the widget
    sends to avoid a CORS pre-flight), at most 64 KiB."""
    return _json_object(await _read_limited(request.receive))


async def _read_limited(receive: Receive) -> bytes:
    """The request's body, refused past :data:`MAX_JSON` bytes without reading the rest."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_JSON:
            raise InvalidInput(f"the answer is larger than {MAX_JSON // 1024} KiB")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput("the body is not JSON") from None
    if not isinstance(body, dict):
        raise InvalidInput("the body is not a JSON object")
    if body.get("answers") is not None and not isinstance(body["answers"], dict):
        raise InvalidInput("answers: an object of question ids and answers")
    if body.get("comment") is not None and not isinstance(body["comment"], str):
        raise InvalidInput("comment: a text")
    return body


def _json_error(exc: Exception) -> JSONResponse:
    if isinstance(exc, answers.LinkRefused):
        status = 404 if exc.reason == "invalid" else 410
        title = {"invalid": "Invalid link", "expired": "Expired", "closed": "Closed"}[exc.reason]
    elif isinstance(exc, NotFound):
        status, title = 404, "Not found"
    else:
        status, title = 400, "Bad request"
    return JSONResponse(
        {"error": {"status": status, "title": title, "detail": str(exc)}}, status, headers=CORS
    )


def _public_answer(state: Any, key: str, body: dict[str, Any], now: dt.datetime) -> JSONResponse:
    """An anonymous answer sent as JSON, recorded: 201 new, 200 changed, or the error."""
    try:
        result = answers.answer_public(
            state.engine,
            state.settings,
            key,
            now=now,
            response_id=body.get("response_id") or "",
            score=body.get("score"),
            comment=body.get("comment"),
            language=body.get("language"),
            answers=body.get("answers"),
            channel="widget" if body.get("source") == "widget" else "link",
            surveys=state.public_surveys,
        )
    except (answers.LinkRefused, NotFound, InvalidInput) as exc:
        return _json_error(exc)
    return JSONResponse(result.as_dict(), 201 if result.created else 200, headers=CORS)


_PUBLIC_ANSWERS = re.compile(r"^/p/([^/]{1,100})/answers$")


class PublicAnswers:
    """``POST /p/KEY/answers``, taken before the app's routing: the one address that takes
    answers by the thousand (the public link and the widget of a busy website). It is public by
    design (anonymous answers, no session, no CSRF: there is nothing to forge), so it needs none
    of the routing, dependencies and guards the other pages go through; skipping them halves
    the work of an answer. Everything else goes on to the app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = (
            _PUBLIC_ANSWERS.match(scope["path"])
            if scope["type"] == "http" and scope["method"] == "POST"
            else None
        )
        if found is None:
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        try:
            body = _json_object(await _read_limited(receive))
        except InvalidInput as exc:
            response = _json_error(exc)
        else:
            answer = functools.partial(_public_answer, state, found.group(1), body, state.clock())
            if state.engine.dialect.name == "sqlite":
                # One writer at a time anyway: answered on the event loop, with no thread hop.
                response = answer()
            else:  # a server over the network: answers wait for it side by side
                response = await anyio.to_thread.run_sync(answer)
        await response(scope, receive, send)


@router.options("/p/{key}/answers")
def public_answer_preflight(_anyone: Anyone) -> Response:
    return Response(status_code=204, headers=CORS)


_WIDGET_KEYS = (
    "question",
    "reason",
    "low",
    "high",
    "submit",
    "score_legend",
    "recorded",
    "thanks",
    "unavailable",
    "close",
)


def _widget_texts(survey: SurveyInfo, language: str) -> JSONResponse:
    t = wording(survey.texts, language)
    return JSONResponse(
        {"language": language, **{name: t[name] for name in _WIDGET_KEYS}}, headers=CORS
    )


@router.get("/p/{key}/widget.json")
def public_widget_texts(request: Request, key: str, _anyone: Anyone) -> Response:
    try:
        survey = _public_survey(request, key)
    except (NotFound, answers.LinkRefused) as exc:
        return _json_error(exc)
    return _widget_texts(
        survey, _browser_language(request, survey.languages, survey.default_language)
    )


@router.get("/s/{token}/widget.json")
def personal_widget_texts(request: Request, token: str, _anyone: Anyone) -> Response:
    settings, engine = request.app.state.settings, request.app.state.engine
    try:
        opened = answers.open_link(engine, settings, token, now=now_of(request))
    except answers.LinkRefused as exc:
        return _json_error(exc)
    return _widget_texts(opened.survey, opened.language)


@router.get("/widget.js")
def widget(_anyone: Anyone) -> Response:
    script = (HERE / "static" / "widget.js").read_bytes()
    return Response(
        script,
        media_type="text/javascript; charset=utf-8",
        headers={**CORS, "Cache-Control": "public, max-age=3600"},
    )


# Last: any other word after a personal link is taken as a score (and refused if it is not one).
@router.get("/s/{token}/{score}")
def one_click(request: Request, token: str, score: str, _anyone: Anyone) -> Response:
    settings, engine = request.app.state.settings, request.app.state.engine
    try:
        answers.answer_link(engine, settings, token, now=now_of(request), score=score)
    except answers.LinkRefused as exc:
        return _refused(request, exc)
    except answers.AnswerRefused:
        # Nothing stored: the answer page again, saying what a score is.
        try:
            opened = answers.open_link(engine, settings, token, now=now_of(request))
        except answers.LinkRefused as exc:
            return _refused(request, exc)
        t = wording(opened.survey.texts, opened.language)
        return _personal_page(
            request, token, opened, comment=opened.comment, error=t["bad_score"], status=400
        )
    return RedirectResponse(f"/s/{token}?recorded=1", status_code=303)
