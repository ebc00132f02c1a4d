"""Personal data in customer feedback, found and replaced by placeholders, offline.

Shared views and exports show feedback texts with personal data replaced: ``[EMAIL]``,
``[PHONE]``, ``[CARD]``, ``[IBAN]``, ``[IP]``, ``[ID]`` (national identity and tax numbers) and
``[URL]``. Nothing else in the text changes. Every kind is validated, so that order numbers,
prices, dates, tracking codes, years and percentages survive:

``url``
    Only a link that carries credentials (``user:password@host``) or a personal token in a
    parameter (``token=``, ``access_token=``, ``key=``, ``password=``, ``session=``, ``email=``,
    ``phone=`` and the like). Ordinary links are kept.
``email``
    ``local@domain.tld`` with a top-level domain of letters (``почта.рф``, ``ñ`` in the local
    part), and the spelled-out forms ``name [at] domain [dot] com``, ``name(at)domain.com`` and
    ``name at domain dot com`` (also ``arroba``/``punto``, ``собака``/``точка``, ``punct``), whose
    top-level domain must be a common one.
``iban``
    Two letters, two check digits and 11–30 letters or digits, written whole or in groups of four,
    whose ISO 13616 remainder modulo 97 is 1.
``id``
    Spanish DNI (8 digits and their letter) and NIE (X, Y or Z, 7 digits, letter); Romanian CNP
    (13 digits: a valid month and day and the control digit of weights 279146358279); Russian INN
    of a person (12 digits, both control digits) and SNILS (``123-456-789 64`` or 11 digits, its
    checksum). A 10-digit INN belongs to an organisation and matches any 10-digit number one time
    in ten, so it is redacted only right after ``ИНН``/``INN``/``TIN``.
``card``
    13–19 digits, whole or in groups (4-4-4-4, 4-6-5, 4-4-4-4-3), starting with 2–6 (the issuers of
    Mir, Amex, Visa, Mastercard, Discover and UnionPay) and passing the Luhn check. A card followed
    by a short group (an expiry month, a CVV) is found without it.
``ip``
    IPv4 with octets 0–255 and no leading zeros, and IPv6 (checked by :mod:`ipaddress`, with at
    least one digit).
``phone``
    A whole number -- not a part of a longer run of numbers -- of one of these shapes: international
    (``+`` or ``00``, 9–15 digits after it, grouped freely; ``00`` only with separators); Spanish
    (9 digits from 6–9: ``612 345 678``, ``912 34 56 78``); Russian (``8`` then 10 digits:
    ``8 (912) 345-67-89``, ``8-800-555-35-35``); with a trunk ``0`` and an area code of 3–5 digits,
    10–11 digits in all (Romania ``0721 234 567``, ``021 123 4567``, UK ``07700 900123``); North
    American with separators (``(555) 123-4567``, ``1-800-555-0199``). Separators are one space,
    dot or dash; a bare ``123456789`` does not start with 6–9 and is not a phone. Dates, times and
    prices never have these shapes; a number next to a currency sign is an amount.

A number (phone, IP or identity number) right after a word that names a business identifier --
order, invoice, tracking, ticket, reference, version, ``pedido``, ``factura``, ``заказ``,
``счёт``, ``comanda``, ``#``, ``№`` -- is that identifier, and is kept.

Overlaps are settled by kind, in the order of :data:`KINDS` (a link before the e-mail address in
it, an IBAN before the digits in it that look like a phone), then by length. Once found, data are
masked and the text around them is scanned again until nothing new turns up (an address glued to
a number, the rest of an overlapping candidate), so that redacting a redacted text changes
nothing; only text built to chain findings needs more than two passes, and passes stop at eight.

Every pattern uses possessive quantifiers or bounded repetitions: the time is linear in the length
of the text, a fraction of a second for a megabyte of feedback, and about a second per megabyte
for text made of nothing but card- or IBAN-shaped groups of digits.
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from advocacy.errors import InvalidInput

__all__ = ["KINDS", "PLACEHOLDERS", "Finding", "Redaction", "redact", "redact_many"]

KINDS: tuple[str, ...] = ("url", "email", "iban", "id", "card", "ip", "phone")
"""Every kind of personal data, most specific first: the order in which overlaps are settled."""

PLACEHOLDERS: dict[str, str] = {kind: f"[{kind.upper()}]" for kind in KINDS}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: ``text[start:end]`` of the original text is of ``kind``."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Redaction:
    """A text with its personal data replaced, and what was replaced, in the order of the text."""

    text: str
    findings: tuple[Finding, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """The distinct kinds found, sorted."""
        return tuple(sorted({finding.kind for finding in self.findings}))


# A check takes the text and a candidate span; it gives the span to redact, or None. A gate says
# from the original text, cheaply, whether a pattern can match at all.
_Check = Callable[[str, int, int], "tuple[int, int] | None"]
_Gate = Callable[[str, str], bool]  # (text, text.casefold())

_GROUP = re.compile(r"[0-9A-Za-z]+\)?")
_DIGIT = re.compile(r"[0-9]")
_NOT_DIGITS = re.compile(r"[^0-9]+")
_IDENTIFIER_BEFORE = re.compile(
    r"(?:\b(?:order|invoice|tracking|ticket|ref|reference|version|pedido|factura|seguimiento"
    r"|referencia|versi[oó]n|заказ\w*|сч[её]т\w*|трек\w*|верси\w*|comand\w*|comenz\w*|factur\w*"
    r"|versiun\w*|awb)(?:\s+(?:number|no|nr|num|n[úu]mero|номер|num[ăa]rul))?\.?|[#№]|\bn[º°])"
    r"\W{0,3}$",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"[€$£₽]\s?$")
_CURRENCY_AFTER = re.compile(r"\s?(?:[€$£₽]|(?:eur|euro|usd|rub|руб|lei|ron)\b)", re.IGNORECASE)


def _digits(text: str) -> str:
    return _NOT_DIGITS.sub("", text)


def _has_digit(text: str, folded: str) -> bool:
    return _DIGIT.search(text) is not None


def _scan(
    text: str,
    pattern: re.Pattern[str],
    check: _Check,
    *,
    every_start: bool,
    window: tuple[int, int, int] | None = None,
) -> Iterator[tuple[int, int]]:
    """The spans ``check`` accepts among the matches of ``pattern`` (starting from ``first`` to
    ``last`` and looked for before ``endpos`` when ``window`` is ``(first, last, endpos)``).

    After a refused match the search goes on at its next character when ``every_start``, so that
    a valid datum that starts inside an invalid candidate is found; otherwise after it, to stay
    linear on links, which may start anywhere in a path and run to the end of the text.
    """
    value = "value" if "value" in pattern.groupindex else 0
    pos, last, endpos = window or (0, len(text), len(text))
    while (match := pattern.search(text, pos, endpos)) is not None and match.start() <= last:
        whole = match if endpos == len(text) else pattern.match(text, match.start())
        found = None if whole is None else check(text, *whole.span(value))
        if found is not None:
            yield found
            pos = found[1]
        else:
            pos = match.start() + 1 if every_start or whole is None else whole.end()


def _around(spans: list[tuple[int, int]], reach: int, size: int) -> list[tuple[int, int, int]]:
    """The windows of :func:`_scan` where matches may start that touch, follow or overlap a span
    of ``spans``, for a pattern whose matches are at most ``reach`` long."""
    windows: list[tuple[int, int, int]] = []
    for start, end in sorted(spans):
        first, last = max(start - reach, 0), end + 2
        if windows and first <= windows[-1][1]:
            first, previous_last, _ = windows.pop()
            last = max(last, previous_last)
        windows.append((first, last, min(last + reach, size)))
    return windows


def _whole(valid: Callable[[str], bool]) -> _Check:
    """A check of the whole match, kept unless it follows a word naming a business identifier."""

    def check(text: str, start: int, end: int) -> tuple[int, int] | None:
        if _IDENTIFIER_BEFORE.search(text, max(0, start - 40), start) or not valid(text[start:end]):
            return None
        return start, end

    return check


def _shortened(valid: Callable[[str], bool], shortest: int, longest: int) -> _Check:
    """A check of the whole match, then of the match without its last groups, one at a time, of
    those from ``shortest`` to ``longest`` characters long."""

    def check(text: str, start: int, end: int) -> tuple[int, int] | None:
        if end - start < shortest:
            return None
        for group in reversed(list(_GROUP.finditer(text, start, end))):
            stop = group.end()
            if shortest <= stop - start <= longest and valid(text[start:stop]):
                return start, stop
        return None

    return check


# url ------------------------------------------------------------------------------------------

_URL = re.compile(r"(?<![\w@.])(?:(?:https?|ftps?)://|www\.)[^\s<>\"'`\[\]]++", re.IGNORECASE)
_AUTHORITY_END = re.compile(r"[/?#]")
_QUERY_KEY = re.compile(r"[?&;#]([^=&;#?/]+)=")
_SECRET_KEY = re.compile(
    r"(?:^|[_.-])(?:access[_-]?token|token|api[_-]?key|apikey|key|password|passwd|pwd|pass"
    r"|secret|session(?:[_-]?id)?|sessid|sid|auth|email|e-?mail|mail|phone|tel|signature|sig"
    r"|otp|jwt)$"
)


def _check_url(text: str, start: int, end: int) -> tuple[int, int] | None:
    url = text[start:end]
    unmatched = url.count(")") - url.count("(")
    while url[-1] in ".,;:!?'\"" or (url[-1] == ")" and unmatched > 0):  # punctuation after it
        unmatched -= url[-1] == ")"
        url = url[:-1]
    end = start + len(url)
    # the authority of the link, and of any link in it (a redirect), may carry a user and password
    authorities = [_AUTHORITY_END.split(part, maxsplit=1)[0] for part in url.split("://")[1:]]
    credentials = any("@" in authority for authority in authorities or [url])
    keys = _QUERY_KEY.findall(url)
    sensitive = credentials or any(_SECRET_KEY.search(key.casefold()) for key in keys)
    return (start, end) if sensitive else None


# email ----------------------------------------------------------------------------------------

_LOCAL = r"(?<![\w.+%-])[\w.+%-]++"
_LABEL = r"[\w-]++"
_AT = r"(?:at|arroba|собака)"
_DOT = r"(?:dot|punto|punct|точка)"
_BRACKETED_AT = rf"\s*+[\[({{<]\s*+(?:{_AT}|@)\s*+[\])}}>]\s*+"
_BRACKETED_DOT = rf"\s*+[\[({{<]\s*+(?:{_DOT}|\.)\s*+[\])}}>]\s*+"
_SPACED_AT = rf"\s++{_AT}\s++"
_SPACED_DOT = rf"\s++{_DOT}\s++"
_EMAIL = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})++")
_SPELLED_EMAIL = re.compile(
    rf"{_LOCAL}(?:{_BRACKETED_AT}{_LABEL}(?:(?:{_BRACKETED_DOT}|{_SPACED_DOT}|\.){_LABEL})++"
    rf"|{_SPACED_AT}{_LABEL}(?:(?:{_BRACKETED_DOT}|{_SPACED_DOT}){_LABEL})++)",
    re.IGNORECASE,
)
_BRACKETED_AT_ALONE = re.compile(_BRACKETED_AT, re.IGNORECASE)
_COMMON_TLDS = frozenset(
    {"com", "net", "org", "info", "biz", "edu", "gov", "io", "co", "me", "eu", "es", "ro", "ru"}
    | {"md", "ua", "uk", "de", "fr", "it", "pt", "nl", "pl", "us", "ca", "mx", "ar", "рф"}
)
_WORD = re.compile(r"[\w-]+")
_GLUED_LOCAL = re.compile(r"[+%]")  # after an address: the start of another one, glued to it
_SHORTER_TRIES = 8  # labels dropped at most from the end of a spelled address
_NOT_A_NAME = frozenset({"the", "a", "an", "this", "that", "my", "your", "our", "el", "la", "los"})


def _check_email(text: str, start: int, end: int) -> tuple[int, int] | None:
    while text[start] == ".":  # a local part does not start with a dot
        start += 1
    at = text.index("@", start, end)
    if not any(char.isalnum() for char in text[start:at]):
        return None
    while (dot := text.rfind(".", at, end)) != -1:  # the longest domain ending in a TLD
        tld = text[dot + 1 : end]
        tld_ok = (len(tld) >= 2 and tld.isalpha()) or tld.casefold().startswith("xn--")
        if tld_ok and not _GLUED_LOCAL.match(text, end):
            return start, end
        end = dot
    return None


def _check_spelled_email(text: str, start: int, end: int) -> tuple[int, int] | None:
    while text[start] == ".":
        start += 1
    labels = list(_WORD.finditer(text, start, end))
    for label in labels[: -_SHORTER_TRIES - 1 : -1]:  # the longest address ending in a TLD
        words = {word.group().casefold() for word in labels if word.end() <= label.end()}
        if (
            label.group().casefold() in _COMMON_TLDS
            and not _NOT_A_NAME & words
            and not _GLUED_LOCAL.match(text, label.end())
            and _SPELLED_EMAIL.fullmatch(text, start, label.end())
        ):
            return start, label.end()
    return None


def _may_spell_email(text: str, folded: str) -> bool:
    dot_word = any(word in folded for word in ("dot", "punto", "punct", "точка"))
    return dot_word or _BRACKETED_AT_ALONE.search(text) is not None


# iban, card -----------------------------------------------------------------------------------

_IBAN = re.compile(
    r"[A-Za-z](?<![\w][A-Za-z])[A-Za-z][0-9]{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?"
    r"(?![\w])"
)
_IBAN_LENGTHS = {  # the length of an IBAN in each country of the SWIFT IBAN registry
    country: int(length)
    for country, length in re.findall(
        r"([A-Z]{2})([0-9]{2})",
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 "
        "DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 "
        "IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 "
        "MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 "
        "SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30",
    )
}
_IBAN_DIGITS = str.maketrans({chr(code): str(code - 55) for code in range(65, 91)})
_CARD = re.compile(
    r"[2-6](?<![\w][2-6])(?:[0-9]{12,18}|[0-9]{3}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,4})?"
    r"|[0-9]{3}[ -][0-9]{6}[ -][0-9]{4,5})(?![\w])"
)
_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")  # 2·d with its digits summed


def _is_iban(text: str) -> bool:
    code = text.replace(" ", "").upper()
    if len(code) != _IBAN_LENGTHS.get(code[:2]) or not 2 <= int(code[2:4]) <= 98:
        return False
    return int((code[4:] + code[:4]).translate(_IBAN_DIGITS)) % 97 == 1


def _is_card(text: str) -> bool:
    digits = _digits(text)[::-1]
    if not 13 <= len(digits) <= 19:
        return False
    return sum(map(int, digits[::2] + digits[1::2].translate(_LUHN_DOUBLED))) % 10 == 0


# id -------------------------------------------------------------------------------------------

_ID = re.compile(
    r"""
    (?<![\w])
    (?:
        [XYZxyz]-?[0-9]{7}-?[A-Za-z]                            # NIE
      | (?:[0-9]{8}|[0-9]{2}\.[0-9]{3}\.[0-9]{3})-?[A-Za-z]     # DNI
      | [0-9]{3}([ -])[0-9]{3}\1[0-9]{3}[ -]?[0-9]{2}           # SNILS, grouped
      | [0-9]{11,13}                                            # SNILS, INN, CNP
    )
    (?![\w])
    """,
    re.VERBOSE,
)
_INN_LABELLED = re.compile(r"(?<![\w])(?i:инн|inn|tin)\W{0,3}(?P<value>[0-9]{10})(?![\w])")
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_INN_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_CNP_WEIGHTS = (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9)


def _weighted(digits: str, weights: Iterable[int]) -> int:
    return sum(int(char) * weight for char, weight in zip(digits, weights, strict=False))


def _is_id(text: str) -> bool:
    digits = _digits(text)
    if text[-1].isalpha():  # DNI, or NIE: X, Y, Z stand for 0, 1, 2
        number = str("XYZ".index(text[0].upper())) + digits if text[0].isalpha() else digits
        return _DNI_LETTERS[int(number) % 23] == text[-1].upper()
    if len(digits) == 10:  # INN of an organisation
        return _weighted(digits, _INN_WEIGHTS[2:]) % 11 % 10 == int(digits[9])
    if len(digits) == 11:  # SNILS; its checksum applies from 001-001-999 on
        total = _weighted(digits, range(9, 0, -1))
        return int(digits[:9]) > 1_001_998 and total % 101 % 100 == int(digits[9:])
    if len(digits) == 12:  # INN of a person: two control digits
        return _weighted(digits, _INN_WEIGHTS[1:]) % 11 % 10 == int(digits[10]) and _weighted(
            digits, _INN_WEIGHTS
        ) % 11 % 10 == int(digits[11])
    if not (1 <= int(digits[3:5]) <= 12 and 1 <= int(digits[5:7]) <= 31):  # CNP: month, day
        return False
    remainder = _weighted(digits, _CNP_WEIGHTS) % 11
    return int(digits[12]) == (1 if remainder == 10 else remainder)


# ip, phone ------------------------------------------------------------------------------------

_IPV4 = re.compile(r"[0-9](?<![\w.][0-9])[0-9]{0,2}(?:\.[0-9]{1,3}){3}(?![\w])(?!\.[0-9])")
_IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})"
    r"(?![\w:])"
)
_IPV6_HINT = re.compile(r":[0-9A-Fa-f]*:")
_PHONE = re.compile(
    r"""
    (?<![\w+@/.,=&?\#-])                   # a whole number: not inside a word or path,
    (?:(?=[+(])|(?<![0-9][ .-]))            # nor inside a run of numbers
    (?:
        (?:\+|00)[1-9][0-9]{0,2}(?:[ .-]?(?:\([0-9]{1,5}\)|[0-9]{1,5}+)){1,6}   # international
      | [6-9][0-9]{2}(?:[ .-]?[0-9]{3}){2}                          # Spain: 612 345 678
      | [6-9][0-9]{2}(?:[ .-]?[0-9]{2}){3}                          # 912 34 56 78
      | [89][1-8][ .-]?[0-9]{3}(?:[ .-]?[0-9]{2}){2}                # 91 234 56 78
      | 8[ .-]?\(?[3489][0-9]{2}\)?[ .-]?[0-9]{3}(?:[ .-]?[0-9]{2}[ .-]?[0-9]{2}|[ .-]?[0-9]{4})
      | \(?0[1-9][0-9]{1,3}\)?(?:[ .-]?[0-9]{2,6}+){1,3}            # trunk 0: 0721 234 567
      | (?:1[ .-]?)?(?:\([2-9][0-9]{2}\)\ ?|[2-9][0-9]{2}[ .-])[0-9]{3}[ .-][0-9]{4}
    )
    (?![\w@+(])(?![ .-]?[0-9])(?!::)       # nor followed by more of a number or an IPv6
    """,
    re.VERBOSE,
)


def _is_ipv4(text: str) -> bool:
    return all(int(part) <= 255 and (part == "0" or part[0] != "0") for part in text.split("."))


def _check_ipv6(text: str, start: int, end: int) -> tuple[int, int] | None:
    try:
        ipaddress.IPv6Address(text[start:end])
    except ValueError:
        return None
    return (start, end) if _DIGIT.search(text, start, end) else None


def _is_phone(number: str) -> bool:
    digits = _digits(number)
    if number.count("(") != number.count(")"):
        return False
    if number.startswith("+"):
        return 9 <= len(digits) <= 15
    if number.startswith("00"):
        return not number.isdigit() and 9 <= len(digits) - 2 <= 15
    return 10 <= len(digits) <= 11 if number.lstrip("(").startswith("0") else True


def _check_phone(text: str, start: int, end: int) -> tuple[int, int] | None:
    if _CURRENCY_BEFORE.search(text, max(0, start - 2), start) or _CURRENCY_AFTER.match(text, end):
        return None
    return _whole_phone(text, start, end)


_whole_phone = _whole(_is_phone)
_PASSES = 8  # at most: only text built to chain findings needs more than two
_REACH, _FAR = 64, 256  # longer than any match of a bounded pattern; the longest link or address
_BOUNDED = frozenset({"iban", "id", "card", "ip", "phone"})  # kinds of bounded-length patterns
_DETECTORS: dict[str, tuple[tuple[re.Pattern[str], _Check, _Gate], ...]] = {
    "url": ((_URL, _check_url, lambda text, folded: "://" in text or "www." in folded),),
    "email": (
        (_EMAIL, _check_email, lambda text, folded: "@" in text),
        (_SPELLED_EMAIL, _check_spelled_email, _may_spell_email),
    ),
    "iban": ((_IBAN, _shortened(_is_iban, 15, 42), _has_digit),),
    "id": (
        (_ID, _whole(_is_id), _has_digit),
        (
            _INN_LABELLED,
            _whole(_is_id),
            lambda text, folded: "инн" in folded or "inn" in folded or "tin" in folded,
        ),
    ),
    "card": ((_CARD, _shortened(_is_card, 13, 23), _has_digit),),
    "ip": (
        (_IPV4, _whole(_is_ipv4), _has_digit),
        (_IPV6, _check_ipv6, lambda text, folded: _IPV6_HINT.search(text) is not None),
    ),
    "phone": ((_PHONE, _check_phone, _has_digit),),
}


# redaction ------------------------------------------------------------------------------------


def _wanted(kinds: Iterable[str] | None) -> frozenset[str]:
    if kinds is None:
        return frozenset(KINDS)
    asked = frozenset((kinds,) if isinstance(kinds, str) else kinds)
    unknown = sorted(repr(kind) for kind in asked - set(KINDS))
    if unknown:
        raise InvalidInput(
            f"unknown kind of personal data: {', '.join(unknown)}; the kinds are {', '.join(KINDS)}"
        )
    return asked


def _without_overlaps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In each cluster of overlapping spans, the longest first, then the earliest, each kept if it
    overlaps none kept."""
    clusters: list[list[tuple[int, int]]] = []
    reach = -1
    for span in sorted(set(spans)):
        if clusters and span[0] < reach:
            clusters[-1].append(span)
        else:
            clusters.append([span])
        reach = max(reach, span[1])
    kept: list[tuple[int, int]] = []
    for cluster in clusters:
        chosen: list[tuple[int, int]] = []
        for start, end in sorted(cluster, key=lambda span: (span[0] - span[1], span[0])):
            if all(end <= other_start or other_end <= start for other_start, other_end in chosen):
                chosen.append((start, end))
        kept += sorted(chosen)
    return kept


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by a placeholder-like mask of the same length."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], ("[" + "X" * (end - start - 2) + "]")[: end - start]]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _merged(
    findings: list[Finding], kind: str, spans: list[tuple[int, int]]
) -> tuple[list[Finding], list[tuple[int, int]]]:
    """``findings`` (in order) with the new ``spans`` of ``kind``, and the spans added. A span
    replaces the findings it contains (a link that, once a number in it is masked, turns out to
    carry a token); one that cuts a finding is dropped."""
    starts = [finding.start for finding in findings]
    absorbed: set[int] = set()
    added = []
    for start, end in spans:
        first = max(bisect_right(starts, start) - 1, 0)
        overlapping = [i for i in range(first, bisect_left(starts, end)) if findings[i].end > start]
        if all(start <= findings[i].start and findings[i].end <= end for i in overlapping):
            absorbed.update(overlapping)
            added.append((start, end))
    kept = [finding for i, finding in enumerate(findings) if i not in absorbed]
    new = [Finding(kind, start, end) for start, end in added]
    return sorted(kept + new, key=lambda finding: finding.start), added


def _redact(text: str, wanted: frozenset[str]) -> Redaction:
    folded = text.casefold()
    detectors = {
        kind: [(pattern, check) for pattern, check, gate in _DETECTORS[kind] if gate(text, folded)]
        for kind in KINDS
        if kind in wanted
    }
    masked, findings = text, list[Finding]()
    # A finding, once masked, can reveal another one: the rest of an overlapping candidate, an
    # address glued to a number. The text is scanned again around what was found, as redacting
    # the redacted text would, until nothing new turns up.
    fresh: list[tuple[int, int]] | None = None  # None: scan the whole text
    for _ in range(_PASSES):
        found: list[tuple[int, int]] = []
        for kind, scanners in detectors.items():
            reach = _REACH if kind in _BOUNDED else _FAR
            windows = [None] if fresh is None else _around(fresh, reach, len(text))
            spans = _without_overlaps(
                [
                    span
                    for pattern, check in scanners
                    for window in windows
                    for span in _scan(
                        masked, pattern, check, every_start=kind != "url", window=window
                    )
                ]
            )
            if spans:
                findings, added = _merged(findings, kind, spans)
                masked = _masked(masked, added)
                found += added
        if not found:
            break
        fresh = found
    pieces, last = [], 0
    for finding in findings:
        pieces += [text[last : finding.start], PLACEHOLDERS[finding.kind]]
        last = finding.end
    pieces.append(text[last:])
    return Redaction("".join(pieces), tuple(findings))


def redact(text: str, *, kinds: Iterable[str] | None = None) -> Redaction:
    """Replace the personal data in ``text`` by placeholders.

    Parameters
    ----------
    text
        Any text: HTML and control characters stay as they are, only findings are replaced.
    kinds
        The kinds to look for, among :data:`KINDS` (a single name may be given as a string);
        all of them by default.

    Returns
    -------
    Redaction
        The redacted text, and the findings with their offsets into ``text``.

    Raises
    ------
    InvalidInput
        A name in ``kinds`` is not one of :data:`KINDS`.
    """
    return _redact(text, _wanted(kinds))


def redact_many(
    texts: Iterable[str | None], *, kinds: Iterable[str] | None = None
) -> list[str | None]:
    """The redacted text of each of ``texts``, in order; a missing text (None) stays None.

    Parameters
    ----------
    texts
        The texts, any of them None.
    kinds
        As for :func:`redact`.

    Returns
    -------
    list of str or None
        One redacted text per text.

    Raises
    ------
    InvalidInput
        A name in ``kinds`` is not one of :data:`KINDS`.
    """
    wanted = _wanted(kinds)
    return [None if text is None else _redact(text, wanted).text for text in texts]
