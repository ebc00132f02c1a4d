"""Advocacy's own words in its users' languages: the Babel catalogues of the interface.

The catalogues are ``advocacy/web/locale/<code>/LC_MESSAGES/messages.po`` (English is the
source language and has none), read once each, with no compiled ``.mo`` files to keep in step.
The web app (:mod:`advocacy.web.i18n`) and the e-mails to the team
(:mod:`advocacy.services.staff_mail`) read the same ones.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = ("en", "es", "ru", "ro")
DEFAULT_LOCALE = "en"
CATALOGUES = Path(__file__).parent / "web" / "locale"


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of ``code`` (English is the source language: no catalogue)."""
    path = CATALOGUES / code / "LC_MESSAGES" / "messages.po"
    if code == DEFAULT_LOCALE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def supported(code: str | None) -> str | None:
    """``code`` as one of :data:`LOCALES` (``es-MX`` → ``es``), or ``None``.

    Examples
    --------
    >>> supported("es-MX"), supported("ro_RO"), supported("de")
    ('es', 'ro', None)
    """
    if not code:
        return None
    short = code.strip().lower().replace("_", "-").split("-")[0]
    return short if short in LOCALES else None
