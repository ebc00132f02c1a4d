"""Generate the labelled sentences the sentiment heads are trained on.

Every sentence is composed from the hand-written, project-owned fragments in
``fragments_{en,es,ru,ro}.py``: topic clauses of one polarity joined by connectors, narratives
with neutral context, a main polarity with a minor opposite remark ("…, but …"), mixed texts
(labelled neutral), short verdicts and social-network posts. Light noise follows real feedback:
Romanian and Spanish without diacritics, ``ё`` written ``е``, a typo, lower case, no punctuation,
emoticons. No outside text is used.

The output is a deterministic function of ``(per_language, seed)`` and of the fragment lists:
``python training/text/generate.py 8000 0`` prints the 32,000 sentences ``build_models.py``
trains on, one JSON object (``lang``, ``text``, ``label``) a line.

Usage: ``python training/text/generate.py [PER_LANGUAGE] [SEED] > sentences.jsonl``
(defaults 8000 and 0).
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from types import ModuleType

import fragments_en
import fragments_es
import fragments_ro
import fragments_ru

LANGUAGES = ("en", "es", "ru", "ro")
LABELS = ("negative", "neutral", "positive")
FRAGMENTS: dict[str, ModuleType] = {
    "en": fragments_en,
    "es": fragments_es,
    "ru": fragments_ru,
    "ro": fragments_ro,
}
#: Sentences per language and seed of the shipped models.
PER_LANGUAGE = 8000
SEED = 0

_RO_PLAIN = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢ", "aaissttAAISSTT")
_ES_PLAIN = str.maketrans("áéíóúñüÁÉÍÓÚÑÜ¡¿", "aeiounuAEIOUNU  ")


def _cap(s: str) -> str:
    s = s.strip()
    return s[:1].upper() + s[1:] if s else s


def _end(s: str, rng: random.Random, polarity: str) -> str:
    """End a sentence with punctuation that suits its polarity (unless it has some)."""
    s = s.rstrip()
    if s and s[-1] in ".!?)":
        return s
    if polarity == "positive":
        return s + rng.choice([".", ".", "!", "!!", ""])
    if polarity == "negative":
        return s + rng.choice([".", ".", "!", "!!!", "..."])
    return s + rng.choice([".", ".", "", ""])


def _fill(s: str, f: ModuleType, rng: random.Random) -> str:
    return s.replace("{i}", rng.choice(f.INT))


def _clause(f: ModuleType, polarity: str, rng: random.Random) -> str:
    table = {"positive": f.POS, "negative": f.NEG, "neutral": f.NEU}[polarity]
    topic = rng.choice(list(table))
    return _fill(rng.choice(table[topic]), f, rng)


def _verdict(f: ModuleType, polarity: str, rng: random.Random) -> str:
    phrases = {"positive": f.GEN_POS, "negative": f.GEN_NEG, "neutral": f.GEN_NEU}[polarity]
    return _fill(rng.choice(phrases), f, rng)


def _closing(f: ModuleType, polarity: str, rng: random.Random) -> str:
    phrases = {"positive": f.CLOSE_POS, "negative": f.CLOSE_NEG, "neutral": f.CLOSE_NEU}
    return str(rng.choice(phrases[polarity]))


def _opposite(polarity: str) -> str:
    return "negative" if polarity == "positive" else "positive"


def _join(f: ModuleType, clauses: list[str], rng: random.Random) -> str:
    out = _cap(clauses[0])
    for c in clauses[1:]:
        sep = rng.choice(f.AND)
        out += sep + (_cap(c) if sep.strip().endswith(".") or sep == ". " else c)
    return out


def _polar(f: ModuleType, pol: str, rng: random.Random) -> list[str]:
    """The parts of a positive or negative text."""
    r = rng.random()
    parts: list[str] = []
    if r < 0.14:  # a verdict, maybe a closing line
        parts = [_end(_cap(_verdict(f, pol, rng)), rng, pol)]
        if rng.random() < 0.4:
            parts.append(_closing(f, pol, rng))
    elif r < 0.45:  # one to three clauses of the polarity
        clauses = [_clause(f, pol, rng) for _ in range(rng.choice([1, 1, 2, 2, 3]))]
        if rng.random() < 0.35:
            parts.append(_end(_cap(_verdict(f, pol, rng)), rng, pol))
        parts.append(_end(_join(f, clauses, rng), rng, pol))
        if rng.random() < 0.4:
            parts.append(_closing(f, pol, rng))
    elif r < 0.62:  # a narrative with neutral context
        parts += rng.sample(f.CONTEXT, rng.choice([1, 1, 2]))
        if rng.random() < 0.4:
            parts.append(_end(_cap(_clause(f, "neutral", rng)), rng, "neutral"))
        clauses = [_clause(f, pol, rng) for _ in range(rng.choice([1, 2, 3]))]
        parts.append(_end(_join(f, clauses, rng), rng, pol))
        if rng.random() < 0.6:
            parts.append(
                rng.choice([_closing(f, pol, rng), _end(_cap(_verdict(f, pol, rng)), rng, pol)])
            )
    elif r < 0.77:  # the main polarity, "but" a minor opposite remark
        main = _join(f, [_clause(f, pol, rng) for _ in range(rng.choice([1, 2]))], rng)
        minor = _clause(f, _opposite(pol), rng)
        if rng.random() < 0.3 and hasattr(f, "INT_WEAK") and "{" not in minor:
            minor = rng.choice(f.INT_WEAK) + minor
        parts.append(_end(main + rng.choice(f.BUT) + minor, rng, "neutral"))
        parts.append(
            rng.choice([_closing(f, pol, rng), _end(_cap(_verdict(f, pol, rng)), rng, pol)])
        )
    elif r < 0.9:  # a minor opposite remark first, then the main polarity dominates
        minor = _clause(f, _opposite(pol), rng)
        main = _clause(f, pol, rng)
        parts.append(_end(_cap(minor) + rng.choice(f.BUT) + main, rng, pol))
        if rng.random() < 0.8:
            parts.append(_end(_cap(_verdict(f, pol, rng)), rng, pol))
        if rng.random() < 0.5:
            parts.append(_closing(f, pol, rng))
    else:  # a social-network post
        parts.append(rng.choice({"positive": f.SOC_POS, "negative": f.SOC_NEG}[pol]))
    return parts


def _neutral(f: ModuleType, rng: random.Random) -> list[str]:
    """The parts of a neutral text: facts, questions, or a genuinely mixed verdict."""
    r = rng.random()
    parts: list[str] = []
    if r < 0.2:
        parts = [_end(_cap(_verdict(f, "neutral", rng)), rng, "neutral")]
    elif r < 0.5:
        if rng.random() < 0.5:
            parts += rng.sample(f.CONTEXT, rng.choice([1, 2]))
        clauses = [_clause(f, "neutral", rng) for _ in range(rng.choice([1, 2]))]
        parts.append(_end(_join(f, clauses, rng), rng, "neutral"))
        if rng.random() < 0.4:
            parts.append(_closing(f, "neutral", rng))
    elif r < 0.75:  # as much good as bad
        a, b = ("positive", "negative") if rng.random() < 0.5 else ("negative", "positive")
        s = _cap(_clause(f, a, rng)) + rng.choice(f.BUT) + _clause(f, b, rng)
        parts.append(_end(s, rng, "neutral"))
        parts.append(_end(_cap(_verdict(f, "neutral", rng)), rng, "neutral"))
    elif r < 0.88:
        parts.append(rng.choice(f.CONTEXT))
        parts.append(_end(_cap(_verdict(f, "neutral", rng)), rng, "neutral"))
    else:
        parts.append(rng.choice(f.SOC_NEU))
    return parts


def compose(f: ModuleType, polarity: str, rng: random.Random) -> str:
    """One text of the given polarity from the fragments ``f`` of a language."""
    parts = _neutral(f, rng) if polarity == "neutral" else _polar(f, polarity, rng)
    return " ".join(p for p in parts if p)


def _typo(s: str, rng: random.Random) -> str:
    """Swap, drop or double one letter of one word (of more than three letters)."""
    words = s.split(" ")
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) > 3:
        j = rng.randrange(len(w) - 1)
        op = rng.random()
        if op < 0.4:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        elif op < 0.7:
            w = w[:j] + w[j + 1 :]
        else:
            w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def _noise(s: str, lang: str, polarity: str, f: ModuleType, rng: random.Random) -> str:
    """The noise of real feedback: missing diacritics, typos, case, punctuation, emoticons."""
    if lang == "ro" and rng.random() < 0.6:
        s = s.translate(_RO_PLAIN)
    if lang == "es" and rng.random() < 0.15:
        s = s.translate(_ES_PLAIN).replace("  ", " ").strip()
    if lang == "ru" and rng.random() < 0.5:
        s = s.replace("ё", "е")
    if rng.random() < 0.15:
        s = _typo(s, rng)
    if rng.random() < 0.2:
        s = s.lower()
    if rng.random() < 0.1:
        s = s.replace(".", "").replace("!", "")
    if polarity != "neutral" and rng.random() < 0.12:
        s = s + " " + rng.choice(f.EMO_POS if polarity == "positive" else f.EMO_NEG)
    if polarity == "negative" and rng.random() < 0.02:
        s = s.upper()
    return s


def generate(per_language: int = PER_LANGUAGE, seed: int = SEED) -> list[dict[str, str]]:
    """Distinct labelled texts, ``per_language`` for each language, labels in rotation.

    Parameters
    ----------
    per_language : int
        Texts wanted per language (fewer if the fragments cannot make that many distinct ones
        in ``20 * per_language`` tries).
    seed : int
        Seed of the one random generator all choices are drawn from.

    Returns
    -------
    list of dict
        ``{"lang", "text", "label"}`` rows, language by language.
    """
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    made: Counter[str] = Counter()
    for lang in LANGUAGES:
        f = FRAGMENTS[lang]
        seen: set[str] = set()
        tries = 0
        while made[lang] < per_language and tries < per_language * 20:
            tries += 1
            polarity = LABELS[tries % 3]
            text = _noise(compose(f, polarity, rng), lang, polarity, f, rng)
            if text in seen:
                continue
            seen.add(text)
            made[lang] += 1
            rows.append({"lang": lang, "text": text, "label": polarity})
    return rows


def main(argv: list[str]) -> None:
    per_language = int(argv[0]) if argv else PER_LANGUAGE
    seed = int(argv[1]) if len(argv) > 1 else SEED
    out = sys.stdout
    for row in generate(per_language, seed):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
