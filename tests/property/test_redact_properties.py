"""Properties of redaction that hold for every text: it is idempotent, it leaves text without
personal data alone, and valid addresses, cards and IBANs never survive it."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from advocacy.text.redact import PLACEHOLDERS, redact

# Valid data of every kind (test values), and what may glue them together: the material of texts
# where findings touch, overlap and hide one another.
FRAGMENTS = [
    "4111 1111 1111 1111",
    "5555555555554444",
    "3782 822463 10005",
    "ES91 2100 0418 4502 0005 1332",
    "GB82WEST12345698765432",
    "ana@example.com",
    "иван@почта.рф",
    "john at gmail dot com",
    "ana[at]mail.ro",
    "+34 612 345 678",
    "612 345 678",
    "612345678",
    "8 (912) 345-67-89",
    "0721 234 567",
    "(555) 123-4567",
    "0044 20 7946 0958",
    "192.168.1.10",
    "2001:db8::1",
    "::1",
    "12345678Z",
    "X1234567L",
    "3000101400019",
    "770000000082",
    "ИНН 7700000009",
    "112-233-445 95",
    "https://u:p@x.example/a",
    "https://x.example/?token=1",
    "http://x.example/a",
    "order ",
    "2024-05-01",
    "1 234,56 €",
    "[PHONE]",
]
GLUE = ["", " ", "-", ".", ":", "+", "(", ")", "@", "/", "=", "#", "%", ",", "[", "]", "\n"]
GLUE += ["\x00", "1", "00", "a", "Z", "ES", " dot ", " at ", "€"]
NOISE = st.text(alphabet="0123456789 .-+()@:/[]=?#%abcXYZ\n", max_size=10)
TEXTS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(GLUE), st.sampled_from(FRAGMENTS)).map("".join),
        NOISE,
    ),
    max_size=10,
).map("".join)

PROSE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ñéăîșțжыюя ,.!?\n", max_size=30).map(
    lambda text: f" {text} "
)


@st.composite
def emails(draw: st.DrawFn) -> str:
    name = st.from_regex(r"[a-z0-9ñéжю][a-z0-9ñéжю_+-]{0,9}", fullmatch=True)
    local = draw(st.lists(name, min_size=1, max_size=3).map(".".join))
    labels = draw(
        st.lists(
            st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True),
            min_size=1,
            max_size=3,
        )
    )
    tld = draw(st.sampled_from(["com", "es", "ru", "ro", "org", "info", "рф", "co"]))
    return f"{local}@{'.'.join([*labels, tld])}"


def _luhn_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (1 if position % 2 else 2)  # the check digit will stand to the right
        total += value - 9 if value > 9 else value
    return str(-total % 10)


@st.composite
def cards(draw: st.DrawFn) -> str:
    length = draw(st.integers(min_value=13, max_value=19))
    body = draw(st.sampled_from("23456")) + draw(
        st.text(alphabet="0123456789", min_size=length - 2, max_size=length - 2)
    )
    number = body + _luhn_digit(body)
    if draw(st.booleans()):
        return number
    separator = draw(st.sampled_from([" ", "-"]))
    return separator.join(number[i : i + 4] for i in range(0, length, 4))


IBAN_LENGTHS = {"ES": 24, "RO": 24, "GB": 22, "DE": 22, "FR": 27, "RU": 33, "NO": 15, "MT": 31}


def _iban_letters_as_digits(text: str) -> str:
    return "".join(str(int(char, 36)) for char in text)


@st.composite
def ibans(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(sorted(IBAN_LENGTHS)))
    size = IBAN_LENGTHS[country] - 4
    bban = draw(st.text(alphabet="0123456789ABCDEFXYZ", min_size=size, max_size=size))
    check = 98 - int(_iban_letters_as_digits(bban + country + "00")) % 97
    iban = f"{country}{check:02d}{bban}"
    if draw(st.booleans()):
        return iban
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_redacting_twice_is_redacting_once(text: str) -> None:
    once = redact(text).text

    assert redact(once).text == once


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXTS, st.text()))
def test_findings_are_in_order_apart_and_are_what_the_text_loses(text: str) -> None:
    result = redact(text)

    rebuilt, last = "", 0
    for finding in result.findings:
        assert last <= finding.start < finding.end
        rebuilt += text[last : finding.start] + PLACEHOLDERS[finding.kind]
        last = finding.end
    assert rebuilt + text[last:] == result.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="0123456789@:=")))
def test_text_without_digits_at_signs_or_spelled_out_addresses_comes_back_unchanged(
    text: str,
) -> None:
    assume(not re.search(r"(?i)(?<!\w)(?:at|arroba|собака)(?!\w)", text))

    assert redact(text).text == text


@settings(max_examples=150, deadline=None)
@given(PROSE, st.one_of(emails(), cards(), ibans()), PROSE)
def test_a_valid_email_card_or_iban_in_any_text_disappears(
    before: str, datum: str, after: str
) -> None:
    redacted = redact(before + datum + after).text

    assert datum not in redacted
    assert re.sub(r"[ -]", "", datum) not in re.sub(r"[ -]", "", redacted)
