"""Text-analysis speed: texts per second and peak memory of the whole pipeline, both modes.

One command::

    .venv/bin/python bench/text_speed.py [--fast-texts 20000] [--accurate-texts 600] [--markdown]

**Texts.** The demo company's feedback (NPS comments, reviews, tickets, social posts in English,
Spanish, Russian and Romanian; ``advocacy.demo``, seed 7, 20,000 customers), repeated in order
until there are enough: texts the project owns, of the lengths customers write.

**Measurement.** Each mode runs in its own fresh process (``--child``): it loads the models,
warms them up on 20 texts, then times ``Analyzer(mode).analyze`` — language, sentiment per item
and per sentence, themes with their sentiment, urgency, redaction — over the texts in batches of
256, as ``advocacy analyze`` does. *texts/s* is texts ÷ wall time of the analysis alone; *peak
MB* the process's whole ``ru_maxrss`` (models included). The accurate mode's transformer runs
on as many threads as there are cores. Each mode
runs ``--repeats`` times (5), each time in a fresh process; the median is reported, with the
range: on a shared virtual machine the same run varies by a third from one minute to the next.

Fast mode runs twice: in one process, and on as many processes as there are cores
(``advocacy.text.pipeline.analyze_batches``, as ``advocacy analyze`` does by default in fast
mode); there *peak MB* is the largest process (the workers are forked and share the models'
pages).
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from report import invocation, machine_facts, markdown_table, run_child

BATCH = 256
COLUMNS = {"nps": "comment", "reviews": "text", "tickets": "text", "social": "text"}


def demo_texts(count: int) -> list[str]:
    """``count`` feedback texts of the demo company, repeated in order if need be."""
    from advocacy.demo import write_demo_files

    texts: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        files = write_demo_files(Path(folder), customers=20_000, seed=7)
        for kind, column in COLUMNS.items():
            with files[kind].open(encoding="utf-8") as handle:
                texts += [row[column] for row in csv.DictReader(handle) if row.get(column)]
    return [texts[i % len(texts)] for i in range(count)]


def child(mode: str, count: int, workers: int) -> int:
    from advocacy.text.pipeline import Analyzer, analyze_batches

    texts = demo_texts(count)
    analyzer = Analyzer(mode)  # type: ignore[arg-type]
    analyzer.analyze(texts[:20])
    batches = [texts[offset : offset + BATCH] for offset in range(0, len(texts), BATCH)]
    started = time.perf_counter()
    for _ in analyze_batches(analyzer, batches, workers=workers):
        pass
    seconds = time.perf_counter() - started
    characters = sum(len(text) for text in texts) / len(texts)
    print(json.dumps({"texts": len(texts), "seconds": seconds, "mean_characters": characters}))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fast-texts", type=int, default=20_000)
    parser.add_argument("--accurate-texts", type=int, default=600)
    parser.add_argument(
        "--repeats", type=int, default=5, help="fresh processes a mode (median reported)"
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown report")
    parser.add_argument("--child", choices=["fast", "accurate"], help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.texts, args.workers)
    from advocacy.text.pipeline import default_workers

    rows = []
    targets = {"fast": 2000, "accurate": 50}
    runs = [("fast", args.fast_texts, 1)]
    if default_workers("fast") > 1:
        runs.append(("fast", args.fast_texts, default_workers("fast")))
    runs.append(("accurate", args.accurate_texts, 1))
    for mode, count, workers in runs:
        if count <= 0:  # that mode left out (--fast-texts 0 or --accurate-texts 0)
            continue
        label = mode if mode == "accurate" else f"{mode}, {workers} process" + "es" * (workers > 1)
        rates, peaks, characters = [], [], 0.0
        failure = ""
        for _ in range(args.repeats):
            done = run_child(
                [sys.executable, __file__, "--child", mode, "--texts", str(count),
                 "--workers", str(workers)]
            )  # fmt: skip
            if done.code != 0:
                failure = done.failure_note()
                break
            result = json.loads(done.stdout.strip().splitlines()[-1])
            rates.append(result["texts"] / result["seconds"])
            peaks.append(done.max_rss_bytes)
            characters = result["mean_characters"]
        if failure:
            rows.append([label, "FAILED", failure, "", "", "", ""])
            continue
        rate = statistics.median(rates)
        rows.append(
            [
                label,
                f"{count:,}",
                f"{characters:.0f}",
                f"{rate:,.1f}",
                f"{min(rates):,.1f} – {max(rates):,.1f} ({len(rates)} runs)",
                f"{max(peaks) / 1e6:,.0f}",
                f"≥ {targets[mode]:,}: {'met' if rate >= targets[mode] else 'not met'}",
            ]
        )
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    headers = ["mode", "texts", "mean chars", "texts/s (median)", "range", "peak MB", "target"]
    print(f"## Text speed — {when}\n\n{machine_facts()}\n\nCommand: `{invocation()}`\n")
    print(markdown_table(headers, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
