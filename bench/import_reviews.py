"""Import benchmark: canonical reviews CSV into SQLite, advocacy against pandas.

One command::

    .venv/bin/python bench/import_reviews.py [--rows 1000000] [--workdir DIR] [--markdown]

It generates (or reuses) a deterministic reviews CSV with ``bench/generate_reviews.py`` and times,
each in its own fresh process, on a fresh SQLite file:

* ``advocacy import reviews FILE --json`` (schema created first by ``advocacy db upgrade``, which
  is not timed), checking that every row was imported;
* the same import again on the same database: the idempotent upsert path, every row unchanged;
* the same import of a file with a tenth of the rows, to show that peak memory does not grow with
  the size of the file;
* the usual pandas peer, ``pandas.read_csv`` then ``DataFrame.to_sql`` with default options, and
  the same streamed in chunks of 100,000 rows.

Wall time is ``time.perf_counter`` around the child process, start-up and imports included. Peak
memory is the kernel's high-water mark of the child's resident set: ``os.wait4`` returns that
child's own ``rusage`` (``ru_maxrss``, the largest resident set of the child or of any descendant
it waited for), which, unlike ``getrusage(RUSAGE_CHILDREN)``, is not the running maximum over all
earlier children. While the child runs, psutil also samples the summed RSS of its whole process
tree every 0.1 s; if a command spreads its work over several processes and that sum is larger, the
larger figure is reported.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import report
from generate_reviews import COLUMNS, ensure_reviews_csv
from report import cpu_model, invocation, megabytes, package_version, total_memory_bytes

DEFAULT_WORKDIR = Path("/tmp/advocacy-bench")
SAMPLE_INTERVAL_S = 0.1

# The peers, run with ``python -c CODE CSV DB``: pandas as people use it, default options.
PANDAS_PLAIN = """\
import sqlite3, sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
con = sqlite3.connect(sys.argv[2])
df.to_sql("reviews", con, index=False)
con.commit()
con.close()
"""

PANDAS_CHUNKED = """\
import sqlite3, sys
import pandas as pd
con = sqlite3.connect(sys.argv[2])
for chunk in pd.read_csv(sys.argv[1], chunksize=100_000):
    chunk.to_sql("reviews", con, index=False, if_exists="append")
con.commit()
con.close()
"""


@dataclass
class Finished:
    """What one child process did."""

    returncode: int | None
    stdout: str
    stderr: str
    wall_s: float
    peak_rss_bytes: int | None
    error: str | None = None  # set when the command could not be started at all


@dataclass
class Line:
    """One line of the result table."""

    label: str
    rows: int
    status: str = "ok"  # ok, failed, mismatch, skipped
    result: str = ""
    wall_s: float | None = None
    peak_rss_bytes: int | None = None
    db_bytes: int | None = None

    @property
    def rows_per_s(self) -> float | None:
        if self.status not in ("ok", "mismatch") or not self.wall_s:
            return None
        return self.rows / self.wall_s

    @property
    def timed(self) -> bool:
        return self.rows_per_s is not None


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants (psutil, when installed)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_bytes: int | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_event.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    total += int(proc.memory_info().rss)
            if total and (self.peak_bytes is None or total > self.peak_bytes):
                self.peak_bytes = total
            self._stop_event.wait(SAMPLE_INTERVAL_S)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(cmd: Sequence[str]) -> Finished:
    """Run ``cmd`` in a fresh process; return its output, wall time and peak resident memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as exc:
            return Finished(None, "", "", 0.0, None, error=f"{type(exc).__name__}: {exc}")
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall_s = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    if sampler.peak_bytes is not None:
        peak = max(peak, sampler.peak_bytes)
    return Finished(proc.returncode, stdout, stderr, wall_s, peak)


def warm_page_cache(path: Path) -> None:
    """Read ``path`` once so that every timed line finds it in the OS page cache."""
    with path.open("rb") as handle:
        while handle.read(16 * 2**20):
            pass


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def advocacy_executable() -> str:
    beside = Path(sys.executable).parent / "advocacy"
    return str(beside)


def failure_text(done: Finished) -> str:
    if done.error:
        return done.error
    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    last = lines[-1].strip() if lines else "no output on stderr"
    return f"exit {done.returncode}: {last}"


def report_failure(label: str, cmd: Sequence[str], done: Finished) -> None:
    print(f"  FAILED: {label}\n  command: {shlex.join(cmd)}", file=sys.stderr)
    text = done.error or done.stderr.strip() or "(no output on stderr)"
    tail = text.splitlines()[-40:]
    print("\n".join(f"  | {line}" for line in tail), file=sys.stderr)
    if done.stdout.strip():
        print(f"  stdout: {done.stdout.strip()[-2000:]}", file=sys.stderr)


def parse_json_document(stdout: str) -> dict[str, Any] | None:
    """The command's one JSON document; tolerate log lines printed before it."""
    text = stdout.strip()
    candidates = [text, *reversed(text.splitlines())]
    for candidate in candidates:
        try:
            document = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(document, dict):
            return document
    return None


def advocacy_import(
    label: str, csv_path: Path, db_path: Path, rows: int, expect: str, *, fresh: bool
) -> Line:
    """Time ``advocacy import reviews``; ``expect`` names the count that must equal ``rows``."""
    line = Line(label, rows)
    url = f"sqlite:///{db_path}"
    exe = advocacy_executable()
    if fresh:
        remove_database(db_path)
        upgrade = [exe, "--db", url, "db", "upgrade"]
        print(f"- {label}: {shlex.join(upgrade)} (not timed)", file=sys.stderr)
        done = run_measured(upgrade)
        if done.error or done.returncode != 0:
            report_failure(f"{label} (db upgrade)", upgrade, done)
            line.status = "failed"
            line.result = f"db upgrade failed, {failure_text(done)}"
            return line
    cmd = [exe, "--db", url, "import", "reviews", str(csv_path), "--json"]
    print(f"- {label}: {shlex.join(cmd)}", file=sys.stderr)
    done = run_measured(cmd)
    if done.error or done.returncode != 0:
        report_failure(label, cmd, done)
        line.status = "failed"
        line.result = failure_text(done)
        return line
    line.wall_s = done.wall_s
    line.peak_rss_bytes = done.peak_rss_bytes
    line.db_bytes = db_path.stat().st_size if db_path.exists() else None
    document = parse_json_document(done.stdout)
    if document is None:
        line.status = "mismatch"
        line.result = "no JSON document on stdout"
        print(f"  stdout was: {done.stdout[-2000:]!r}", file=sys.stderr)
        return line
    counts = {key: document.get(key) for key in ("imported", "updated", "unchanged", "rejected")}
    line.result = ", ".join(
        f"{key} {value:,}" if isinstance(value, int) else f"{key} {value!r}"
        for key, value in counts.items()
        if value
    )
    if counts.get(expect) != rows:
        line.status = "mismatch"
        line.result = f"expected {expect} {rows:,}; got " + (line.result or json.dumps(document))
    print(f"  {line.wall_s:.1f} s, {line.result}", file=sys.stderr)
    return line


def pandas_peer(label: str, code: str, csv_path: Path, db_path: Path, rows: int) -> Line:
    line = Line(label, rows)
    remove_database(db_path)
    cmd = [sys.executable, "-c", code, str(csv_path), str(db_path)]
    print(f"- {label}", file=sys.stderr)
    done = run_measured(cmd)
    if done.error or done.returncode != 0:
        report_failure(label, cmd, done)
        line.status = "failed"
        line.result = failure_text(done)
        return line
    line.wall_s = done.wall_s
    line.peak_rss_bytes = done.peak_rss_bytes
    line.db_bytes = db_path.stat().st_size
    with sqlite3.connect(db_path) as con:
        (count,) = con.execute("SELECT count(*) FROM reviews").fetchone()
    line.result = f"{count:,} rows written"
    if count != rows:
        line.status = "mismatch"
        line.result = f"expected {rows:,}; {line.result}"
    print(f"  {line.wall_s:.1f} s, {line.result}", file=sys.stderr)
    return line


def filesystem_of(path: Path) -> str:
    """The file-system type holding ``path`` (tmpfs makes SQLite writes look faster than disk)."""
    best, kind = "", "unknown"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    resolved = str(path.resolve())
    for entry in mounts:
        parts = entry.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, kind = mount_point, parts[2]
    return kind


def environment_facts(workdir: Path) -> dict[str, str]:
    memory = total_memory_bytes()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{memory / 2**30:.1f} GiB" if memory else "unknown",
        "os": platform.platform(),
        "filesystem": filesystem_of(workdir),
        "python": platform.python_version(),
        "advocacy": package_version("advocacy"),
        "pandas": package_version("pandas"),
        "polars": package_version("polars"),
        "sqlalchemy": package_version("sqlalchemy"),
        "sqlite": sqlite3.sqlite_version,
    }


def table_rows(lines: Sequence[Line]) -> list[list[str]]:
    rendered = []
    for line in lines:
        rate = line.rows_per_s
        rendered.append(
            [
                line.label,
                f"{line.rows:,}",
                "—" if line.wall_s is None or not line.timed else f"{line.wall_s:,.1f}",
                "—" if rate is None else f"{rate:,.0f}",
                megabytes(line.peak_rss_bytes if line.timed else None),
                megabytes(line.db_bytes if line.timed else None),
                line.result if line.status == "ok" else f"{line.status.upper()}: {line.result}",
            ]
        )
    return rendered


HEADERS = ["run", "rows", "wall s", "rows/s", "peak RSS MB", "db MB", "result"]


def text_table(lines: Sequence[Line]) -> str:
    return report.text_table(HEADERS, table_rows(lines))


def markdown_table(lines: Sequence[Line]) -> str:
    return report.markdown_table(HEADERS, table_rows(lines))


def ratio(numerator: float | None, denominator: float | None) -> str | None:
    if numerator is None or not denominator:
        return None
    return f"{numerator / denominator:.2f}×"


def comparison(lines: dict[str, Line]) -> list[str]:
    """Sentences comparing advocacy with the pandas peer and the two advocacy sizes."""
    notes: list[str] = []
    first, pandas, small = lines["first"], lines["pandas"], lines["small"]
    speed = ratio(first.rows_per_s, pandas.rows_per_s)
    if speed:
        memory = ratio(float(first.peak_rss_bytes or 0), float(pandas.peak_rss_bytes or 0) or None)
        notes.append(
            f"advocacy/pandas: {speed} the rows per second, {memory} the peak memory "
            "(first import against plain read_csv + to_sql)."
        )
    else:
        notes.append("advocacy/pandas: not available, a line failed.")
    if first.timed and small.timed:
        notes.append(
            f"Memory against file size: {small.rows:,} rows peaked at "
            f"{megabytes(small.peak_rss_bytes)} MB, {first.rows:,} rows at "
            f"{megabytes(first.peak_rss_bytes)} MB "
            f"({ratio(float(first.peak_rss_bytes or 0), float(small.peak_rss_bytes or 0))} "
            f"for {first.rows / max(small.rows, 1):.0f}× the rows)."
        )
    return notes


def markdown_section(
    facts: dict[str, str], inputs: str, lines: Sequence[Line], notes: Sequence[str], rows: int
) -> str:
    method = (
        "Each line is its own fresh process on a fresh SQLite file (the re-import reuses the "
        "first import's file). Wall time is `time.perf_counter` around the process, interpreter "
        "start-up and imports included; `advocacy db upgrade` runs before and is not timed. "
        "Peak RSS is the child's `ru_maxrss` from `os.wait4` (its own high-water mark), or the "
        "summed RSS of its process tree sampled every 0.1 s by psutil when that is larger."
    )
    peers = (
        "The pandas peer is `pd.read_csv(csv)` then `df.to_sql('reviews', sqlite3_connection, "
        "index=False)` with default options; the chunked line streams `read_csv(chunksize=100_000)`"
        " into `to_sql(if_exists='append')`. pandas validates nothing (no required columns, "
        "rating range, dates or duplicate ids), keeps no source/original-id identity and cannot "
        "upsert: running it twice fails or duplicates every row. advocacy validates every row, "
        "upserts by (platform, review_id) and reports rejected rows."
    )
    cache = (
        "The CSVs are read once before the first line so that they sit in the OS page cache for "
        "every line alike: the numbers measure parsing, validating and writing, not reading the "
        "disk."
    )
    parts = [
        f"## Import benchmark: {rows:,} reviews into SQLite ({facts['date']})",
        "",
        f"- **Machine:** {facts['cpu']}, {facts['cores']} cores, {facts['memory']} RAM, "
        f"{facts['os']}; work directory on {facts['filesystem']}",
        f"- **Software:** Python {facts['python']}, advocacy {facts['advocacy']}, pandas "
        f"{facts['pandas']}, polars {facts['polars']}, SQLAlchemy {facts['sqlalchemy']}, "
        f"SQLite {facts['sqlite']}",
        f"- **Input:** {inputs}",
        f"- **Command:** `{invocation()}`",
        "",
        markdown_table(lines),
        "",
        "Notes:",
        "",
        *[f"- {note}" for note in notes],
        f"- {method}",
        f"- {peers}",
        f"- {cache}",
    ]
    return "\n".join(parts)


def describe_file(path: Path, rows: int, seconds: float | None) -> str:
    made = "reused from cache" if seconds is None else f"generated in {seconds:.1f} s"
    return f"`{path.name}`, {path.stat().st_size / 1e6:,.1f} MB, {rows:,} rows ({made})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time importing a canonical reviews CSV: advocacy against pandas."
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the file")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help=f"generated files and databases (default {DEFAULT_WORKDIR})",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="also print a section for docs/benchmarks.md"
    )
    args = parser.parse_args(argv)
    if args.rows < 10:
        parser.error("--rows must be at least 10")
    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    small_rows = args.rows // 10

    print(f"Input files in {workdir}", file=sys.stderr)
    big_csv, big_seconds = ensure_reviews_csv(workdir, args.rows, args.seed)
    small_csv, small_seconds = ensure_reviews_csv(workdir, small_rows, args.seed)
    inputs = (
        f"{describe_file(big_csv, args.rows, big_seconds)} and, for the memory check, "
        f"{describe_file(small_csv, small_rows, small_seconds)}; canonical `reviews` columns "
        f"plus `{COLUMNS[-1]}`, written by `bench/generate_reviews.py` (seed {args.seed})"
    )
    print(f"- {inputs}", file=sys.stderr)
    for path in (big_csv, small_csv):
        warm_page_cache(path)

    db = workdir / "advocacy.sqlite"
    first = advocacy_import("advocacy import", big_csv, db, args.rows, "imported", fresh=True)
    if first.status == "failed":
        again = Line("advocacy re-import (upsert)", args.rows, "skipped", "first import failed")
    else:
        again = advocacy_import(
            "advocacy re-import (upsert)", big_csv, db, args.rows, "unchanged", fresh=False
        )
    small = advocacy_import(
        "advocacy import, 1/10 rows",
        small_csv,
        workdir / "advocacy-small.sqlite",
        small_rows,
        "imported",
        fresh=True,
    )
    pandas = pandas_peer(
        "pandas read_csv + to_sql", PANDAS_PLAIN, big_csv, workdir / "pandas.sqlite", args.rows
    )
    chunked = pandas_peer(
        "pandas chunked 100k + to_sql",
        PANDAS_CHUNKED,
        big_csv,
        workdir / "pandas-chunked.sqlite",
        args.rows,
    )
    lines = [first, again, small, pandas, chunked]
    notes = comparison({"first": first, "pandas": pandas, "small": small})
    facts = environment_facts(workdir)

    print()
    print(
        f"Import benchmark, {args.rows:,} reviews — {facts['date']}, {facts['cpu']}, "
        f"{facts['cores']} cores, {facts['memory']}, workdir on {facts['filesystem']}"
    )
    print(
        f"Python {facts['python']}, advocacy {facts['advocacy']}, pandas {facts['pandas']}, "
        f"polars {facts['polars']}, SQLite {facts['sqlite']}"
    )
    print(f"Command: {invocation()}")
    print()
    print(text_table(lines))
    print()
    for note in notes:
        print(note)
    if args.markdown:
        print()
        print(markdown_section(facts, inputs, lines, notes, args.rows))
    return 0 if all(line.status == "ok" for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
