"""`advocacy analyze`, `advocacy drivers` and the inbox filters, as scripts and people use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import factories
from tests.e2e.test_cli import run

COMMENTS = [
    (1, "The courier lost my parcel again, I want my money back", "en"),
    (2, "Доставка опоздала на неделю, поддержка не отвечает", "ru"),
    (3, "<script>alert(1)</script> Pedido roto y entrega tarde", "es"),
    (10, "Great quality, friendly staff, fast delivery!", "en"),
    (9, "Calitate foarte bună, recomand", "ro"),
    (8, "", None),
]


@pytest.fixture
def answered(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> str:
    rows = [
        {
            "response_id": f"N{i}",
            "score": score,
            "comment": comment,
            "responded_at": f"2025-04-{i + 1:02d}",
            "language": language,
        }
        for i, (score, comment, language) in enumerate(COMMENTS)
    ]
    path = factories.write_csv(tmp_path / "nps.csv", rows)
    code, out, err = run(capsys, "--db", sqlite_url, "import", "nps", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["analysis"]["analysed"] == 5  # analysed as they land
    assert report["analysis"]["without_text"] == 1
    return sqlite_url


def test_imported_feedback_is_analysed_and_the_inbox_filters_on_it(
    capsys: pytest.CaptureFixture[str], answered: str
) -> None:
    code, out, _ = run(capsys, "--db", answered, "feedback", "list", "--sentiment", "negative",
                       "--theme", "delivery", "--json")  # fmt: skip

    assert code == 0
    items = json.loads(out)["items"]
    assert {item["item_id"] for item in items} >= {"N0", "N1", "N2"}
    assert all(item["sentiment"] == "negative" for item in items)
    spanish = next(item for item in items if item["item_id"] == "N2")
    assert spanish["text"].startswith("<script>")  # kept as text, never executed
    assert spanish["detected_language"] == "es"


def test_analyze_has_nothing_left_to_do_and_reanalyze_does_everything_again(
    capsys: pytest.CaptureFixture[str], answered: str
) -> None:
    _, first, _ = run(capsys, "--db", answered, "analyze")
    code, out, _ = run(capsys, "--db", answered, "analyze", "--reanalyze", "--json")

    assert "Nothing to analyse" in first
    assert code == 0
    summary = json.loads(out)
    assert summary["analysed"] == 5
    assert summary["mode"] == "fast"
    assert set(summary["languages"]) <= {"en", "es", "ru", "ro", "unknown"}


def test_drivers_rank_the_themes_of_the_detractors(
    capsys: pytest.CaptureFixture[str], answered: str
) -> None:
    code, out, _ = run(capsys, "--db", answered, "drivers", "--min-mentions", "1", "--json")
    _, text, _ = run(capsys, "--db", answered, "drivers", "--min-mentions", "1")

    assert code == 0
    report = json.loads(out)
    assert report["answers"] == 6
    assert report["drivers"][0]["theme"] == "delivery"
    assert "Key drivers of NPS" in text
    assert "Delivery" in text


def test_a_bad_mode_or_date_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "analyze", "--mode", "magic")
    assert code == 2
    assert "magic" in err
    code, _, err = run(capsys, "--db", sqlite_url, "analyze", "--since", "yesterday")
    assert code == 2


def test_an_import_can_leave_the_analysis_for_later(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    path = factories.write_csv(tmp_path / "nps.csv", factories.nps_answers())

    code, out, _ = run(capsys, "--db", sqlite_url, "import", "nps", str(path), "--no-analyze",
                       "--json")  # fmt: skip
    _, later, _ = run(capsys, "--db", sqlite_url, "analyze", "--json")

    assert code == 0
    assert json.loads(out)["analysis"] is None
    assert json.loads(later)["analysed"] == 2


def test_analyze_on_two_processes_stores_what_one_process_stores(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from sqlalchemy import create_engine, text

    rows = [
        {
            "response_id": f"N{i}",
            "score": score,
            "comment": f"{comment} (#{i})" if comment else "",
            "responded_at": f"2025-04-{i % 28 + 1:02d}",
            "language": language,
        }
        for i, (score, comment, language) in enumerate(COMMENTS * 100)
    ]  # 600 answers: three batches
    path = factories.write_csv(tmp_path / "nps.csv", rows)
    run(capsys, "--db", database_url, "import", "nps", str(path), "--no-analyze")
    advocacy = Path(sys.executable).with_name("advocacy")
    query = text("SELECT external_id, sentiment, sentiment_score, themes, detected_language, "
                 "urgent, redacted_text FROM feedback_items ORDER BY external_id")  # fmt: skip

    # Its own process, without pytest's threads: the analysis forks its two workers there.
    two = subprocess.run(
        [str(advocacy), "--db", database_url, "analyze", "--workers", "2", "--json"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    engine = create_engine(database_url)
    with engine.connect() as connection:
        by_two = connection.execute(query).all()
    code, out, _ = run(capsys, "--db", database_url, "analyze", "--reanalyze", "--workers", "1",
                       "--json")  # fmt: skip
    with engine.connect() as connection:
        by_one = connection.execute(query).all()
    engine.dispose()

    assert two.returncode == 0, two.stderr
    assert json.loads(two.stdout)["analysed"] == 500
    assert json.loads(two.stdout)["without_text"] == 100
    assert code == 0
    assert json.loads(out)["analysed"] == 500
    assert len(by_two) == 600
    assert by_two == by_one


def test_analyze_needs_at_least_one_worker(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "analyze", "--workers", "0")

    assert code == 2
    assert "--workers" in err


def test_a_transformer_from_a_folder_is_not_given_worker_processes(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "analyze", "--model-dir", str(tmp_path),
                       "--workers", "2")  # fmt: skip

    assert code == 65
    assert "runs in one process" in err


def test_text_train_says_which_languages_have_too_few_rated_comments(
    capsys: pytest.CaptureFixture[str], answered: str
) -> None:
    code, out, _ = run(capsys, "--db", answered, "text", "train", "--json")
    _, text, _ = run(capsys, "--db", answered, "text", "train")
    bad, _, _ = run(capsys, "--db", answered, "text", "train", "--min-per-class", "1")

    assert code == 0
    languages = {entry["language"]: entry for entry in json.loads(out)["languages"]}
    assert set(languages) == {"en", "es", "ru", "ro"}
    assert not any(entry["kept"] for entry in languages.values())
    assert "fewer than 50" in languages["en"]["reason"]
    assert "Company sentiment models" in text
    assert bad == 2


def test_analyze_scores_items_with_a_transformer_from_a_local_folder(
    capsys: pytest.CaptureFixture[str], answered: str, tmp_path: Path
) -> None:
    pytest.importorskip("torch")
    from tests.unit.test_text_transformer import save_checkpoint

    folder = tmp_path / "model"
    save_checkpoint(folder, {0: "LABEL_0", 1: "LABEL_1"})

    code, _, unmapped = run(capsys, "--db", answered, "analyze", "--reanalyze",
                            "--model-dir", str(folder))  # fmt: skip
    refused, _, fast = run(capsys, "--db", answered, "analyze", "--mode", "fast",
                           "--model-dir", str(folder))  # fmt: skip
    ok, out, err = run(capsys, "--db", answered, "analyze", "--reanalyze", "--json",
                       "--model-dir", str(folder),
                       "--model-labels", "LABEL_0=negative,LABEL_1=positive")  # fmt: skip

    assert code != 0
    assert "give a label mapping" in unmapped
    assert refused != 0
    assert "accurate mode only" in fast
    assert ok == 0, err
    summary = json.loads(out)
    assert summary["mode"] == "accurate"
    assert summary["analysed"] == 5
    assert set(summary["sentiments"]) <= {"negative", "positive"}  # the model has no neutral
