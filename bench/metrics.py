"""Metrics benchmark: NPS with trend and breakdowns, and churn, advocacy against pandas.

One command::

    .venv/bin/python bench/metrics.py [--answers 10000000] [--customers 1000000] [--markdown]

Every measured line runs in its own fresh process. The process first builds the same
deterministic in-memory data (``numpy.random.default_rng(seed)``, as a pandas DataFrame, the way
an analyst holds it after loading), then runs the computation once, cold, and reports:

* **wall s**: ``time.perf_counter`` around the computation only (building the data, interpreter
  start-up and imports are not timed);
* **peak MB**: the memory the computation added on top of the data, i.e. its peak resident set
  minus the resident set just before it. Right before the computation the child writes ``5`` to
  ``/proc/self/clear_refs``, which resets the kernel's high-water mark of the process's resident
  set (``VmHWM``) to its current size, so ``VmHWM`` read after the computation is the exact peak
  of the computation alone, whatever building the data peaked at. A psutil thread also samples
  the resident set every 10 ms; the larger of the two figures is used (the sampler is the only
  one where ``clear_refs`` is unavailable).

The parent also reads each child's own high-water mark from ``os.wait4`` (``ru_maxrss``: data
building and computation together), shown as "process MB".

Lines:

1. advocacy NPS: ``nps(scores)`` (overall with margin of error), ``nps_grid(scores, times,
   segment, period="month")`` (month × segment, each with its margin of error and its change
   against the segment's previous month with p-value) and ``nps_breakdown(scores, country)``
   (each country against all the other answers, with margins and p-values).
2. the pandas code an analyst would write for the same figures: boolean promoter and detractor
   columns, ``groupby().agg(mean)`` by month (``dt.to_period("M")``) × segment and by country,
   NPS and margin of error per row, change against the previous month and country against the
   rest with their p-values.
3. advocacy churn: ``churn_rate(acquired_at, churned_at, as_of=..., months=12)``.
4. the pandas churn an analyst would write for the articles' definition: customers lost in the
   last 12 months ÷ the mean of the active-customer counts at the 13 month boundaries.

Both sides' results are compared (every NPS, margin and p-value; the churn rate and its counts)
and a difference fails the run.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import shlex
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import report
from report import cpu_model, invocation, megabytes, package_version, total_memory_bytes

SAMPLE_INTERVAL_S = 0.01
START = "2024-01-01"  # answers span two years from here
ACQUIRED_FROM = "2021-01-01"  # customers are acquired over five years from here
AS_OF = "2026-01-01"  # churn window end; also the end of the customer data
SEGMENTS = ["consumer", "small business", "mid-market", "enterprise"]
SEGMENT_WEIGHTS = [0.55, 0.25, 0.15, 0.05]
COUNTRIES = ["US", "DE", "GB", "FR", "NL", "ES", "SE"]
COUNTRY_WEIGHTS = [0.35, 0.18, 0.15, 0.12, 0.08, 0.07, 0.05]
# Probabilities of the scores 0–10: a typical B2C survey, NPS about +30.
SCORE_WEIGHTS = [0.03, 0.01, 0.02, 0.02, 0.03, 0.06, 0.06, 0.10, 0.15, 0.20, 0.32]
CHURNED_SHARE = 0.30
TOLERANCE = 1e-9
Z_95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975), what advocacy uses for "1.96"


# ---------------------------------------------------------------------------------------------
# Data, built identically in every child
# ---------------------------------------------------------------------------------------------


def build_answers(n: int, seed: int) -> Any:
    """``n`` NPS answers: score (int8), answered_at (datetime64[ns]), segment, country."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    weights = np.asarray(SCORE_WEIGHTS) / sum(SCORE_WEIGHTS)
    scores = rng.choice(np.arange(11, dtype=np.int8), size=n, p=weights)
    start = np.datetime64(START, "s")
    span_s = int((np.datetime64("2026-01-01", "s") - start).astype(np.int64))
    answered_at = (start + rng.integers(0, span_s, size=n).astype("timedelta64[s]")).astype(
        "datetime64[ns]"
    )
    segment = pd.Categorical.from_codes(
        rng.choice(np.arange(len(SEGMENTS), dtype=np.int8), size=n, p=SEGMENT_WEIGHTS),
        categories=pd.Index(SEGMENTS),
    )
    country = pd.Categorical.from_codes(
        rng.choice(np.arange(len(COUNTRIES), dtype=np.int8), size=n, p=COUNTRY_WEIGHTS),
        categories=pd.Index(COUNTRIES),
    )
    return pd.DataFrame(
        {"score": scores, "answered_at": answered_at, "segment": segment, "country": country}
    )


def build_customers(n: int, seed: int) -> Any:
    """``n`` customers: acquired_at over five years, churned_at (NaT: still one) for ~30 %."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    start = np.datetime64(ACQUIRED_FROM, "s")
    end = np.datetime64(AS_OF, "s")
    span_s = int((end - start).astype(np.int64))
    acquired_s = rng.integers(0, span_s, size=n)
    # A churned customer leaves at a uniform instant between a second after acquisition and
    # as_of: never before they came, never in the future.
    churned = rng.random(n) < CHURNED_SHARE
    stay_s = 1 + (rng.random(n) * (span_s - acquired_s - 1)).astype(np.int64)
    acquired_at = (start + acquired_s.astype("timedelta64[s]")).astype("datetime64[ns]")
    churned_at = np.where(
        churned, acquired_at + stay_s.astype("timedelta64[s]"), np.datetime64("NaT")
    ).astype("datetime64[ns]")
    return pd.DataFrame({"acquired_at": acquired_at, "churned_at": churned_at})


# ---------------------------------------------------------------------------------------------
# The computations (what is timed)
# ---------------------------------------------------------------------------------------------


def advocacy_nps(df: Any) -> dict[str, Any]:
    from advocacy.metrics import nps, nps_breakdown, nps_grid

    overall = nps(df["score"])
    grid = nps_grid(df["score"], df["answered_at"], df["segment"], period="month")
    countries = nps_breakdown(df["score"], df["country"])
    return {
        "overall": [overall.score, overall.margin_of_error],
        "cells": {
            f"{cell.key}|{cell.group}": [
                cell.result.score,
                cell.result.margin_of_error,
                cell.change,
                cell.p_value,
            ]
            for cell in grid
        },
        "groups": {
            group.key: [group.result.score, group.result.margin_of_error, group.p_value]
            for group in countries
        },
    }


def pandas_nps(df: Any) -> dict[str, Any]:
    """NPS the way a competent analyst writes it with pandas (no scipy: math.erfc)."""
    import numpy as np
    import pandas as pd

    def with_nps(table: pd.DataFrame) -> pd.DataFrame:
        table["nps"] = 100 * (table["promoters"] - table["detractors"])
        variance = (
            table["promoters"]
            + table["detractors"]
            - (table["promoters"] - table["detractors"]) ** 2
        ) / table["n"]
        table["moe"] = 100 * Z_95 * np.sqrt(variance)
        table["se"] = 100 * np.sqrt(variance)
        return table

    def p_value(z: pd.Series) -> pd.Series:
        return z.abs().map(lambda value: math.erfc(value / math.sqrt(2)))

    df["promoter"] = df["score"] >= 9
    df["detractor"] = df["score"] <= 6
    shares = {"promoters": ("promoter", "mean"), "detractors": ("detractor", "mean")}

    p, d, n = df["promoter"].mean(), df["detractor"].mean(), len(df)
    overall_nps = 100 * (p - d)
    overall_moe = 100 * Z_95 * math.sqrt((p + d - (p - d) ** 2) / n)

    df["month"] = df["answered_at"].dt.to_period("M")
    grid = df.groupby(["segment", "month"], observed=True).agg(n=("score", "size"), **shares)
    grid = with_nps(grid)
    by_segment = grid.groupby(level="segment", observed=True)
    grid["change"] = by_segment["nps"].diff()
    grid["p_value"] = p_value(
        grid["change"] / np.sqrt(grid["se"] ** 2 + by_segment["se"].shift() ** 2)
    )

    countries = df.groupby("country", observed=True).agg(n=("score", "size"), **shares)
    countries = with_nps(countries)
    rest = pd.DataFrame({"n": n - countries["n"]})
    rest["promoters"] = (p * n - countries["promoters"] * countries["n"]) / rest["n"]
    rest["detractors"] = (d * n - countries["detractors"] * countries["n"]) / rest["n"]
    rest = with_nps(rest)
    countries["p_value"] = p_value(
        (countries["nps"] - rest["nps"]) / np.sqrt(countries["se"] ** 2 + rest["se"] ** 2)
    )

    return {
        "overall": [overall_nps, overall_moe],
        "cells": {
            f"{month}|{segment}": [row.nps, row.moe, row.change, row.p_value]
            for (segment, month), row in zip(grid.index, grid.itertuples(), strict=True)
        },
        "groups": {
            str(country): [row.nps, row.moe, row.p_value]
            for country, row in zip(countries.index, countries.itertuples(), strict=True)
        },
    }


def advocacy_churn(df: Any) -> dict[str, Any]:
    from advocacy.metrics.churn import churn_rate

    result = churn_rate(df["acquired_at"], df["churned_at"], as_of=AS_OF, months=12)
    return {
        "rate": result.churn_rate,
        "lost": result.lost,
        "counts": list(result.boundary_counts),
    }


def pandas_churn(df: Any) -> dict[str, Any]:
    """The articles' churn rate the way an analyst writes it with pandas."""
    import pandas as pd

    as_of = pd.Timestamp(AS_OF)
    boundaries = [as_of - pd.DateOffset(months=k) for k in range(12, -1, -1)]
    active = [
        int(((df["acquired_at"] <= t) & (df["churned_at"].isna() | (df["churned_at"] > t))).sum())
        for t in boundaries
    ]
    lost = int(((df["churned_at"] > boundaries[0]) & (df["churned_at"] <= as_of)).sum())
    return {"rate": lost / (sum(active) / len(active)), "lost": lost, "counts": active}


@dataclass(frozen=True)
class Spec:
    """One measured line: what data it builds and what it computes."""

    label: str
    kind: str  # "nps" or "churn"
    build: Callable[[int, int], Any]
    compute: Callable[[Any], dict[str, Any]]


SPECS: dict[str, Spec] = {
    "advocacy-nps": Spec("advocacy NPS", "nps", build_answers, advocacy_nps),
    "pandas-nps": Spec("pandas NPS", "nps", build_answers, pandas_nps),
    "advocacy-churn": Spec("advocacy churn", "churn", build_customers, advocacy_churn),
    "pandas-churn": Spec("pandas churn", "churn", build_customers, pandas_churn),
}


# ---------------------------------------------------------------------------------------------
# The child: build, measure, report one JSON document on stdout
# ---------------------------------------------------------------------------------------------


def read_status_kib(field: str) -> int | None:
    """A ``/proc/self/status`` figure in KiB (``VmRSS``, ``VmHWM``), None where unavailable."""
    try:
        for text in Path("/proc/self/status").read_text().splitlines():
            if text.startswith(f"{field}:"):
                return int(text.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def reset_high_water_mark() -> bool:
    """Reset ``VmHWM`` to the current resident set (Linux ≥ 4.0); False where refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class RssSampler(threading.Thread):
    """Samples this process's resident set every ``SAMPLE_INTERVAL_S`` and keeps the peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_bytes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        import psutil

        proc = psutil.Process()
        while True:
            self.peak_bytes = max(self.peak_bytes, int(proc.memory_info().rss))
            if self._stop_event.wait(SAMPLE_INTERVAL_S):
                break

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        import psutil

        self.peak_bytes = max(self.peak_bytes, int(psutil.Process().memory_info().rss))


def child(name: str, rows: int, seed: int) -> int:
    spec = SPECS[name]
    # Import everything first: imports are not the computation.
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import psutil

    import advocacy.metrics
    import advocacy.metrics.churn  # noqa: F401

    data = spec.build(rows, seed)
    gc.collect()
    rss_before = int(psutil.Process().memory_info().rss)
    sampler = RssSampler()
    sampler.start()
    time.sleep(0.05)  # the sampler has taken its first samples
    hwm_reset = reset_high_water_mark()
    started = time.perf_counter()
    result = spec.compute(data)
    wall_s = time.perf_counter() - started
    hwm_kib = read_status_kib("VmHWM") if hwm_reset else None
    sampler.stop()
    peak = sampler.peak_bytes
    if hwm_kib is not None:
        peak = max(peak, hwm_kib * 1024)
    document = {
        "wall_s": wall_s,
        "rss_before": rss_before,
        "peak_rss": peak,
        "sampled_peak": sampler.peak_bytes,
        "hwm_peak": None if hwm_kib is None else hwm_kib * 1024,
        "result": result,
    }
    print(json.dumps(document))
    return 0


# ---------------------------------------------------------------------------------------------
# The parent
# ---------------------------------------------------------------------------------------------


@dataclass
class Line:
    """One line of the result table."""

    label: str
    rows: int
    status: str = "ok"  # ok, failed, mismatch
    note: str = ""
    wall_s: float | None = None
    data_bytes: int | None = None  # resident set after building the data
    peak_bytes: int | None = None  # added by the computation
    process_bytes: int | None = None  # the child's ru_maxrss
    result: dict[str, Any] | None = None
    peer: Line | None = None  # the pandas line this one is compared with


def run_line(name: str, rows: int, seed: int) -> Line:
    spec = SPECS[name]
    line = Line(spec.label, rows)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name]
    cmd += ["--rows", str(rows), "--seed", str(seed)]
    print(f"- {spec.label}: {shlex.join(cmd)}", file=sys.stderr)
    done = report.run_child(cmd)
    line.process_bytes = done.max_rss_bytes
    if done.code != 0:
        line.status = "failed"
        line.note = done.failure_note()
        print("\n".join(f"  | {text}" for text in done.stderr.splitlines()[-40:]), file=sys.stderr)
        return line
    stdout = done.stdout
    document = json.loads(stdout.strip().splitlines()[-1])
    line.wall_s = document["wall_s"]
    line.data_bytes = document["rss_before"]
    line.peak_bytes = document["peak_rss"] - document["rss_before"]
    line.result = document["result"]
    print(
        f"  {line.wall_s:.3f} s, +{megabytes(line.peak_bytes)} MB "
        f"(sampled +{megabytes(document['sampled_peak'] - document['rss_before'])} MB)",
        file=sys.stderr,
    )
    return line


def close(left: Any, right: Any) -> bool:
    """Numbers equal within TOLERANCE (relative or absolute), NaN equal to NaN."""
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(close, left, right))
    if left is None or right is None:  # NaN travels through JSON as NaN; None is a mismatch
        return left is right
    a, b = float(left), float(right)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def check_same(ours: Line, peer: Line) -> None:
    """Mark ``ours`` as a mismatch unless every figure equals the peer's."""
    ours.peer = peer
    if ours.result is None or peer.result is None:
        return
    differences: list[str] = []
    for key, value in peer.result.items():
        mine = ours.result.get(key)
        if isinstance(value, dict):
            if not isinstance(mine, dict) or set(mine) != set(value):
                differences.append(f"{key}: different keys")
                continue
            differences += [
                f"{key}[{cell}]: {mine[cell]} vs {value[cell]}"
                for cell in value
                if not close(mine[cell], value[cell])
            ]
        elif not close(mine, value):
            differences.append(f"{key}: {mine} vs {value}")
    if ours.result.get("cells") is not None:
        ours.note = (
            f"{len(ours.result['cells'])} month × segment cells, "
            f"{len(ours.result['groups'])} countries"
        )
    elif "rate" in ours.result:
        ours.note = f"churn rate {ours.result['rate']:.4%}, lost {ours.result['lost']:,}"
    if differences:
        ours.status = "mismatch"
        ours.note = "; ".join(differences[:5])
        print(f"  MISMATCH {ours.label}: {ours.note}", file=sys.stderr)
    else:
        ours.note += ", equal to pandas"


def environment_facts() -> dict[str, str]:
    memory = total_memory_bytes()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{memory / 2**30:.1f} GiB" if memory else "unknown",
        "os": platform.platform(),
        "python": platform.python_version(),
        "advocacy": package_version("advocacy"),
        "numpy": package_version("numpy"),
        "pandas": package_version("pandas"),
    }


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:,.3f}"


def ratios(line: Line) -> tuple[str, str]:
    """Speed-up (peer time ÷ ours) and memory ratio (ours ÷ peer), for a compared line."""
    peer = line.peer
    if peer is None or line.status != "ok" or peer.status != "ok":
        return "", ""
    speed = f"{peer.wall_s / line.wall_s:.1f}×" if line.wall_s and peer.wall_s else "—"
    memory = (
        f"{line.peak_bytes / peer.peak_bytes:.3f}"
        if line.peak_bytes is not None and peer.peak_bytes
        else "—"
    )
    return speed, memory


HEADERS = [
    "line",
    "rows",
    "wall s",
    "peak MB",
    "speed-up",
    "memory ratio",
    "data MB",
    "process MB",
    "result",
]


def table_rows(lines: Sequence[Line]) -> list[list[str]]:
    rendered = []
    for line in lines:
        speed, memory = ratios(line)
        rendered.append(
            [
                line.label,
                f"{line.rows:,}",
                seconds(line.wall_s),
                megabytes(line.peak_bytes),
                speed,
                memory,
                megabytes(line.data_bytes),
                megabytes(line.process_bytes),
                line.note if line.status == "ok" else f"{line.status.upper()}: {line.note}",
            ]
        )
    return rendered


def text_table(lines: Sequence[Line]) -> str:
    return report.text_table(HEADERS, table_rows(lines))


def markdown_table(lines: Sequence[Line]) -> str:
    return report.markdown_table(HEADERS, table_rows(lines))


def verdicts(lines: Sequence[Line]) -> list[str]:
    """One sentence per compared line: are ≥ 5× faster and ≤ 1/5 of the memory met?"""
    notes = []
    for line in lines:
        speed, memory = ratios(line)
        if line.peer is None:
            continue
        if not speed:
            notes.append(f"{line.label}: no comparison, a line failed or differed.")
            continue
        assert line.wall_s
        assert line.peer.wall_s
        assert line.peer.peak_bytes
        fast = line.peer.wall_s / line.wall_s >= 5
        light = (line.peak_bytes or 0) <= line.peer.peak_bytes / 5
        notes.append(
            f"{line.label}: {speed} faster ({'meets' if fast else 'misses'} ≥ 5×), "
            f"{memory} of the memory ({'meets' if light else 'misses'} ≤ 0.2)."
        )
    return notes


def markdown_section(
    facts: dict[str, str], lines: Sequence[Line], notes: Sequence[str], args: Any
) -> str:
    method = (
        "Each line is its own fresh process that first builds the same deterministic in-memory "
        f"data (`numpy.random.default_rng({args.seed})`, a pandas DataFrame with categorical "
        "segment and country), then runs the computation once, cold. *wall s* is "
        "`time.perf_counter` around the computation only. *peak MB* is what the computation "
        "added to the resident set: the child resets the kernel's high-water mark "
        "(`/proc/self/clear_refs` ← 5) just before the computation and reads `VmHWM` after it, "
        "checked against a psutil sample every 10 ms (the larger is used). *speed-up* is the "
        "pandas time ÷ advocacy's, *memory ratio* advocacy's peak ÷ pandas'. *data MB* is the "
        "resident set after building the data; *process MB* the child's whole `ru_maxrss`."
    )
    nps_sides = (
        "NPS, advocacy: `nps(scores)` (overall and margin of error), `nps_grid(scores, "
        'answered_at, segment, period="month")` (every month × segment cell with its margin '
        "of error and its change against the segment's previous month, with p-value) and "
        "`nps_breakdown(scores, country)` (each country against all other answers, with margin "
        "and p-value). pandas: boolean `promoter`/`detractor` columns, `groupby(['segment', "
        "month]).agg(mean)` with `month = answered_at.dt.to_period('M')` and "
        "`groupby('country').agg(mean)`, NPS, margin of error (1.96·√((p₊ + p₋ − (p₊ − p₋)²)/n)) "
        "and the same changes and p-values (`math.erfc`) on the aggregated rows. Every NPS, "
        "margin, change and p-value is checked equal between the two."
    )
    churn_sides = (
        f"Churn, advocacy: `churn_rate(acquired_at, churned_at, as_of='{AS_OF}', months=12)`. "
        "pandas: the 13 month boundaries `as_of − DateOffset(months=k)`, for each the count of "
        "`acquired_at <= t & (churned_at.isna() | churned_at > t)`, lost = `churned_at` in "
        "`(as_of − 12 months, as_of]`, rate = lost ÷ mean of the counts. Rate, lost and the 13 "
        "counts are checked equal."
    )
    data = (
        f"Data: {args.answers:,} answers, scores int8 0–10 (NPS about +30), answered_at "
        f"uniform over {START} … 2025-12-31 (datetime64[ns]), 4 segments and 7 countries as "
        f"pandas Categoricals; {args.customers:,} customers acquired uniformly over "
        f"{ACQUIRED_FROM} … {AS_OF}, {CHURNED_SHARE:.0%} of them churned at a uniform instant "
        "between acquisition and the as-of date."
    )
    parts = [
        f"## Metrics benchmark: NPS over {args.answers:,} answers, churn over "
        f"{args.customers:,} customers ({facts['date']})",
        "",
        f"- **Machine:** {facts['cpu']}, {facts['cores']} cores, {facts['memory']} RAM, "
        f"{facts['os']}",
        f"- **Software:** Python {facts['python']}, advocacy {facts['advocacy']}, numpy "
        f"{facts['numpy']}, pandas {facts['pandas']}",
        f"- **Command:** `{invocation()}`",
        "",
        markdown_table(lines),
        "",
        "Notes:",
        "",
        *[f"- {note}" for note in notes],
        f"- {data}",
        f"- {nps_sides}",
        f"- {churn_sides}",
        f"- {method}",
    ]
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time NPS (trend, breakdowns) and churn: advocacy against pandas."
    )
    parser.add_argument("--answers", type=int, default=10_000_000, help="NPS answers")
    parser.add_argument("--customers", type=int, default=1_000_000, help="customers for churn")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--markdown", action="store_true", help="also print a section for docs/benchmarks.md"
    )
    parser.add_argument("--child", choices=sorted(SPECS), help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.rows, args.seed)
    if args.answers < 1000 or args.customers < 1000:
        parser.error("--answers and --customers must be at least 1000")

    lines: list[Line] = []
    for ours_name, peer_name, rows in (
        ("advocacy-nps", "pandas-nps", args.answers),
        ("advocacy-churn", "pandas-churn", args.customers),
    ):
        ours = run_line(ours_name, rows, args.seed)
        peer = run_line(peer_name, rows, args.seed)
        if peer.status == "ok":
            peer.note = "the peer"
        check_same(ours, peer)
        lines += [ours, peer]
    notes = verdicts(lines)
    facts = environment_facts()

    print()
    print(
        f"Metrics benchmark — {facts['date']}, {facts['cpu']}, {facts['cores']} cores, "
        f"{facts['memory']}"
    )
    print(
        f"Python {facts['python']}, advocacy {facts['advocacy']}, numpy {facts['numpy']}, "
        f"pandas {facts['pandas']}"
    )
    print(f"Command: {invocation()}")
    print()
    print(text_table(lines))
    print()
    for note in notes:
        print(note)
    if args.markdown:
        print()
        print(markdown_section(facts, lines, notes, args))
    return 0 if all(line.status == "ok" for line in lines) else 1


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
