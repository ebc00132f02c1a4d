"""The rejects file: every refused row as it was written, with its line and reasons."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

LINE_FIELD = "_line"
ERRORS_FIELD = "_errors"


class RejectsWriter:
    """Writes refused rows to CSV (or JSON Lines when the input was JSON Lines)."""

    def __init__(self, path: Path, header: list[str], *, as_jsonl: bool) -> None:
        self.path = path
        self.as_jsonl = as_jsonl
        self.fields = [LINE_FIELD, ERRORS_FIELD, *header, "_raw"]
        self.rows = 0
        self._handle: TextIO = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.DictWriter(self._handle, self.fields, extrasaction="ignore")
        if not as_jsonl:
            self._csv.writeheader()

    def write(self, line: int, reasons: Iterable[str], values: Mapping[str, Any]) -> None:
        record = {LINE_FIELD: line, ERRORS_FIELD: "; ".join(reasons)}
        record.update({key: value for key, value in values.items() if value is not None})
        if self.as_jsonl:
            self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            self._csv.writerow(record)
        self.rows += 1

    def close(self) -> None:
        self._handle.close()
