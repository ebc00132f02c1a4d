"""Personal data in feedback texts is replaced by placeholders; ordinary numbers are kept.

Every number and address here is a published test value (Visa 4111 1111 1111 1111, the IBAN
registry's examples, the documentation IP ranges, phone numbers reserved for fiction, the DNI
12345678Z, the SNILS 112-233-445 95) or made up with a valid checksum where no one can hold it
(the CNP 3000101400019 is of someone born in 1800): none is a real person's.
"""

from __future__ import annotations

import re

import pytest

from advocacy.errors import InvalidInput
from advocacy.text.redact import KINDS, PLACEHOLDERS, Finding, Redaction, redact, redact_many


def assert_redacted(sentence: str, datum: str, placeholder: str) -> None:
    """``datum`` in ``sentence`` is replaced by ``placeholder`` and nothing else changes."""
    assert datum in sentence
    assert redact(sentence).text == sentence.replace(datum, placeholder)


def assert_kept(sentence: str) -> None:
    result = redact(sentence)
    assert result.text == sentence, result.findings


# e-mail addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "address"),
    [
        ("Please reply to maria.smith@example.com, nobody answered.", "maria.smith@example.com"),
        ("Escribidme a josé.peña@correo.es porque no llegó.", "josé.peña@correo.es"),
        ("Пишите на иван.петров@почта.рф, курьер не приехал.", "иван.петров@почта.рф"),
        ("Scrieți-mi la ana_popescu+shop@exemplu.ro, vă rog.", "ana_popescu+shop@exemplu.ro"),
    ],
)
def test_an_email_address_is_redacted_in_every_language(sentence: str, address: str) -> None:
    assert_redacted(sentence, address, "[EMAIL]")


@pytest.mark.parametrize(
    ("sentence", "address"),
    [
        ("My address is john.doe at gmail dot com, call back.", "john.doe at gmail dot com"),
        (
            "Mi correo es lucia arroba correo punto es y nadie contesta.",
            "lucia arroba correo punto es",
        ),
        ("Мой адрес ivan собака mail точка ru, жду ответа.", "ivan собака mail точка ru"),
        ("Adresa mea este ana [at] exemplu [dot] ro.", "ana [at] exemplu [dot] ro"),
        ("Write to peter(at)example.co.uk today.", "peter(at)example.co.uk"),
    ],
)
def test_a_spelled_out_email_address_is_redacted(sentence: str, address: str) -> None:
    assert_redacted(sentence, address, "[EMAIL]")


@pytest.mark.parametrize(
    "sentence",
    [
        "Look at the dot com era of online shops.",
        "I bought it at amazon.com and it broke.",
        "We met at home. Then the courier came.",
        "Thanks @maria for the quick help!",
        "Send it to me@home please.",
    ],
)
def test_words_that_only_look_like_an_address_are_kept(sentence: str) -> None:
    assert_kept(sentence)


# phone numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "+34 612 345 678",
        "+7 (495) 123-45-67",
        "+7 912 345 67 89",
        "+40 721 234 567",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "0044 20 7946 0958",
        "+34612345678",
    ],
)
def test_an_international_phone_number_is_redacted(number: str) -> None:
    assert_redacted(f"Call me back on {number} tomorrow.", number, "[PHONE]")


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("Llamadme al 612 345 678 por la tarde.", "612 345 678"),
        ("El fijo es 912 34 56 78, llamad antes.", "912 34 56 78"),
        ("Mi móvil: 612345678.", "612345678"),
        ("Перезвоните мне: 8 (912) 345-67-89.", "8 (912) 345-67-89"),
        ("Горячая линия 8-800-555-35-35 не отвечает.", "8-800-555-35-35"),
        ("Sunați-mă la 0721 234 567, vă rog.", "0721 234 567"),
        ("Numărul meu este 0721.234.567.", "0721.234.567"),
        ("Telefonul de acasă: 021 123 4567.", "021 123 4567"),
        ("Call me on 07700 900123 after six.", "07700 900123"),
        ("Our office number is (555) 123-4567.", "(555) 123-4567"),
        ("Free line 1-800-555-0199 was busy.", "1-800-555-0199"),
    ],
)
def test_a_national_phone_number_is_redacted_in_every_language(sentence: str, number: str) -> None:
    assert_redacted(sentence, number, "[PHONE]")


@pytest.mark.parametrize(
    "sentence",
    [
        "Order 123456789 arrived on 2024-05-01 at 10:30, three days late.",
        "El pedido 612345678 costó 1 234,56 € el 01.05.2024.",
        "Заказ № 612345678 от 01.05.2024 стоил 12 345 руб., скидка 15 %.",
        "Comanda 987654321 a ajuns pe 31.12.2023, am plătit 1.299,99 lei.",
        "Numărul comenzii 0721234567 nu apare în cont.",
        "Invoice #0721234567 is wrong.",
        "The flat costs 612 345 678 € according to the ad.",
        "Prices: 612.345.678 EUR in total.",
        "I have been a customer since 2015 and rate you 95 %.",
        "Delivery took 01/05/2024 to 1.6.2024, about 31 days.",
        "Open 10:30:45 - 18:00, Monday to Friday 2019-2024.",
        "Parcel 612 345 678 901 is a tracking number, not a phone.",
        "A big number: 1 234 567 890 units sold.",
    ],
)
def test_dates_times_prices_and_order_numbers_are_not_phones(sentence: str) -> None:
    assert_kept(sentence)


def test_phone_numbers_one_after_another_are_each_redacted() -> None:
    text = "Call 612 345 678 +34 912 345 678, (555) 123-4567 (555) 765-4321 or 0721 234 567."

    assert redact(text).text == "Call [PHONE] [PHONE], [PHONE] [PHONE] or [PHONE]."


def test_a_number_with_too_few_or_too_many_digits_after_a_plus_is_not_a_phone() -> None:
    assert_kept("The score went +12 345 and +1234567890123456 is not a number either.")


# payment cards --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "card"),
    [
        ("I paid with card 4111 1111 1111 1111 and was charged twice.", "4111 1111 1111 1111"),
        (
            "Pagué con la tarjeta 5555-5555-5555-4444 y me cobraron dos veces.",
            "5555-5555-5555-4444",
        ),
        ("Оплатил картой 2200000000000004, деньги списали дважды.", "2200000000000004"),
        ("Am plătit cu cardul 3782 822463 10005 și nu am primit factura.", "3782 822463 10005"),
        ("Discover 6011111111111117 was declined.", "6011111111111117"),
    ],
)
def test_a_card_number_is_redacted_in_every_language(sentence: str, card: str) -> None:
    assert_redacted(sentence, card, "[CARD]")


def test_a_card_number_that_fails_the_luhn_check_is_kept() -> None:
    assert_kept("My card 4111 1111 1111 1112 was refused, and 4000 1234 5678 9010 too.")


def test_a_number_that_passes_the_luhn_check_but_no_issuer_uses_is_kept() -> None:
    assert_kept("Tracking 9400100000000005 and parcel 7000 0000 0000 0005 are both late.")


def test_a_card_followed_by_its_expiry_date_loses_only_the_card_number() -> None:
    assert_redacted(
        "Card 4111 1111 1111 1111 12/25, CVV withheld.", "4111 1111 1111 1111", "[CARD]"
    )
    assert_redacted("Card 4111 1111 1111 1111 12 25 expired.", "4111 1111 1111 1111", "[CARD]")


# IBANs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "iban"),
    [
        (
            "Devolvedme el dinero a ES91 2100 0418 4502 0005 1332, por favor.",
            "ES91 2100 0418 4502 0005 1332",
        ),
        (
            "Returnați banii în contul RO49 AAAA 1B31 0075 9384 0000.",
            "RO49 AAAA 1B31 0075 9384 0000",
        ),
        ("Refund to GB82 WEST 1234 5698 7654 32 please.", "GB82 WEST 1234 5698 7654 32"),
        ("Верните деньги на счёт DE89370400440532013000.", "DE89370400440532013000"),
        ("IBAN de89 3704 0044 0532 0130 00 from my bank.", "de89 3704 0044 0532 0130 00"),
    ],
)
def test_an_iban_is_redacted_in_every_language(sentence: str, iban: str) -> None:
    assert_redacted(sentence, iban, "[IBAN]")


def test_an_iban_with_wrong_check_digits_is_kept() -> None:
    assert_kept("Account ES92 2100 0418 4502 0005 1332 was rejected.")


def test_an_iban_of_the_wrong_length_for_its_country_is_kept() -> None:
    assert_kept("Account ES91 2100 0418 4502 0005 13 is short.")


def test_an_iban_is_redacted_whole_and_not_read_as_phone_numbers() -> None:
    result = redact("IBAN ES91 2100 0418 4502 0005 1332")

    assert result.text == "IBAN [IBAN]"
    assert result.kinds == ("iban",)
    assert redact("ES91 2100 0418 4502 0005 1332", kinds=["phone", "card", "id"]).findings == ()


# IP addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "address"),
    [
        ("The login page blocked my IP 192.168.1.10 for no reason.", "192.168.1.10"),
        ("Mi IP es 203.0.113.45 y la web no carga.", "203.0.113.45"),
        ("Сайт не открывается с адреса 2001:db8::1, помогите.", "2001:db8::1"),
        ("Adresa mea IP este 198.51.100.7, pagina nu se încarcă.", "198.51.100.7"),
        ("From fe80::1ff:fe23:4567:890a it fails.", "fe80::1ff:fe23:4567:890a"),
    ],
)
def test_an_ip_address_is_redacted_in_every_language(sentence: str, address: str) -> None:
    assert_redacted(sentence, address, "[IP]")


@pytest.mark.parametrize(
    "sentence",
    [
        "256.1.1.1 is no address, nor 01.02.03.04.",
        "Version 2.3.1.4 of the app crashes on start.",
        "The call lasted 10:30:45 and was cut.",
        "Delivered on 01.05.2024 at 12.30.",
    ],
)
def test_invalid_addresses_versions_times_and_dates_are_not_ips(sentence: str) -> None:
    assert_kept(sentence)


def test_an_ipv6_address_with_an_ipv4_tail_is_one_finding() -> None:
    assert redact("Seen from ::ffff:192.168.1.10 today").text == "Seen from [IP] today"


# national identity and tax numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("Mi DNI es 12345678Z y la factura salió a otro nombre.", "12345678Z"),
        ("Con DNI 12.345.678-Z no me dejan pagar.", "12.345.678-Z"),
        ("Tengo NIE X1234567L y no puedo registrarme.", "X1234567L"),
        ("CNP-ul meu este 3000101400019, corectați factura.", "3000101400019"),
        ("Мой ИНН 770000000082 указан неверно.", "770000000082"),
        ("СНИЛС 112-233-445 95 не принимают.", "112-233-445 95"),
        ("Номер СНИЛС 11223344595 в анкете.", "11223344595"),
        ("ИНН: 7700000009 в договоре.", "7700000009"),
    ],
)
def test_a_national_identity_number_with_a_valid_checksum_is_redacted(
    sentence: str, number: str
) -> None:
    assert_redacted(sentence, number, "[ID]")


@pytest.mark.parametrize(
    "sentence",
    [
        "Mi DNI es 12345678A, con otra letra.",
        "NIE X1234567A no es válido.",
        "CNP 3000101400018 are cifra de control greșită.",
        "CNP 3001301400019 are luna 13.",
        "ИНН 770000000081 с ошибкой.",
        "СНИЛС 112-233-445 96 с ошибкой.",
        "Число 7700000009 без подписи ИНН не трогаем.",
    ],
)
def test_an_identity_number_with_a_wrong_checksum_is_kept(sentence: str) -> None:
    assert_kept(sentence)


def test_a_valid_number_introduced_as_an_order_number_is_kept() -> None:
    assert_kept("Order 770000000082 and заказ № 11223344595 are late.")


# links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "url"),
    [
        (
            "The reset link https://shop.example.com/reset?token=abc123XYZ did not work.",
            "https://shop.example.com/reset?token=abc123XYZ",
        ),
        (
            "Entré con https://ana:secreto@tienda.example.es/panel y nada.",
            "https://ana:secreto@tienda.example.es/panel",
        ),
        (
            "Ссылка https://example.ru/account?lang=ru&session=9f8e7d не открывается.",
            "https://example.ru/account?lang=ru&session=9f8e7d",
        ),
        (
            "Linkul www.magazin.example.ro/confirm?email=ana@example.ro a expirat.",
            "www.magazin.example.ro/confirm?email=ana@example.ro",
        ),
        ("(see https://x.example/a?api_key=K1)", "https://x.example/a?api_key=K1"),
    ],
)
def test_a_link_with_credentials_or_a_personal_token_is_redacted(sentence: str, url: str) -> None:
    assert_redacted(sentence, url, "[URL]")


def test_an_ordinary_link_is_kept_even_with_numbers_in_it() -> None:
    assert_kept(
        "See https://example.com/orders/612345678 and https://example.es/ayuda?page=2&keyword=x."
    )


def test_an_email_address_in_the_path_of_an_ordinary_link_is_redacted_alone() -> None:
    assert redact("https://example.com/u/ana@example.ro").text == "https://example.com/u/[EMAIL]"


# tracking codes, and the overlaps of findings ----------------------------------------------


def test_tracking_codes_are_kept() -> None:
    assert_kept("Parcels RR123456789ES, 1Z999AA10123456784 and 9400 1000 0000 0000 0000 00 stuck.")


def test_an_email_address_with_digits_in_it_is_one_email_finding() -> None:
    result = redact("Write to 612345678@example.com")

    assert result.text == "Write to [EMAIL]"
    assert result.kinds == ("email",)


def test_a_link_that_carries_an_email_address_is_one_link_finding() -> None:
    result = redact("Open https://x.example/?email=ana@example.ro&token=1 now")

    assert result.text == "Open [URL] now"
    assert result.kinds == ("url",)


def test_findings_next_to_each_other_never_produce_garbled_placeholders() -> None:
    text = (
        "4111111111111111+34 612 345 678;ana@example.com,ES91 2100 0418 4502 0005 1332"
        "/192.168.1.10-12345678Z(555) 123-4567 [PHONE] [x]"
    )
    result = redact(text)

    rebuilt, last = "", 0
    for finding in result.findings:
        assert finding.start >= last
        rebuilt += text[last : finding.start] + PLACEHOLDERS[finding.kind]
        last = finding.end
    assert rebuilt + text[last:] == result.text
    assert set(re.findall(r"\[[A-Z]+\]", result.text)) <= set(PLACEHOLDERS.values())
    assert redact(result.text).text == result.text


# the result -----------------------------------------------------------------------------------


def test_findings_give_the_kind_and_offsets_into_the_original_text() -> None:
    text = "Tel. +40 721 234 567, mail ana@example.ro."
    result = redact(text)

    assert result == Redaction(
        "Tel. [PHONE], mail [EMAIL].",
        (Finding("phone", 5, 20), Finding("email", 27, 41)),
    )
    assert [text[finding.start : finding.end] for finding in result.findings] == [
        "+40 721 234 567",
        "ana@example.ro",
    ]
    assert result.kinds == ("email", "phone")


def test_every_kind_has_its_placeholder() -> None:
    assert set(KINDS) == {"email", "phone", "card", "iban", "ip", "id", "url"}
    assert {kind: PLACEHOLDERS[kind] for kind in KINDS} == {
        "email": "[EMAIL]",
        "phone": "[PHONE]",
        "card": "[CARD]",
        "iban": "[IBAN]",
        "ip": "[IP]",
        "id": "[ID]",
        "url": "[URL]",
    }


# choosing kinds -------------------------------------------------------------------------------

MIXED = "Call +34 612 345 678 or mail ana@example.es, card 4111 1111 1111 1111."


def test_only_the_kinds_asked_for_are_redacted() -> None:
    assert redact(MIXED, kinds=["phone"]).text == (
        "Call [PHONE] or mail ana@example.es, card 4111 1111 1111 1111."
    )
    assert redact(MIXED, kinds=("email", "card")).text == (
        "Call +34 612 345 678 or mail [EMAIL], card [CARD]."
    )


def test_a_single_kind_may_be_given_as_a_string() -> None:
    assert redact(MIXED, kinds="email").kinds == ("email",)


def test_no_kinds_means_nothing_is_redacted() -> None:
    assert redact(MIXED, kinds=[]) == Redaction(MIXED, ())


def test_an_unknown_kind_is_refused_with_the_known_kinds_in_the_message() -> None:
    with pytest.raises(InvalidInput, match=r"'passport'.*email") as raised:
        redact(MIXED, kinds=["email", "passport"])

    assert "phone" in str(raised.value)
    with pytest.raises(InvalidInput, match="'EMAIL'"):
        redact_many(["x"], kinds=["EMAIL"])


# many texts -----------------------------------------------------------------------------------


def test_redact_many_keeps_the_order_and_leaves_missing_texts_missing() -> None:
    texts = ["Mail ana@example.es", None, "", "Nothing here", "Tel 0721 234 567"]

    assert redact_many(texts) == ["Mail [EMAIL]", None, "", "Nothing here", "Tel [PHONE]"]


def test_redact_many_takes_any_iterable_and_the_kinds() -> None:
    texts = (text for text in ["ana@example.es 0721 234 567", None])

    assert redact_many(texts, kinds=["phone"]) == ["ana@example.es [PHONE]", None]


def test_redact_many_of_nothing_is_an_empty_list() -> None:
    assert redact_many([]) == []


# hostile input --------------------------------------------------------------------------------


def test_html_and_scripts_stay_text_and_only_findings_are_replaced() -> None:
    text = '<a href="mailto:ana@example.es">x</a><script>alert("4111")</script>&amp; <b>1</b>'

    assert redact(text).text == text.replace("ana@example.es", "[EMAIL]")


def test_control_characters_and_nul_bytes_are_kept() -> None:
    text = "\x00\x01tel\t0721 234 567\x00\r\n\x7f\u200b"

    assert redact(text).text == "\x00\x01tel\t[PHONE]\x00\r\n\x7f\u200b"


def test_an_empty_text_gives_an_empty_redaction() -> None:
    assert redact("") == Redaction("", ())


@pytest.mark.parametrize(
    "text",
    ["1 " * 10**6, "a@" * 10**6, "a." * 10**6, "+1 " * 700_000, "::" * 10**6, "x at y " * 300_000],
    ids=["digits", "at-signs", "dots", "pluses", "colons", "at-words"],
)
def test_megabytes_of_adversarial_text_finish_and_come_back_unchanged(text: str) -> None:
    assert redact(text).text == text


def test_a_megabyte_of_text_still_has_its_data_found() -> None:
    text = "Nice shop, fast delivery. " * 40_000 + "Mail ana@example.es or 0721 234 567."

    result = redact(text)

    assert result.text.endswith("Mail [EMAIL] or [PHONE].")
    assert result.kinds == ("email", "phone")
