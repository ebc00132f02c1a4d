"""The command line as scripts use it: exit codes, --db, --json, messages instead of tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advocacy.cli import main
from tests import factories


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``advocacy ARGS`` in-process; its exit code, standard output and standard error."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(database_url: str) -> str:
    return database_url


def test_help_explains_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")

    assert code == 0
    for command in (
        "db",
        "import",
        "customers",
        "feedback",
        "demo",
        "tour",
        "nps",
        "churn",
        "clv",
        "segments",
    ):
        assert f"  {command} " in out


def test_the_console_script_is_installed() -> None:
    advocacy = Path(sys.executable).with_name("advocacy")
    result = subprocess.run(
        [str(advocacy), "--version"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0
    assert result.stdout.startswith("advocacy, version")


def test_import_prints_a_json_summary(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    path = factories.write_csv(tmp_path / "c.csv", factories.customers())

    code, out, _ = run(capsys, "--db", db, "import", "customers", str(path), "--json")

    assert code == 0
    summary = json.loads(out)
    assert {k: summary[k] for k in ("imported", "updated", "unchanged", "rejected")} == {
        "imported": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }


def test_reimporting_says_nothing_changed(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    path = factories.write_csv(tmp_path / "c.csv", factories.customers())
    run(capsys, "import", "customers", str(path), "--db", db)

    code, out, _ = run(capsys, "import", "customers", str(path), "--db", db)

    assert code == 0
    assert out.startswith(
        "Nothing changed: all 3 customers rows in c.csv are already in the catalogue"
    )


def test_a_refused_import_exits_non_zero_and_lists_the_bad_rows(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    path = tmp_path / "nps.csv"
    path.write_text("response_id,score,responded_at\nN1,11,2025-01-01\nN2,5,31/02/2025\n")

    code, out, err = run(capsys, "--db", db, "import", "nps", str(path))

    assert code == 65
    assert out == ""
    assert "2 of 2 rows are bad, so nothing was imported" in err
    assert "  line 2: score: '11' is outside 0–10" in err
    assert "  line 3: responded_at: '31/02/2025' is not an ISO 8601 date or time" in err
    assert "Traceback" not in err


def test_skip_bad_rows_reports_counts_in_json(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    path = tmp_path / "nps.csv"
    path.write_text("response_id,score,responded_at\nN1,11,2025-01-01\nN2,5,2025-01-01\n")

    code, out, _ = run(
        capsys,
        "--db",
        db,
        "import",
        "nps",
        str(path),
        "--skip-bad-rows",
        "--rejects",
        "bad.csv",
        "--json",
    )

    summary = json.loads(out)
    assert code == 0
    assert (summary["imported"], summary["rejected"], summary["rejects_file"]) == (1, 1, "bad.csv")
    assert Path("bad.csv").read_text().startswith("_line,_errors,response_id")


def test_a_missing_file_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "import", "reviews", "nowhere.csv")

    assert code == 65
    assert err.strip() == "Error: nowhere.csv: no such file"


def test_an_unmigrated_database_says_how_to_fix_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = factories.write_csv(tmp_path / "c.csv", factories.customers())

    code, _, err = run(
        capsys, "--db", f"sqlite:///{tmp_path / 'new.sqlite'}", "import", "customers", str(path)
    )

    assert code == 75
    assert "run `advocacy db upgrade`" in err


def test_an_unsupported_database_url_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "mysql://x@localhost/db", "db", "status")

    assert code == 78
    assert "unsupported database 'mysql'" in err


def test_db_upgrade_is_harmless_to_repeat(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"

    first = run(capsys, "db", "upgrade", "--db", url, "--json")
    second = run(capsys, "db", "upgrade", "--db", url, "--json")

    assert json.loads(first[1])["changed"] is True
    assert json.loads(second[1]) == {"from": "0008", "to": "0008", "changed": False}


def test_the_database_url_comes_from_the_environment_by_default(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_DATABASE_URL", sqlite_url)

    code, out, _ = run(capsys, "db", "status", "--json")

    assert code == 0
    assert json.loads(out)["up_to_date"] is True


def test_the_default_database_is_a_sqlite_file_in_the_working_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, _ = run(capsys, "db", "upgrade")

    assert code == 0
    assert (tmp_path / "advocacy.sqlite").exists()


def test_customers_show_gives_profile_orders_and_feedback(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    run(
        capsys,
        "--db",
        db,
        "import",
        "customers",
        str(factories.write_csv(tmp_path / "c.csv", factories.customers())),
    )
    run(
        capsys,
        "--db",
        db,
        "import",
        "orders",
        str(factories.write_csv(tmp_path / "o.csv", factories.orders())),
    )
    run(
        capsys,
        "--db",
        db,
        "import",
        "nps",
        str(factories.write_csv(tmp_path / "n.csv", factories.nps_answers())),
    )

    code, out, _ = run(capsys, "--db", db, "customers", "show", "C1")
    assert code == 0
    assert "Ana López  [C1]" in out
    assert "5 days late" in out
    assert "El pedido llegó tarde." in out

    code, out, _ = run(capsys, "--db", db, "customers", "show", "C1", "--json")
    profile = json.loads(out)
    assert profile["orders"][0]["order_id"] == "O1"
    assert profile["summary"]["late_deliveries"] == 1


def test_an_unknown_customer_is_not_found(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "customers", "show", "C404")

    assert code == 66
    assert err.strip() == "Error: no customer with id 'C404'"


def test_feedback_list_filters_and_prints_json(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    run(
        capsys,
        "--db",
        db,
        "import",
        "nps",
        str(factories.write_csv(tmp_path / "n.csv", factories.nps_answers())),
    )
    run(
        capsys,
        "--db",
        db,
        "import",
        "reviews",
        str(factories.write_csv(tmp_path / "r.csv", factories.reviews())),
    )

    code, out, _ = run(
        capsys, "--db", db, "feedback", "list", "--kind", "nps", "--max-rating", "6", "--json"
    )

    document = json.loads(out)
    assert code == 0
    assert [item["item_id"] for item in document["items"]] == ["N1"]
    assert document["items"][0]["occurred_at"] == "2025-03-10T00:00:00"


def test_feedback_list_refuses_a_bad_date(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "feedback", "list", "--since", "31/02/2025")

    assert code == 2
    assert "'31/02/2025' is not an ISO 8601 date" in err


def test_feedback_list_refuses_an_unknown_kind(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "feedback", "list", "--kind", "letters")

    assert code == 65
    assert "unknown feedback kind 'letters'" in err


def test_the_command_runs_as_a_real_process_with_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "ADVOCACY_DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}"}
    advocacy = str(Path(sys.executable).with_name("advocacy"))
    subprocess.run([advocacy, "db", "upgrade"], env=env, check=True, capture_output=True)
    path = factories.write_csv(tmp_path / "c.csv", factories.customers())

    result = subprocess.run(
        [advocacy, "import", "customers", str(path), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["imported"] == 3


def test_reading_an_unmigrated_database_says_how_to_fix_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}", "feedback", "list")

    assert code == 75
    assert "run `advocacy db upgrade`" in err


def test_an_unreachable_database_server_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "--db", "postgresql://nobody@127.0.0.1:1/none", "feedback", "list")

    assert code == 75
    assert err.startswith("Error: cannot open the database:")
    assert "Traceback" not in err


def test_a_file_that_is_not_a_database_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("these are my notes, not a database" * 100)

    code, _, err = run(capsys, "--db", f"sqlite:///{bogus}", "db", "upgrade")

    assert code == 75
    assert "Traceback" not in err
