"""Properties of the importers over generated input: text survives, garbage never crashes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocacy import ImportRejected, InvalidFile, open_catalogue
from advocacy.store.schema import upgrade
from tests import factories

# Any text a person can type, including quotes, commas, newlines, markup and emoji; no NUL, no
# surrogates, and not only blank (a blank comment is stored as empty).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\ufffd"),
    min_size=1,
    max_size=300,
).filter(lambda value: value.strip() == value and value.strip() != "")


def _catalogue(folder: Path):  # type: ignore[no-untyped-def]
    catalogue = open_catalogue(f"sqlite:///{folder / 'p.sqlite'}")
    upgrade(catalogue.engine)
    return catalogue


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comments=st.lists(TEXT, min_size=1, max_size=5), extension=st.sampled_from(["csv", "jsonl"]))
def test_any_comment_text_round_trips_exactly(comments: list[str], extension: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = [
            {"response_id": f"N{i}", "score": i % 11, "comment": text, "responded_at": "2025-01-02"}
            for i, text in enumerate(comments)
        ]
        path = factories.write_rows(Path(folder) / f"nps.{extension}", rows)
        catalogue = _catalogue(Path(folder))

        catalogue.import_file("nps", path)

        stored = catalogue.feedback(kind="nps").set_index("item_id")["text"].to_dict()
        catalogue.close()
        assert stored == {f"N{i}": text for i, text in enumerate(comments)}


VALUE = st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.none())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(score=VALUE, responded_at=VALUE, channel=VALUE, language=VALUE)
def test_any_garbage_is_imported_or_refused_with_reasons_never_crashing(
    score: object, responded_at: object, channel: object, language: object
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        row = {
            "response_id": "N1",
            "score": score,
            "responded_at": responded_at,
            "channel": channel,
            "language": language,
        }
        path = factories.write_jsonl(Path(folder) / "nps.jsonl", [row])
        catalogue = _catalogue(Path(folder))
        try:
            report = catalogue.import_file("nps", path)
            assert report.imported == 1
        except ImportRejected as rejected:
            assert rejected.errors
            assert all(error.line == 1 for error in rejected.errors)
            assert catalogue.counts().get("nps", 0) == 0
        except InvalidFile:
            pass
        finally:
            catalogue.close()
