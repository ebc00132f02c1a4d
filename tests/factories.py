"""Builders of import files in every supported format, from lists of row dictionaries."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Row = dict[str, Any]


def write_csv(path: Path, rows: Sequence[Row], *, columns: Sequence[str] | None = None) -> Path:
    names = list(columns or _columns(rows))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, names)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return path


def write_jsonl(path: Path, rows: Sequence[Row]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def write_xlsx(path: Path, rows: Sequence[Row]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    names = _columns(rows)
    sheet.append(names)
    for row in rows:
        sheet.append([row.get(name) for name in names])
    workbook.save(path)
    return path


def write_parquet(path: Path, rows: Sequence[Row]) -> Path:
    import polars as pl

    pl.DataFrame(list(rows), infer_schema_length=None).write_parquet(path)
    return path


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "xlsx": write_xlsx, "parquet": write_parquet}


def write_rows(path: Path, rows: Sequence[Row]) -> Path:
    """Write ``rows`` in the format ``path``'s extension names."""
    writer = WRITERS[path.suffix.lstrip(".")]
    return writer(path, rows)  # type: ignore[operator]


def _columns(rows: Sequence[Row]) -> list[str]:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return list(names)


def customers(count: int = 3) -> list[Row]:
    people = [
        ("C1", "Ana López", "ana@example.es", "es-ES", "ES", "consumer"),
        ("C2", "Иван Петров", "ivan@example.ru", "ru-RU", "RU", "business"),
        ("C3", "Ioana Popescu", "ioana@example.ro", "ro-RO", "RO", "consumer"),
        ("C4", "Jane Smith", "jane@example.co.uk", "en-GB", "GB", "enterprise"),
    ]
    return [
        {
            "customer_id": cid,
            "name": name,
            "email": email,
            "locale": locale,
            "country": country,
            "segment": segment,
            "acquired_at": "2024-01-15",
            "acquisition_cost": "1000",
        }
        for cid, name, email, locale, country, segment in people[:count]
    ]


def orders() -> list[Row]:
    return [
        {
            "order_id": "O1",
            "customer_id": "C1",
            "ordered_at": "2025-03-01T10:00:00Z",
            "amount": "120.50",
            "currency": "EUR",
            "status": "delivered",
            "promised_delivery_at": "2025-03-04",
            "delivered_at": "2025-03-09T12:00:00+01:00",
            "product": "Espresso machine",
        },
        {
            "order_id": "O2",
            "customer_id": "C2",
            "ordered_at": "2025-03-02",
            "amount": "0",
            "currency": "rub",
            "status": "placed",
            "promised_delivery_at": "2025-03-06",
            "delivered_at": None,
            "product": "Kettle",
        },
    ]


def nps_answers() -> list[Row]:
    return [
        {
            "response_id": "N1",
            "customer_id": "C1",
            "score": 3,
            "comment": "El pedido llegó tarde.",
            "responded_at": "2025-03-10",
            "channel": "email",
            "language": "es",
        },
        {
            "response_id": "N2",
            "customer_id": "C2",
            "score": 10,
            "comment": "Всё отлично!",
            "responded_at": "2025-03-11T08:30:00+03:00",
            "channel": "web",
            "language": "ru",
        },
        {
            "response_id": "N3",
            "customer_id": None,
            "score": 8,
            "comment": None,
            "responded_at": "2025-03-12",
            "channel": "link",
            "language": None,
        },
    ]


def reviews() -> list[Row]:
    return [
        {
            "review_id": "R1",
            "platform": "Trustpilot",
            "rating": 1,
            "title": "Never again",
            "text": "<script>alert('x')</script> Late and broken.",
            "author": "Bob",
            "posted_at": "2025-03-15T09:00:00Z",
            "url": "https://www.trustpilot.com/reviews/1",
            "customer_id": "C1",
            "language": "en",
            "product": "Kettle",
        },
        {
            "review_id": "R1",
            "platform": "google",
            "rating": 4.5,
            "title": "Bun",
            "text": "Livrare rapidă, mulțumesc!",
            "author": "Ioana",
            "posted_at": "2025-03-16",
            "url": None,
            "customer_id": None,
            "language": "ro",
            "product": None,
        },
    ]


def tickets() -> list[Row]:
    return [
        {
            "ticket_id": "T1",
            "customer_id": "C1",
            "opened_at": "2025-03-08",
            "closed_at": "2025-03-09",
            "channel": "email",
            "subject": "¿Dónde está mi pedido?",
            "text": "Sigo esperando.",
            "status": "closed",
            "contacts": 3,
        },
    ]


def social_posts() -> list[Row]:
    return [
        {
            "post_id": "P1",
            "network": "X",
            "author": "@ana",
            "text": "Love my new kettle from @shop",
            "posted_at": "2025-03-20T18:00:00Z",
            "url": "https://x.com/ana/status/1",
            "customer_id": "C1",
            "likes": 12,
            "shares": 3,
            "language": "en",
        },
    ]
