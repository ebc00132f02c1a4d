"""The pages people use: log-in, dashboard, feedback inbox, customers, administration."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from advocacy.access import DESCRIPTIONS, Permission, Role
from advocacy.errors import InvalidInput, NotFound
from advocacy.services import accounts
from advocacy.services import inbox as items
from advocacy.store.queries import SENTIMENTS
from advocacy.text.themes import Taxonomy
from advocacy.web import charts, forms, i18n
from advocacy.web.app import page_response
from advocacy.web.security import (
    LOCALE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Principal,
    check_csrf,
    client_address,
    new_login_csrf,
    now_of,
    public,
    require,
)
from advocacy.web.views import (
    CSV_SECTIONS,
    csv_cell,
    csv_response,
    dashboard_data,
    filter_choices,
    section_rows,
    values_table,
)

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
EXPORT_LIMIT = 100_000

Viewer = Annotated[Principal, Depends(require(Permission.DASHBOARD_VIEW))]
Reader = Annotated[Principal, Depends(require(Permission.FEEDBACK_VIEW))]
CustomerReader = Annotated[Principal, Depends(require(Permission.CUSTOMERS_VIEW))]
Exporter = Annotated[Principal, Depends(require(Permission.DATA_EXPORT))]
UserAdmin = Annotated[Principal, Depends(require(Permission.USERS_MANAGE))]
TokenAdmin = Annotated[Principal, Depends(require(Permission.TOKENS_MANAGE))]
Anyone = Annotated[Principal | None, Depends(public)]


def _secure(request: Request) -> bool:
    forced = request.app.state.settings.secure_cookies
    return bool(forced) if forced is not None else request.url.scheme == "https"


def _start_session(request: Request, user: accounts.UserInfo) -> tuple[str, accounts.SessionInfo]:
    """A new session of ``user`` for this browser: its cookie token and the session."""
    return accounts.start_session(
        request.app.state.engine,
        user,
        now=now_of(request),
        policy=request.app.state.session_policy,
        user_agent=request.headers.get("user-agent"),
        address=client_address(request),
    )


def _set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=int(request.app.state.session_policy.lifetime.total_seconds()),
    )


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never ``//evil.example`` or ``https://…``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc:
        return "/"
    return target


def context(request: Request, principal: Principal | None, **values: Any) -> dict[str, Any]:
    """What every page's template is given: the principal, the locale, the path and query."""
    return {
        "principal": principal,
        "locale": request.state.locale,
        "path": request.url.path,
        "params": dict(request.query_params),
        "query": lambda **changes: forms.query_string(dict(request.query_params), **changes),
        **values,
    }


# Log-in and log-out ---------------------------------------------------------------------------


def _login_page(
    request: Request, *, error: str | None = None, email: str = "", status: int = 200
) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_login_csrf()
    response = page_response(
        request,
        "login.html",
        context(
            request,
            None,
            error=error,
            email=email,
            login_csrf=token,
            next=_safe_next(request.query_params.get("next")),
        ),
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, principal: Anyone) -> Response:
    if principal is not None and principal.kind == "user":
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    _principal: Anyone,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    await check_csrf(request, request.cookies.get(LOGIN_CSRF_COOKIE))
    engine, now = request.app.state.engine, now_of(request)
    try:
        user = accounts.authenticate(
            engine, email, password, address=client_address(request), now=now
        )
    except accounts.TooManyAttempts as exc:
        response = _login_page(
            request,
            error=_("Too many failed log-ins. Try again in a few minutes."),
            email=email,
            status=429,
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except accounts.LoginRefused:
        return _login_page(request, error=_("Wrong e-mail or password."), email=email, status=401)
    token, _started = _start_session(request, user)
    response = RedirectResponse(_safe_next(next_path), status_code=303)
    _set_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, principal: Viewer) -> Response:
    if principal.session_token:
        accounts.end_session(request.app.state.engine, principal.session_token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/account/language")
def choose_language(
    request: Request, principal: Viewer, locale: Annotated[str, Form(max_length=10)]
) -> Response:
    code = i18n.supported(locale)
    if code is None:
        raise InvalidInput(f"unknown language {locale!r}")
    if principal.kind == "user":
        accounts.update_user(request.app.state.engine, principal.id, locale=code)
    target = _safe_next(request.headers.get("referer", "/").split(request.url.netloc, 1)[-1])
    # Back to the page, without a ?lang= that would override the choice just made.
    parsed = urlparse(target)
    kept = [(key, value) for key, value in parse_qsl(parsed.query) if key != "lang"]
    target = parsed._replace(query=urlencode(kept)).geturl()
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _account_page(
    request: Request,
    principal: Principal,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    user = accounts.get_user(request.app.state.engine, principal.id)
    return page_response(
        request,
        "account.html",
        context(request, principal, user=user, message=message, error=error),
        status=status,
    )


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, principal: Viewer) -> Response:
    if principal.kind != "user":
        raise InvalidInput("an API token has no account page")
    return _account_page(request, principal)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    principal: Viewer,
    current: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)],
    new: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)],
    repeated: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)],
) -> Response:
    """Change one's own password: the current one is checked (and counted as a log-in attempt),
    every other session of the user ends, and this browser gets a new session."""
    if principal.kind != "user":
        raise InvalidInput("an API token has no password")
    engine, now = request.app.state.engine, now_of(request)
    me = accounts.get_user(engine, principal.id)
    try:
        accounts.authenticate(engine, me.email, current, address=client_address(request), now=now)
    except accounts.TooManyAttempts:
        return _account_page(
            request,
            principal,
            error=_("Too many failed log-ins. Try again in a few minutes."),
            status=429,
        )
    except accounts.LoginRefused:
        return _account_page(
            request, principal, error=_("The current password is not right."), status=400
        )
    if new != repeated:
        return _account_page(
            request, principal, error=_("The two new passwords differ."), status=400
        )
    try:
        accounts.set_password(engine, me.id, new, now=now)
    except InvalidInput as exc:
        return _account_page(request, principal, error=str(exc), status=400)
    token, session = _start_session(request, me)
    renewed = Principal.of_session(session, token)
    response = _account_page(request, renewed, message=_("Your password was changed."))
    _set_session_cookie(request, response, token)
    return response


@router.get("/healthz")
def health(_principal: Anyone) -> dict[str, str]:
    return {"status": "ok"}


# Dashboard ------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, principal: Viewer) -> Response:
    filters = forms.dashboard_filter(request.query_params)
    data = dashboard_data(request.app.state, filters)
    nps = data["nps"]
    trend = [
        charts.Point(row["month"], row["nps"], row["ci_low"], row["ci_high"])
        for row in nps["trend"]
    ]
    kind_names = _kind_names()
    volume = [
        (
            kind_names.get(row["kind"], row["kind"])
            + (f" · {row['platform']}" if row["platform"] else ""),
            float(row["items"]),
        )
        for row in data["volume"]
    ]
    sentiment_names = _sentiment_names()
    label = _theme_labeller(request)
    value = data["value"]
    currency = value.get("currency")
    figures = {
        "trend": charts.line_with_band(
            trend, title=_("NPS by month and its 95 % band"), value_text=i18n.signed
        ),
        "categories": charts.share_bar(
            [
                (_("Promoters"), nps["promoters"], "promoter"),
                (_("Passives"), nps["passives"], "passive"),
                (_("Detractors"), nps["detractors"], "detractor"),
            ],
            title=_("Promoters, passives and detractors"),
        ),
        "volume": charts.bars(volume, title=_("Feedback by source"), value_text=i18n.number),
        "sentiment": charts.bars(
            [(sentiment_names[key], float(n)) for key, n in data["sentiment"].items()],
            title=_("Feedback by sentiment"),
            value_text=i18n.number,
            css=list(SENTIMENTS),
        ),
        "themes": charts.bars(
            [(label(row["theme"]), float(row["items"])) for row in data["themes"]],
            title=_("Most mentioned themes"),
            value_text=i18n.number,
        ),
        "clv": charts.histogram(
            [(row["low"], row["high"], row["customers"]) for row in value.get("histogram", [])],
            title=_("Customers by lifetime value"),
            edge_text=lambda v: i18n.money(v, currency),
        ),
    }
    return page_response(
        request,
        "dashboard.html",
        context(
            request,
            principal,
            data=data,
            figures=figures,
            choices=filter_choices(request),
            sections=CSV_SECTIONS,
            kind_names=kind_names,
            sentiment_names=sentiment_names,
            theme_label=_theme_labeller(request),
        ),
    )


@router.get("/dashboard/{section}.csv")
def dashboard_csv(request: Request, section: str, _principal: Viewer) -> Response:
    if section not in CSV_SECTIONS:
        raise NotFound(f"no chart {section!r}: use one of {', '.join(CSV_SECTIONS)}")
    data = dashboard_data(request.app.state, forms.dashboard_filter(request.query_params))
    header, rows = section_rows(data, section)
    return csv_response(f"advocacy-{section}.csv", header, rows)


def _kind_names() -> dict[str, str]:
    return {
        "nps": _("NPS answers"),
        "review": _("Reviews"),
        "social": _("Social posts"),
        "ticket": _("Tickets"),
    }


def _sentiment_names() -> dict[str, str]:
    return {"negative": _("Negative"), "neutral": _("Neutral"), "positive": _("Positive")}


def _taxonomy(request: Request) -> Taxonomy:
    state = request.app.state
    return state.cache.get(  # type: ignore[no-any-return]
        ("taxonomy",), 3600.0, lambda: Taxonomy.load(state.settings.themes_file)
    )


def _theme_labeller(request: Request) -> Callable[[str], str]:
    """A theme's label in the page's language (its name when the taxonomy has no label)."""
    taxonomy, locale = _taxonomy(request), request.state.locale

    def label(name: str) -> str:
        try:
            return taxonomy[name].label(locale)
        except (KeyError, NotFound, InvalidInput):
            return name.replace("_", " ")

    return label


# Feedback inbox -------------------------------------------------------------------------------


@router.get("/feedback", response_class=HTMLResponse)
def inbox_page(request: Request, principal: Reader) -> Response:
    params = request.query_params
    filters = forms.feedback_filter(params)
    label = _theme_labeller(request)
    page = items.feedback_page(
        request.app.state.engine,
        filters,
        cursor=params.get("cursor") or None,
        limit=forms.page_size(params, items.PAGE_SIZE),
    )
    return page_response(
        request,
        "feedback.html",
        context(
            request,
            principal,
            page=page,
            choices=filter_choices(request),
            themes=_taxonomy(request).names,
            theme_names={name: label(name) for name in _taxonomy(request).names},
            kind_names=_kind_names(),
            sentiment_names=_sentiment_names(),
            theme_label=label,
        ),
    )


@router.get("/feedback/export.csv")
def inbox_export(request: Request, _principal: Exporter) -> Response:
    """The filtered items as CSV, with the redacted text (personal data removed)."""
    filters = forms.feedback_filter(request.query_params)
    engine = request.app.state.engine
    header = [
        "kind", "platform", "item_id", "occurred_at", "customer_id", "rating", "rating_scale",
        "language", "sentiment", "sentiment_score", "themes", "urgent", "url", "redacted_text",
    ]  # fmt: skip

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        cursor: str | None = None
        sent = 0
        while sent < EXPORT_LIMIT:
            page = items.feedback_page(engine, filters, cursor=cursor, limit=items.MAX_PAGE_SIZE)
            ids = [row["id"] for row in page.rows]
            redacted = items.redacted_texts(engine, ids)
            for row in page.rows:
                values = (
                    row["kind"], row["platform"], row["external_id"],
                    row["occurred_at"].isoformat(), row["customer"], row["rating"],
                    row["rating_scale"], row["language"], row["sentiment"],
                    row["sentiment_score"], ";".join(row["themes"]), row["urgent"],
                    row["link"], redacted.get(row["id"]),
                )  # fmt: skip
                writer.writerow([csv_cell(value) for value in values])
            sent += len(page.rows)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="advocacy-feedback.csv"'},
    )


@router.get("/feedback/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: int, principal: Reader) -> Response:
    item = items.feedback_item(request.app.state.engine, item_id)
    return page_response(
        request,
        "feedback_item.html",
        context(
            request,
            principal,
            item=item,
            kind_names=_kind_names(),
            sentiment_names=_sentiment_names(),
            theme_label=_theme_labeller(request),
        ),
    )


# Customers ------------------------------------------------------------------------------------


@router.get("/customers", response_class=HTMLResponse)
def customers_page(request: Request, principal: CustomerReader) -> Response:
    params = request.query_params
    page = items.customers_page(
        request.app.state.engine,
        forms.customer_filter(params),
        cursor=params.get("cursor") or None,
        limit=forms.page_size(params, items.PAGE_SIZE),
    )
    return page_response(
        request,
        "customers.html",
        context(request, principal, page=page, choices=filter_choices(request)),
    )


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
def customer_page(request: Request, customer_id: str, principal: CustomerReader) -> Response:
    from advocacy.web.advocate_pages import advocate_section

    customer = items.customer_360(
        request.app.state.engine,
        customer_id,
        now=now_of(request),
        values=values_table(request.app.state),
    )
    history = [
        charts.Point(i18n.date(row["at"]), float(row["score"])) for row in customer["nps_history"]
    ]
    figure = charts.line_with_band(
        history, title=_("NPS answers over time"), low=0, high=10, value_text=i18n.number
    )
    return page_response(
        request,
        "customer.html",
        context(
            request,
            principal,
            customer=customer,
            advocate=advocate_section(request, customer["customer_id"]),
            figure=figure,
            kind_names=_kind_names(),
            sentiment_names=_sentiment_names(),
            theme_label=_theme_labeller(request),
        ),
    )


# Administration -------------------------------------------------------------------------------


def _users_page(
    request: Request,
    principal: Principal,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    return page_response(
        request,
        "admin_users.html",
        context(
            request,
            principal,
            users=accounts.list_users(request.app.state.engine),
            roles=list(Role),
            descriptions=DESCRIPTIONS,
            message=message,
            error=error,
        ),
        status=status,
    )


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, principal: UserAdmin) -> Response:
    return _users_page(request, principal)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    principal: UserAdmin,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)],
    role: Annotated[str, Form(max_length=20)],
    name: Annotated[str, Form(max_length=300)] = "",
    locale: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        user = accounts.create_user(
            request.app.state.engine,
            email,
            password,
            role,
            now=now_of(request),
            name=name,
            locale=locale or None,
        )
    except InvalidInput as exc:
        return _users_page(request, principal, error=str(exc), status=400)
    return _users_page(request, principal, message=_("User added: ") + user.email)


@router.post("/admin/users/{user_id}", response_class=HTMLResponse)
def change_user(
    request: Request,
    user_id: int,
    principal: UserAdmin,
    role: Annotated[str, Form(max_length=20)] = "",
    active: Annotated[str, Form(max_length=5)] = "",
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)] = "",
) -> Response:
    engine = request.app.state.engine
    if principal.kind == "user" and user_id == principal.id and (role or active == "no"):
        return _users_page(
            request,
            principal,
            error=_("You cannot change your own role or deactivate yourself."),
            status=400,
        )
    try:
        if password:
            accounts.set_password(engine, user_id, password, now=now_of(request))
        user = accounts.update_user(
            engine,
            user_id,
            role=role or None,
            active=None if not active else active == "yes",
        )
    except InvalidInput as exc:
        return _users_page(request, principal, error=str(exc), status=400)
    return _users_page(request, principal, message=_("User changed: ") + user.email)


def _tokens_page(
    request: Request,
    principal: Principal,
    *,
    new_token: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    return page_response(
        request,
        "admin_tokens.html",
        context(
            request,
            principal,
            tokens=accounts.list_tokens(request.app.state.engine),
            roles=list(Role),
            new_token=new_token,
            error=error,
        ),
        status=status,
    )


@router.get("/admin/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, principal: TokenAdmin) -> Response:
    return _tokens_page(request, principal)


@router.post("/admin/tokens", response_class=HTMLResponse)
def add_token(
    request: Request,
    principal: TokenAdmin,
    role: Annotated[str, Form(max_length=20)],
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        token, _info = accounts.create_token(
            request.app.state.engine,
            role,
            now=now_of(request),
            name=name,
            created_by=principal.id if principal.kind == "user" else None,
        )
    except InvalidInput as exc:
        return _tokens_page(request, principal, error=str(exc), status=400)
    return _tokens_page(request, principal, new_token=token)


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, token_id: int, principal: TokenAdmin) -> Response:
    accounts.revoke_token(request.app.state.engine, token_id, now=now_of(request))
    return _tokens_page(request, principal)
