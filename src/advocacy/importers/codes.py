"""Standard codes the importers check against: countries, currencies, languages and locales."""

from __future__ import annotations

import re
from functools import cache

# CLDR lists a few groupings and private-use codes among territories; they are no countries.
_NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?$", re.IGNORECASE)


@cache
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes (upper case)."""
    from babel import Locale

    codes = {str(code) for code in Locale("en").territories}
    return frozenset(c for c in codes if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES)


@cache
def currencies() -> frozenset[str]:
    """ISO 4217 currency codes (upper case), current and historic."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@cache
def languages() -> frozenset[str]:
    """ISO 639 language codes known to CLDR (lower case)."""
    from babel import Locale

    return frozenset(str(code) for code in Locale("en").languages if str(code).isalpha())


def normalise_language_tag(value: str) -> str | None:
    """``value`` as a BCP 47 tag (``es``, ``es-ES``, ``sr-Latn-RS``), or ``None`` if it is none."""
    match = _TAG.match(value.strip())
    if not match:
        return None
    language, script, region = match.groups()
    language = language.lower()
    if language not in languages():
        return None
    parts = [language]
    if script:
        parts.append(script.title())
    if region:
        region = region.upper()
        if region.isalpha() and region not in countries():
            return None
        parts.append(region)
    return "-".join(parts)
