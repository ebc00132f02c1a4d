"""Replies to customers, written from a case: by hand or from a template in their language.

**Templates.** Seven ship in English, Spanish, Russian and Romanian (:data:`DEFAULTS`):
``apology``, ``resolved``, ``thanks``, ``review_reply`` (a public reply: no personal data, an
invitation to get in touch privately), ``late_delivery`` (the proactive message for an order
running late), and the advocate programme's ``advocate_thanks`` and ``review_invitation``. A
company overrides any of them, or adds its own keys and languages, in ``reply_templates``
(:func:`set_template`). The placeholders are ``{customer_name}``, ``{company}``, ``{agent}``,
``{order}``, ``{contact}`` (the programme's direct contact) and ``{review_links}``; any other
brace is refused when a template is
saved. A placeholder without a value is left out with the comma or space before it
(``Hola, {customer_name}:`` becomes ``Hola:``; at the start of a line, with the comma after it),
and a line that held nothing else is dropped.
Values are filled in one pass, never read again: a customer called ``{company}`` stays
``{company}``.

**Channels.** A reply goes by ``email`` when the customer has an address (``queued``; the
worker sends it) or, for a public review or social post, on the ``platform`` (``to_post``:
exported with :func:`to_post_csv`, posted by hand, then :func:`mark_posted`). A platform
reply never carries the customer's name or order, whatever the template says: the review is
public, the catalogue's record of the customer is not.

Each reply is written on the case's timeline (``reply``, ``reply_posted``) and is the case's
first response if it has none. Texts are stored as written (HTML included); escaping is the
job of whatever shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from advocacy.config import Settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.services.cases import CASE_ITEMS, CASES, _event, language_code
from advocacy.store.engine import connected
from advocacy.store.tables import CaseReply, Customer, FeedbackItem, ReplyTemplate

REPLIES = cast(Table, CaseReply.__table__)
TEMPLATES = cast(Table, ReplyTemplate.__table__)
_ITEMS = cast(Table, FeedbackItem.__table__)
_CUSTOMERS = cast(Table, Customer.__table__)

PLACEHOLDERS = ("customer_name", "company", "agent", "order", "contact", "review_links")
CHANNELS = ("email", "platform")
STATUSES = ("queued", "sending", "sent", "failed", "to_post", "posted")
#: Feedback kinds whose replies are public, posted where the customer wrote.
PUBLIC_KINDS = ("review", "social")
MAX_BODY = 10_000
MAX_SUBJECT = 300
EXCERPT = 200
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]+")
#: What a spreadsheet would read as a formula (OWASP: CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

_SIGNED = "\n\n{sign_off}\n{agent}\n{company}"
_WORDING: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "apology": (
            "We are sorry",
            "Hello {customer_name},\n\nWe are sorry that we let you down. Thank you for telling "
            "us: we are already looking into it and will write to you again as soon as it is "
            "put right.\n\nIf you would like to add anything, just reply to this message.",
        ),
        "resolved": (
            "Your issue has been resolved",
            "Hello {customer_name},\n\nGood news: we have fixed the problem you told us about. "
            "Thank you for your patience.\n\nIf anything is still not right, please reply to "
            "this message and we will take care of it.",
        ),
        "thanks": (
            "Thank you for your feedback",
            "Hello {customer_name},\n\nThank you for taking the time to tell us what you think. "
            "Our team reads every answer, and yours helps us improve.",
        ),
        "review_reply": (
            "Reply to your review",
            "Thank you for your review, and we are sorry your experience fell short. We would "
            "like to put it right: please contact our customer care team directly so that we "
            "can look into it.\n\n{company}",
        ),
        "late_delivery": (
            "Your order {order} is running late",
            "Hello {customer_name},\n\nYour order {order} will not arrive on the date we "
            "promised, and we are sorry. We are following it up with the carrier and will let "
            "you know as soon as it is on its way.\n\nIf you have any questions, just reply to "
            "this message.",
        ),
        "advocate_thanks": (
            "Thank you, {customer_name}",
            "Hello {customer_name},\n\nThank you for your kind words about us. Customers like "
            "you are the reason we do what we do, and we do not take your trust for granted.\n\n"
            "Whenever there is anything we can do for you, you can reach us directly: {contact}",
        ),
        "review_invitation": (
            "How was your order {order}?",
            "Hello {customer_name},\n\nThank you for your order {order}. Would you tell others "
            "how it went? Every review helps, whatever you thought of us, good or bad: "
            "{review_links}\n\nIt takes a minute, and we read every one.",
        ),
        "sign_off": ("Kind regards,", ""),
        "company": ("Customer care team", ""),
        "subject": ("About your feedback", ""),
    },
    "es": {
        "apology": (
            "Lo sentimos",
            "Hola, {customer_name}:\n\nSentimos mucho no haber estado a la altura. Gracias por "
            "contárnoslo: ya lo estamos revisando y le escribiremos de nuevo en cuanto esté "
            "resuelto.\n\nSi desea añadir algo, basta con responder a este mensaje.",
        ),
        "resolved": (
            "Hemos resuelto su incidencia",
            "Hola, {customer_name}:\n\nBuenas noticias: hemos solucionado el problema que nos "
            "comunicó. Gracias por su paciencia.\n\nSi algo sigue sin estar bien, responda a "
            "este mensaje y nos ocuparemos de ello.",
        ),
        "thanks": (
            "Gracias por su opinión",
            "Hola, {customer_name}:\n\nGracias por dedicar su tiempo a contarnos su opinión. "
            "Nuestro equipo lee todas las respuestas, y la suya nos ayuda a mejorar.",
        ),
        "review_reply": (
            "Respuesta a su reseña",
            "Gracias por su reseña. Lamentamos que su experiencia no haya sido la esperada. "
            "Queremos solucionarlo: póngase en contacto directamente con nuestro equipo de "
            "atención al cliente para que podamos revisarlo.\n\n{company}",
        ),
        "late_delivery": (
            "Su pedido {order} se está retrasando",
            "Hola, {customer_name}:\n\nSu pedido {order} no llegará en la fecha que le "
            "prometimos, y lo sentimos. Estamos haciendo el seguimiento con la empresa de "
            "transporte y le avisaremos en cuanto esté en camino.\n\nSi tiene cualquier "
            "pregunta, basta con responder a este mensaje.",
        ),
        "advocate_thanks": (
            "Gracias, {customer_name}",
            "Hola, {customer_name}:\n\nGracias por sus amables palabras. Clientes como usted son "
            "la razón de lo que hacemos, y no damos su confianza por sentada.\n\nSiempre que "
            "podamos hacer algo por usted, puede escribirnos o llamarnos directamente: {contact}",
        ),
        "review_invitation": (
            "¿Qué tal su pedido {order}?",
            "Hola, {customer_name}:\n\nGracias por su pedido {order}. ¿Contaría a otros cómo le "
            "fue? Toda reseña ayuda, sea cual sea su opinión, buena o mala: {review_links}\n\n"
            "Solo lleva un minuto, y las leemos todas.",
        ),
        "sign_off": ("Un cordial saludo,", ""),
        "company": ("Equipo de atención al cliente", ""),
        "subject": ("Sobre su opinión", ""),
    },
    "ru": {
        "apology": (
            "Приносим извинения",
            "Здравствуйте, {customer_name}!\n\nПриносим извинения за то, что не оправдали ваших "
            "ожиданий. Спасибо, что рассказали нам: мы уже разбираемся и напишем вам снова, "
            "как только всё исправим.\n\nЕсли хотите что-то добавить, просто ответьте на это "
            "письмо.",
        ),
        "resolved": (
            "Ваш вопрос решён",
            "Здравствуйте, {customer_name}!\n\nХорошие новости: мы устранили проблему, о которой "
            "вы сообщили. Спасибо за терпение.\n\nЕсли что-то по-прежнему не так, ответьте на "
            "это письмо, и мы обязательно этим займёмся.",
        ),
        "thanks": (
            "Спасибо за ваш отзыв",
            "Здравствуйте, {customer_name}!\n\nСпасибо, что нашли время поделиться своим "
            "мнением. Наша команда читает каждый ответ, и ваш помогает нам становиться лучше.",
        ),
        "review_reply": (
            "Ответ на ваш отзыв",
            "Спасибо за отзыв. Нам жаль, что впечатление оказалось не таким, как вы ожидали. "
            "Мы хотим всё исправить: пожалуйста, свяжитесь напрямую с нашей службой заботы о "
            "клиентах, и мы во всём разберёмся.\n\n{company}",
        ),
        "late_delivery": (
            "Ваш заказ {order} задерживается",
            "Здравствуйте, {customer_name}!\n\nК сожалению, ваш заказ {order} не придёт в "
            "обещанный срок — приносим извинения. Мы отслеживаем его вместе со службой "
            "доставки и сообщим вам, как только он будет в пути.\n\nЕсли у вас есть вопросы, "
            "просто ответьте на это письмо.",
        ),
        "advocate_thanks": (
            "Спасибо, {customer_name}",
            "Здравствуйте, {customer_name}!\n\nСпасибо за ваши добрые слова. Такие клиенты, как "
            "вы, — причина, по которой мы делаем свою работу, и мы очень ценим ваше доверие.\n\n"
            "Если мы можем что-то для вас сделать, свяжитесь с нами напрямую: {contact}",
        ),
        "review_invitation": (
            "Как вам заказ {order}?",
            "Здравствуйте, {customer_name}!\n\nСпасибо за заказ {order}. Расскажете другим, как "
            "всё прошло? Важен любой отзыв — и хороший, и плохой: {review_links}\n\nЭто займёт "
            "минуту, и мы читаем каждый отзыв.",
        ),
        "sign_off": ("С уважением,", ""),
        "company": ("Служба заботы о клиентах", ""),
        "subject": ("О вашем отзыве", ""),
    },
    "ro": {
        "apology": (
            "Ne pare rău",
            "Bună ziua, {customer_name},\n\nNe pare rău că nu ne-am ridicat la înălțimea "
            "așteptărilor dumneavoastră. Vă mulțumim că ne-ați spus: ne ocupăm deja de situație "
            "și vă vom scrie din nou imediat ce o rezolvăm.\n\nDacă doriți să adăugați ceva, "
            "este suficient să răspundeți la acest mesaj.",
        ),
        "resolved": (
            "Problema dumneavoastră a fost rezolvată",
            "Bună ziua, {customer_name},\n\nVești bune: am rezolvat problema pe care ne-ați "
            "semnalat-o. Vă mulțumim pentru răbdare.\n\nDacă ceva tot nu este în regulă, "
            "răspundeți la acest mesaj și ne ocupăm imediat.",
        ),
        "thanks": (
            "Vă mulțumim pentru părere",
            "Bună ziua, {customer_name},\n\nVă mulțumim că v-ați făcut timp să ne spuneți ce "
            "credeți. Echipa noastră citește fiecare răspuns, iar al dumneavoastră ne ajută să "
            "ne îmbunătățim.",
        ),
        "review_reply": (
            "Răspuns la recenzia dumneavoastră",
            "Vă mulțumim pentru recenzie și ne pare rău că experiența nu a fost cea așteptată. "
            "Dorim să îndreptăm lucrurile: vă rugăm să contactați direct echipa noastră de "
            "relații cu clienții, ca să putem analiza situația.\n\n{company}",
        ),
        "late_delivery": (
            "Comanda dumneavoastră {order} întârzie",
            "Bună ziua, {customer_name},\n\nComanda dumneavoastră {order} nu va ajunge la data "
            "promisă și ne pare rău. O urmărim împreună cu firma de curierat și vă anunțăm "
            "imediat ce pornește spre dumneavoastră.\n\nDacă aveți întrebări, este suficient să "
            "răspundeți la acest mesaj.",
        ),
        "advocate_thanks": (
            "Vă mulțumim, {customer_name}",
            "Bună ziua, {customer_name},\n\nVă mulțumim pentru cuvintele frumoase. Clienții ca "
            "dumneavoastră sunt motivul pentru care facem ceea ce facem, iar încrederea "
            "dumneavoastră contează pentru noi.\n\nOricând putem face ceva pentru "
            "dumneavoastră, ne puteți contacta direct: {contact}",
        ),
        "review_invitation": (
            "Cum a fost comanda {order}?",
            "Bună ziua, {customer_name},\n\nVă mulțumim pentru comanda {order}. Le-ați spune și "
            "altora cum a fost? Orice recenzie ne ajută, indiferent de părere, bună sau rea: "
            "{review_links}\n\nDurează un minut și le citim pe toate.",
        ),
        "sign_off": ("Cu stimă,", ""),
        "company": ("Echipa de relații cu clienții", ""),
        "subject": ("Despre părerea dumneavoastră", ""),
    },
}

KEYS = (
    "apology",
    "resolved",
    "thanks",
    "review_reply",
    "late_delivery",
    "advocate_thanks",
    "review_invitation",
)
SHIPPED = tuple(_WORDING)
#: ``{language: {key: (subject, body)}}``: the wording Advocacy ships. The e-mail templates end
#: with a signature (the agent, then the company); the public ``review_reply`` names the company
#: alone.
DEFAULTS: dict[str, dict[str, tuple[str, str]]] = {
    language: {
        key: (
            words[key][0],
            words[key][1]
            + ("" if key == "review_reply" else _SIGNED.format(sign_off=words["sign_off"][0],
                                                              agent="{agent}",
                                                              company="{company}")),
        )
        for key in KEYS
    }
    for language, words in _WORDING.items()
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Template:
    """A reply template: ``custom`` when the company saved its own wording."""

    key: str
    language: str
    subject: str
    body: str
    custom: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "language": self.language,
            "subject": self.subject,
            "body": self.body,
            "custom": self.custom,
            "placeholders": [p for p in PLACEHOLDERS if "{" + p + "}" in self.subject + self.body],
        }


# --- wording ------------------------------------------------------------------------------


def configured_company(settings: Settings | None) -> str | None:
    """The company's name when the installation gives one: the display name of the survey
    sender (``ADVOCACY_MAIL_FROM``); ``None`` for the product's default sender."""
    if settings is None:
        return None
    name = _ONE_LINE.sub(" ", parseaddr(settings.mail_from)[0]).strip()
    return name[:200] if name and name != "Advocacy" else None


def company_name(settings: Settings | None, language: str = "en") -> str:
    """The company's name as a reply signs it: :func:`configured_company`, else "customer care
    team" in ``language``."""
    return configured_company(settings) or _WORDING.get(language, _WORDING["en"])["company"][0]


def _one_line(value: str | None, limit: int = 200) -> str | None:
    """A placeholder's value: one line, no control characters, trimmed; ``None`` when empty."""
    text = _ONE_LINE.sub(" ", value or "").strip()[:limit]
    return text or None


def fill(text: str, values: Mapping[str, str | None]) -> str:
    """``text`` with its placeholders filled, in one pass. A placeholder without a value goes
    with the comma or spaces before it; a line left with nothing else is dropped."""
    lines = []
    for line in text.split("\n"):

        def value(found: re.Match[str]) -> str:
            given = values.get(found.group(2))
            after = found.group(3) or ""
            if given:
                return found.group(1) + given + after
            # "{customer_name}, hi" → "hi"; "Hello {customer_name}, all" → "Hello, all"
            return "" if found.start() == 0 else after

        filled = re.sub(r"((?:[ \t]*,)?[ \t]*)\{([a-z_]+)\}(,[ \t]*)?", value, line)
        if line.strip() and not filled.strip():
            continue
        lines.append(filled)
    return "\n".join(lines)


def check_template(subject: str, body: str) -> tuple[str, str]:
    """A template's subject and body, checked: 1–300 and 1–10,000 characters, and no brace but
    the known placeholders."""
    subject = _ONE_LINE.sub(" ", subject or "").strip()
    body = _CONTROL.sub("", (body or "").replace("\r\n", "\n")).strip()
    if not 0 < len(subject) <= MAX_SUBJECT:
        raise InvalidInput(f"subject: 1 to {MAX_SUBJECT} characters")
    if not 0 < len(body) <= MAX_BODY:
        raise InvalidInput(f"body: 1 to {MAX_BODY:,} characters")
    for where, text in (("subject", subject), ("body", body)):
        unknown = sorted({p for p in re.findall(r"\{([^{}]*)\}", text) if p not in PLACEHOLDERS})
        if unknown:
            raise InvalidInput(
                f"{where}: unknown placeholders {', '.join('{' + p + '}' for p in unknown)}; "
                f"use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
            )
        if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
            raise InvalidInput(f"{where}: a brace that is not part of a placeholder")
    return subject, body


def _language(value: str) -> str:
    code = str(value or "").strip().lower()
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise InvalidInput(f"language: a language code (ISO 639-1), not {value!r}")
    return code


def list_templates(engine: Engine) -> list[Template]:
    """Every template in every language: the company's own wording over the shipped one."""
    with engine.connect() as connection:
        saved = connection.execute(select(TEMPLATES).order_by(TEMPLATES.c.key)).all()
    found = {
        (key, language): Template(key, language, *wording, custom=False)
        for language, keys in DEFAULTS.items()
        for key, wording in keys.items()
    }
    for row in saved:
        found[(row.key, row.language)] = Template(
            row.key, row.language, row.subject, row.body, custom=True
        )
    order = {key: i for i, key in enumerate(KEYS)}
    return sorted(found.values(), key=lambda t: (order.get(t.key, len(KEYS)), t.key, t.language))


def template_for(engine: Engine | Connection, key: str, language: str) -> Template:
    """The template ``key`` in ``language``: the company's, else the shipped one, else (for a
    language neither has) the English one."""
    query = select(TEMPLATES).where(
        TEMPLATES.c.key == key, TEMPLATES.c.language.in_([language, "en"])
    )
    with connected(engine) as connection:
        rows = connection.execute(query).all()
    saved = {row.language: row for row in rows}
    for code in (language, "en"):
        if code in saved:
            row = saved[code]
            return Template(key, code, row.subject, row.body, custom=True)
        if key in DEFAULTS.get(code, {}):
            return Template(key, code, *DEFAULTS[code][key], custom=False)
    raise NotFound(f"no reply template {key!r} (advocacy cases templates)")


def set_template(
    engine: Engine, key: str, language: str, subject: str, body: str, *, now: dt.datetime
) -> Template:
    """Save the company's wording of template ``key`` in ``language`` (a new key or language
    is added)."""
    key = str(key or "").strip().lower()
    if not _KEY.match(key):
        raise InvalidInput("key: 1–60 lower-case letters, digits and underscores (e.g. apology)")
    language = _language(language)
    subject, body = check_template(subject, body)
    table = TEMPLATES
    where = (table.c.key == key) & (table.c.language == language)
    values = {"subject": subject, "body": body, "updated_at": now}
    for _attempt in range(2):
        try:
            with engine.begin() as connection:
                done = connection.execute(update(table).where(where).values(**values)).rowcount
                if not done:
                    connection.execute(insert(table).values(key=key, language=language, **values))
            break
        except IntegrityError:  # saved by someone else meanwhile: update theirs
            continue
    return Template(key, language, subject, body, custom=True)


def render(template: Template, values: Mapping[str, str | None]) -> tuple[str, str]:
    """A template's subject and body filled with ``values`` (each made one line of text)."""
    cleaned = {name: _one_line(values.get(name)) for name in PLACEHOLDERS}
    subject = _ONE_LINE.sub(" ", fill(template.subject, cleaned)).strip()
    return subject[:MAX_SUBJECT], fill(template.body, cleaned).strip()


# --- writing replies -----------------------------------------------------------------------


def _case(connection: Connection, case_id: int) -> Any:
    c = _CUSTOMERS.c
    row = connection.execute(
        select(
            CASES.c.id, CASES.c.language, CASES.c.details, CASES.c.customer_id,
            c.name.label("customer_name"), c.email, c.locale,
        )
        .select_from(CASES.outerjoin(_CUSTOMERS, c.id == CASES.c.customer_id))
        .where(CASES.c.id == case_id)
    ).first()  # fmt: skip
    if row is None:
        raise NotFound(f"no case {case_id}")
    return row


def _items(connection: Connection, case_id: int) -> list[Any]:
    f = _ITEMS.c
    return list(
        connection.execute(
            select(
                f.id, f.kind, f.platform, f.external_id, f.language, f.detected_language,
                f.order_ref, f.author, f.rating, f.rating_scale, f.text, f.url,
            )
            .join(CASE_ITEMS, CASE_ITEMS.c.feedback_item_id == f.id)
            .where(CASE_ITEMS.c.case_id == case_id)
            .order_by(CASE_ITEMS.c.added_at, f.id)
        ).all()
    )  # fmt: skip


def reply_language(
    given: str | None, case_language: str | None, locale: str | None, item_language: str | None
) -> str:
    """The language to reply in: the one asked for, else the case's, else the customer's
    locale (``es-ES`` → ``es``), else the item's, else English."""
    if given:
        return _language(given)
    for candidate in (case_language, locale, item_language):
        code = language_code(candidate)
        if code:
            return code
    return "en"


def _order_of(items: Sequence[Any], chosen: Any, details: Mapping[str, Any] | None) -> str | None:
    for item in [chosen, *items]:
        if item is not None and item.order_ref:
            return str(item.order_ref)
    details = details or {}
    for name in ("order_ref", "order_id", "order"):
        if details.get(name):
            return str(details[name])
    return None


def write_reply(
    engine: Engine,
    case_id: int,
    *,
    actor: str,
    now: dt.datetime,
    body: str | None = None,
    template: str | None = None,
    language: str | None = None,
    item_id: int | None = None,
    channel: str | None = None,
    subject: str | None = None,
    agent: str | None = None,
    company: str | None = None,
) -> dict[str, Any]:
    """Write a reply to the customer of case ``case_id``: ``body`` as written, or rendered from
    ``template``, in ``language`` (:func:`reply_language`), about ``item_id`` (one of the
    case's items; default its first). ``channel`` defaults to ``email`` when the customer has an
    address, else ``platform`` for a review or social post; a reply that can go neither way is
    refused. ``agent`` and ``company`` sign it (without a company: "customer care team" in the
    reply's language). Returns the reply."""
    if (body is None) == (template is None):
        raise InvalidInput("give a body or a template, not both")
    if channel is not None and channel not in CHANNELS:
        raise InvalidInput(f"channel: one of {', '.join(CHANNELS)}, not {channel!r}")
    with engine.begin() as connection:
        case = _case(connection, case_id)
        items = _items(connection, case_id)
        if item_id is not None:
            chosen = next((item for item in items if item.id == item_id), None)
            if chosen is None:
                raise InvalidInput(f"item {item_id} is not in case {case_id}")
        else:
            posts = [item for item in items if item.kind in PUBLIC_KINDS]
            chosen = items[0] if items else None
            if not (case.email and "@" in case.email) and posts:
                chosen = posts[0]
        address = case.email if case.email and "@" in case.email else None
        postable = chosen is not None and chosen.kind in PUBLIC_KINDS
        if channel is None:
            channel = "email" if address else "platform" if postable else None
        if channel is None:
            raise InvalidInput(
                f"case {case_id} cannot be replied to: its customer has no e-mail address and "
                "it has no public review or post to answer"
            )
        if channel == "email" and not address:
            raise InvalidInput(f"case {case_id}: the customer has no e-mail address")
        if channel == "platform" and not postable:
            raise InvalidInput(
                f"case {case_id}: a platform reply answers a review or a social post; "
                "name one with item_id"
            )
        item_language = None
        if chosen is not None:
            item_language = chosen.language or chosen.detected_language
        code = reply_language(language, case.language, case.locale, item_language)
        if template is not None:
            found = template_for(connection, str(template).strip().lower(), code)
            code = found.language
            public = channel == "platform"  # no personal data in a public reply
            values = {
                "customer_name": None if public else case.customer_name,
                "order": None if public else _order_of(items, chosen, case.details),
                "agent": agent,
                "company": company or company_name(None, code),
            }
            title, text = render(found, values)
        else:
            title = _WORDING.get(code, _WORDING["en"])["subject"][0]
            text = _CONTROL.sub("", str(body).replace("\r\n", "\n")).strip()
        if subject is not None:
            title = _ONE_LINE.sub(" ", subject).strip()
            if not 0 < len(title) <= MAX_SUBJECT:
                raise InvalidInput(f"subject: 1 to {MAX_SUBJECT} characters")
        if not 0 < len(text) <= MAX_BODY:
            raise InvalidInput(f"body: 1 to {MAX_BODY:,} characters")
        email = channel == "email"
        reply_id = int(
            connection.execute(
                insert(REPLIES).values(
                    case_id=case_id,
                    feedback_item_id=chosen.id if chosen is not None else None,
                    channel=channel,
                    language=code,
                    subject=title if email else None,
                    body=text,
                    to_address=address if email else None,
                    status="queued" if email else "to_post",
                    attempts=0,
                    next_attempt_at=now if email else None,
                    created_at=now,
                    created_by=actor,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        connection.execute(
            update(CASES)
            .where(CASES.c.id == case_id)
            .values(first_response_at=func.coalesce(CASES.c.first_response_at, now), updated_at=now)
        )
        _event(connection, case_id, now, actor, "reply", reply_id=reply_id, channel=channel,
               language=code, **({"template": template} if template else {}))  # fmt: skip
    return get_reply(engine, reply_id)


def _reply_query() -> Any:
    f = _ITEMS.c
    return (
        select(
            REPLIES,
            f.kind.label("item_kind"),
            f.platform,
            f.external_id.label("item_external_id"),
            f.author,
            f.rating,
            f.rating_scale,
            f.text.label("item_text"),
            f.url.label("item_url"),
        )
        .select_from(REPLIES.outerjoin(_ITEMS, f.id == REPLIES.c.feedback_item_id))
        .order_by(REPLIES.c.created_at, REPLIES.c.id)
    )


def _reply_document(row: Any) -> dict[str, Any]:
    def when(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": row.id,
        "case_id": row.case_id,
        "item_id": row.feedback_item_id,
        "channel": row.channel,
        "language": row.language,
        "subject": row.subject,
        "body": row.body,
        "to_address": row.to_address,
        "status": row.status,
        "attempts": row.attempts,
        "error": row.error,
        "created_at": when(row.created_at),
        "created_by": row.created_by,
        "sent_at": when(row.sent_at),
        "platform": row.platform or None,
        "review_id": row.item_external_id,
        "author": row.author,
        "rating": row.rating,
        "rating_scale": row.rating_scale,
        "review_excerpt": _excerpt(row.item_text),
        "url": row.item_url,
    }


def _excerpt(text: str | None) -> str | None:
    if not text:
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


def get_reply(engine: Engine, reply_id: int) -> dict[str, Any]:
    """One reply, with the review or post it answers."""
    with engine.connect() as connection:
        row = connection.execute(_reply_query().where(REPLIES.c.id == reply_id)).first()
    if row is None:
        raise NotFound(f"no reply {reply_id}")
    return _reply_document(row)


def replies_of(engine: Engine, case_id: int) -> list[dict[str, Any]]:
    """The replies of a case, oldest first."""
    with engine.connect() as connection:
        _case(connection, case_id)
        rows = connection.execute(_reply_query().where(REPLIES.c.case_id == case_id)).all()
    return [_reply_document(row) for row in rows]


def list_replies(
    engine: Engine, *, status: str | None = None, limit: int = 1_000
) -> list[dict[str, Any]]:
    """Replies of every case, oldest first; ``status`` (e.g. ``to_post``) narrows them."""
    query = _reply_query().limit(max(1, min(limit, 100_000)))
    if status is not None:
        if status not in STATUSES:
            raise InvalidInput(f"status: one of {', '.join(STATUSES)}, not {status!r}")
        query = query.where(REPLIES.c.status == status)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [_reply_document(row) for row in rows]


def replies_to_post(engine: Engine) -> list[dict[str, Any]]:
    """The public replies still to be posted on their platform by hand, oldest first."""
    return list_replies(engine, status="to_post", limit=100_000)


CSV_COLUMNS = (
    "platform", "review_id", "author", "rating", "review_excerpt", "reply", "case_id", "reply_id",
    "url",
)  # fmt: skip


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with ``= + - @`` (or a tab or a
    carriage return) gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def to_post_csv(engine: Engine) -> str:
    """The replies to post, as CSV (UTF-8 text, a header row): where to post each, the review
    it answers and the reply's text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for reply in replies_to_post(engine):
        row = {**reply, "reply": reply["body"], "reply_id": reply["id"]}
        writer.writerow([safe_cell(row[name]) for name in CSV_COLUMNS])
    return out.getvalue()


def mark_posted(engine: Engine, reply_id: int, *, actor: str, now: dt.datetime) -> dict[str, Any]:
    """Record that a public reply was posted on its platform."""
    with engine.begin() as connection:
        row = connection.execute(
            select(REPLIES.c.case_id, REPLIES.c.status).where(REPLIES.c.id == reply_id)
        ).first()
        if row is None:
            raise NotFound(f"no reply {reply_id}")
        done = connection.execute(
            update(REPLIES)
            .where(REPLIES.c.id == reply_id, REPLIES.c.status == "to_post")
            .values(status="posted", sent_at=now)
        ).rowcount
        if not done:
            raise InvalidInput(f"reply {reply_id} is {row.status}, not waiting to be posted")
        connection.execute(update(CASES).where(CASES.c.id == row.case_id).values(updated_at=now))
        _event(connection, row.case_id, now, actor, "reply_posted", reply_id=reply_id)
    return get_reply(engine, reply_id)
