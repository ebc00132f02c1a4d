"""What a survey says to customers, in each shipped language.

A survey stores its own wording per language (``Survey.texts``); any key it leaves out takes
the default below, so a company can change the question alone and keep the rest. A language
without any wording falls back to the survey's default language. Placeholders: ``{name}`` (the
customer's name, or nothing), ``{order}`` (the order's id) and ``{date}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from advocacy.errors import InvalidInput

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

#: The languages whose wording ships with Advocacy; others are added by giving every key.
SHIPPED = ("en", "es", "ru", "ro")

DEFAULTS: dict[str, dict[str, str]] = {
    "en": {
        "question": "How likely are you to recommend us to a friend or colleague?",
        "reason": "What is the main reason for your score?",
        "low": "Not at all likely",
        "high": "Extremely likely",
        "subject": "One question about your recent order",
        "reminder_subject": "A reminder: one question about your recent order",
        "greeting": "Hello {name},",
        "greeting_anonymous": "Hello,",
        "intro": "Thank you for your order {order}. Would you answer one question? One click is enough:",
        "intro_no_order": "Would you answer one question? One click is enough:",
        "scale_hint": "0 means not at all likely, 10 extremely likely.",
        "submit": "Send",
        "score_legend": "Your score, from 0 to 10",
        "reason_placeholder": "Tell us in your own words (optional)",
        "recorded": "Your score has been recorded. Would you tell us why?",
        "thanks": "Thank you for your answer!",
        "thanks_detail": "Our customer team reads every answer.",
        "change_until": "You can change your answer until {date}.",
        "unsubscribe_link": "Do not want to receive these e-mails? Unsubscribe",
        "unsubscribe_title": "Unsubscribe from surveys",
        "unsubscribe_question": "Stop sending me surveys by e-mail.",
        "unsubscribe_button": "Unsubscribe",
        "unsubscribed": "You are unsubscribed: we will not send you surveys any more.",
        "invalid_link": "This link is not valid. Please use the link from your e-mail as it is.",
        "expired_link": "This survey has closed. Thank you all the same!",
        "bad_score": "Please choose a score from 0 to 10.",
        "unavailable": "This survey is not open.",
        "footer": "You receive this e-mail because you ordered from us.",
        "close": "Close",
    },
    "es": {
        "question": "¿Qué probabilidad hay de que nos recomiende a un amigo o colega?",
        "reason": "¿Cuál es el motivo principal de su puntuación?",
        "low": "Nada probable",
        "high": "Muy probable",
        "subject": "Una pregunta sobre su pedido reciente",
        "reminder_subject": "Recordatorio: una pregunta sobre su pedido reciente",
        "greeting": "Hola, {name}:",
        "greeting_anonymous": "Hola:",
        "intro": "Gracias por su pedido {order}. ¿Nos responde una pregunta? Basta con un clic:",
        "intro_no_order": "¿Nos responde una pregunta? Basta con un clic:",
        "scale_hint": "0 significa nada probable y 10, muy probable.",
        "submit": "Enviar",
        "score_legend": "Su puntuación, de 0 a 10",
        "reason_placeholder": "Cuéntenos con sus propias palabras (opcional)",
        "recorded": "Hemos registrado su puntuación. ¿Nos dice por qué?",
        "thanks": "¡Gracias por su respuesta!",
        "thanks_detail": "Nuestro equipo de atención al cliente lee todas las respuestas.",
        "change_until": "Puede cambiar su respuesta hasta el {date}.",
        "unsubscribe_link": "¿No quiere recibir estos correos? Darse de baja",
        "unsubscribe_title": "Darse de baja de las encuestas",
        "unsubscribe_question": "No quiero recibir más encuestas por correo.",
        "unsubscribe_button": "Darme de baja",
        "unsubscribed": "Se ha dado de baja: no le enviaremos más encuestas.",
        "invalid_link": "Este enlace no es válido. Use el enlace de su correo tal como está.",
        "expired_link": "Esta encuesta ya está cerrada. ¡Gracias de todos modos!",
        "bad_score": "Elija una puntuación de 0 a 10.",
        "unavailable": "Esta encuesta no está abierta.",
        "footer": "Recibe este correo porque nos hizo un pedido.",
        "close": "Cerrar",
    },
    "ru": {
        "question": "Насколько вероятно, что вы порекомендуете нас другу или коллеге?",
        "reason": "Какова главная причина вашей оценки?",
        "low": "Совсем маловероятно",
        "high": "Очень вероятно",
        "subject": "Один вопрос о вашем недавнем заказе",
        "reminder_subject": "Напоминание: один вопрос о вашем недавнем заказе",
        "greeting": "Здравствуйте, {name}!",
        "greeting_anonymous": "Здравствуйте!",
        "intro": "Спасибо за заказ {order}. Ответите на один вопрос? Достаточно одного клика:",
        "intro_no_order": "Ответите на один вопрос? Достаточно одного клика:",
        "scale_hint": "0 — совсем маловероятно, 10 — очень вероятно.",
        "submit": "Отправить",
        "score_legend": "Ваша оценка от 0 до 10",
        "reason_placeholder": "Расскажите своими словами (необязательно)",
        "recorded": "Ваша оценка сохранена. Расскажете, почему?",
        "thanks": "Спасибо за ваш ответ!",
        "thanks_detail": "Наша служба заботы о клиентах читает каждый ответ.",
        "change_until": "Вы можете изменить ответ до {date}",
        "unsubscribe_link": "Не хотите получать такие письма? Отписаться",
        "unsubscribe_title": "Отписка от опросов",
        "unsubscribe_question": "Больше не присылайте мне опросы по электронной почте.",
        "unsubscribe_button": "Отписаться",
        "unsubscribed": "Вы отписались: мы больше не будем присылать вам опросы.",
        "invalid_link": "Эта ссылка недействительна. Откройте ссылку из письма без изменений.",
        "expired_link": "Этот опрос уже закрыт. Всё равно спасибо!",
        "bad_score": "Выберите оценку от 0 до 10.",
        "unavailable": "Этот опрос сейчас не проводится.",
        "footer": "Вы получили это письмо, потому что сделали у нас заказ.",
        "close": "Закрыть",
    },
    "ro": {
        "question": "Cât de probabil este să ne recomandați unui prieten sau coleg?",
        "reason": "Care este motivul principal al notei dumneavoastră?",
        "low": "Deloc probabil",
        "high": "Foarte probabil",
        "subject": "O întrebare despre comanda dumneavoastră recentă",
        "reminder_subject": "Reamintire: o întrebare despre comanda dumneavoastră recentă",
        "greeting": "Bună ziua, {name},",
        "greeting_anonymous": "Bună ziua,",
        "intro": "Vă mulțumim pentru comanda {order}. Ne răspundeți la o întrebare? Un clic este de ajuns:",
        "intro_no_order": "Ne răspundeți la o întrebare? Un clic este de ajuns:",
        "scale_hint": "0 înseamnă deloc probabil, 10 foarte probabil.",
        "submit": "Trimite",
        "score_legend": "Nota dumneavoastră, de la 0 la 10",
        "reason_placeholder": "Spuneți-ne în cuvintele dumneavoastră (opțional)",
        "recorded": "Nota dumneavoastră a fost înregistrată. Ne spuneți de ce?",
        "thanks": "Vă mulțumim pentru răspuns!",
        "thanks_detail": "Echipa noastră de relații cu clienții citește fiecare răspuns.",
        "change_until": "Vă puteți schimba răspunsul până la {date}.",
        "unsubscribe_link": "Nu doriți să primiți aceste e-mailuri? Dezabonare",
        "unsubscribe_title": "Dezabonare de la sondaje",
        "unsubscribe_question": "Nu-mi mai trimiteți sondaje prin e-mail.",
        "unsubscribe_button": "Dezabonare",
        "unsubscribed": "V-ați dezabonat: nu vă vom mai trimite sondaje.",
        "invalid_link": "Acest link nu este valid. Folosiți linkul din e-mail exact așa cum este.",
        "expired_link": "Acest sondaj s-a încheiat. Vă mulțumim oricum!",
        "bad_score": "Alegeți o notă de la 0 la 10.",
        "unavailable": "Acest sondaj nu este deschis.",
        "footer": "Primiți acest e-mail pentru că ați comandat de la noi.",
        "close": "Închideți",
    },
}

KEYS = tuple(DEFAULTS["en"])


def language_of(locale: str | None, available: Mapping[str, Any], fallback: str) -> str:
    """The language to ask in: the customer's locale (``es-ES`` → ``es``) when the survey
    speaks it, else ``fallback``."""
    if locale:
        code = locale.replace("_", "-").split("-")[0].strip().lower()
        if code in available:
            return code
    return fallback


def wording(custom: Mapping[str, Mapping[str, str]], language: str) -> dict[str, str]:
    """Every text of a survey in ``language``: its own wording over the shipped defaults."""
    base = dict(DEFAULTS.get(language, DEFAULTS["en"]))
    base.update({key: value for key, value in custom.get(language, {}).items() if key in KEYS})
    return base


def languages_of(custom: Mapping[str, Mapping[str, str]]) -> tuple[str, ...]:
    """The languages a survey can be answered in: the shipped ones and those it words."""
    return tuple(dict.fromkeys([*SHIPPED, *custom]))


def check_texts(texts: Any) -> dict[str, dict[str, str]]:
    """A survey's own wording, checked: ``{language: {key: text}}`` with known keys; a language
    that does not ship must give every key."""
    if not isinstance(texts, dict):
        raise InvalidInput("texts: a mapping of language codes to wordings")
    checked: dict[str, dict[str, str]] = {}
    for language, given in texts.items():
        code = str(language).strip().lower()
        if not code.isalpha() or not 2 <= len(code) <= 3:
            raise InvalidInput(f"texts: {language!r} is not a language code (ISO 639-1)")
        if not isinstance(given, dict):
            raise InvalidInput(f"texts.{code}: a mapping of keys to texts")
        unknown = sorted(set(given) - set(KEYS))
        if unknown:
            raise InvalidInput(f"texts.{code}: unknown keys {', '.join(unknown)}")
        if code not in SHIPPED:
            missing = [key for key in KEYS if key not in given]
            if missing:
                raise InvalidInput(
                    f"texts.{code}: a language Advocacy does not ship needs every key; "
                    f"missing {', '.join(missing)}"
                )
        for key, value in given.items():
            if not isinstance(value, str) or not value.strip() or len(value) > 1000:
                raise InvalidInput(f"texts.{code}.{key}: a text of 1 to 1,000 characters")
        checked[code] = {str(key): str(value) for key, value in given.items()}
    return checked


def fill(template: str, **values: str) -> str:
    """``template`` with its ``{name}`` placeholders filled; any other brace stays as written
    (no attribute or index lookups: a wording is text, never code)."""
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), template)
