"""``advocacy nps`` on the demo company, as a person and as a script would use it."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import run


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from advocacy.cli import main

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    main(["--db", url, "demo", "--customers", "300", "--seed", "4", "--today", "2026-06-30"])
    return url


def test_nps_json_has_the_documented_keys(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    code, out, _ = run(capsys, "--db", demo_url, "nps", "--json")

    report = json.loads(out)
    assert code == 0
    for key in (
        "nps",
        "n",
        "promoters",
        "passives",
        "detractors",
        "margin_of_error",
        "ci_low",
        "ci_high",
        "groups",
    ):
        assert key in report
    assert -100 < report["ci_low"] < report["nps"] < report["ci_high"] < 100
    assert report["n"] == report["promoters"] + report["passives"] + report["detractors"]


def test_nps_by_quarter_compares_each_quarter_with_the_previous(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    code, out, _ = run(capsys, "--db", demo_url, "nps", "--by", "quarter", "--json")

    groups = json.loads(out)["groups"]
    assert code == 0
    assert len(groups) >= 6
    assert groups[0]["change"] is None
    for group in groups[1:]:
        assert {"key", "change", "p_value", "significant"} <= set(group)
        assert 0 <= group["p_value"] <= 1


def test_nps_reads_as_a_table_for_people(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        demo_url,
        "nps",
        "--by",
        "country",
        "--from",
        "2025-01-01",
        "--to",
        "2026-06-30",
    )

    assert code == 0
    assert out.startswith("NPS ")
    assert "country" in out
    assert "vs the rest" in out


def test_nps_refuses_an_unknown_breakdown(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    code, _, err = run(capsys, "--db", demo_url, "nps", "--by", "colour")

    assert code == 2
    assert "Invalid value for '--by'" in err
