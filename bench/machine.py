"""What every benchmark reports about where and how it ran: machine, versions, command."""

from __future__ import annotations

import importlib.metadata
import platform
import shlex
import sys
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


def megabytes(value: int | None) -> str:
    return "—" if value is None else f"{value / 1e6:,.0f}"
