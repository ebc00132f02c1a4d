"""What every benchmark reports: the machine, versions and command, and its tables."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.lower().startswith("model name"):
                return text.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def total_memory_bytes() -> int | None:
    try:
        for text in Path("/proc/meminfo").read_text().splitlines():
            if text.startswith("MemTotal:"):
                return int(text.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def invocation() -> str:
    """The command line that ran the benchmark, with the interpreter relative to here."""
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(Path.cwd()))
    except ValueError:
        shown = str(python)
    return shlex.join([shown, *sys.argv])


def machine_facts() -> str:
    """One line: the CPU, its cores, the memory and the Python that ran the benchmark."""
    memory = total_memory_bytes()
    shown = "unknown" if memory is None else f"{memory / 2**30:.0f} GiB"
    return (
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, {shown} memory; "
        f"Python {platform.python_version()}."
    )


def megabytes(value: int | None) -> str:
    return "—" if value is None else f"{value / 1e6:,.0f}"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned for a terminal: the first left, numbers right, the last as it comes."""
    table = [list(headers), *(list(row) for row in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers) - 1)]
    rendered = []
    for index, row in enumerate(table):
        cells = [
            cell.ljust(width) if col == 0 else cell.rjust(width)
            for col, (cell, width) in enumerate(zip(row, widths, strict=False))
        ]
        rendered.append("  ".join([*cells, row[-1]]))
        if index == 0:
            rendered.append("  ".join("-" * width for width in [*widths, len(headers[-1])]))
    return "\n".join(rendered)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table: the first and last columns left-aligned, the numbers between right."""
    header = "| " + " | ".join(headers) + " |"
    align = "|---|" + "---:|" * (len(headers) - 2) + "---|"
    body = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join([header, align, *body])


@dataclass(frozen=True)
class ChildRun:
    """How a measured child process ended: its exit code, output and own peak memory."""

    code: int
    stdout: str
    stderr: str
    max_rss_bytes: int
    timed_out: bool

    def failure_note(self) -> str:
        """``exit N: <its last line on standard error>``."""
        tail = [text for text in self.stderr.strip().splitlines() if text.strip()]
        return f"exit {self.code}: {tail[-1] if tail else 'no output on stderr'}"


def run_child(cmd: Sequence[str], *, timeout_s: float | None = None) -> ChildRun:
    """Run ``cmd`` in its own process group and wait for it (killing it past ``timeout_s``).

    The peak memory is the child's own ``ru_maxrss`` from ``os.wait4``, not the high-water mark
    of all children so far.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.1)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            code=os.waitstatus_to_exitcode(status),
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            max_rss_bytes=usage.ru_maxrss * 1024,
            timed_out=timed_out,
        )
