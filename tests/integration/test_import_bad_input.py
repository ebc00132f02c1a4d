"""Bad input gets a clear reason and loses nothing: all in or all out, or the rejects file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from advocacy import Catalogue, ImportRejected, InvalidFile
from advocacy.store.queries import import_history
from tests import factories

NPS_HEADER = "response_id,customer_id,score,comment,responded_at,channel\n"


def _reasons(excinfo: pytest.ExceptionInfo[ImportRejected]) -> list[str]:
    return [str(error) for error in excinfo.value.errors]


def _nps_file(tmp_path: Path, body: str, name: str = "nps.csv") -> Path:
    path = tmp_path / name
    path.write_text(NPS_HEADER + body, encoding="utf-8")
    return path


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_line(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    path = _nps_file(tmp_path, "N1,,9,great,2025-01-02,email\nN2,,11,too high,2025-01-02,email\n")

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("nps", path)

    assert _reasons(excinfo) == ["line 3: score: '11' is outside 0–10"]
    assert catalogue.counts().get("nps", 0) == 0
    attempt = import_history(catalogue.engine).iloc[0]
    assert (attempt["rows_read"], attempt["imported"], attempt["rejected"]) == (2, 0, 1)


@pytest.mark.parametrize(
    ("score", "reason"),
    [
        ("11", "score: '11' is outside 0–10"),
        ("-1", "score: '-1' is outside 0–10"),
        ("nine", "score: 'nine' is not a whole number"),
        ("7.5", "score: '7.5' is not a whole number"),
        ("", "score: is required"),
    ],
)
def test_nps_scores_outside_zero_to_ten_or_not_whole_numbers_are_refused(
    sqlite_url: str, tmp_path: Path, score: str, reason: str
) -> None:
    from advocacy import open_catalogue

    path = _nps_file(tmp_path, f"N1,,{score},x,2025-01-02,email\n")

    with pytest.raises(ImportRejected) as excinfo:
        open_catalogue(sqlite_url).import_file("nps", path)

    assert _reasons(excinfo) == [f"line 2: {reason}"]


@pytest.mark.parametrize(
    "value", ["31/02/2025", "2025-02-31", "2025-13-01", "yesterday", "2025-01-02T25:00:00"]
)
def test_impossible_or_non_iso_dates_are_refused(
    sqlite_url: str, tmp_path: Path, value: str
) -> None:
    from advocacy import open_catalogue

    path = _nps_file(tmp_path, f"N1,,9,x,{value},email\n")

    with pytest.raises(ImportRejected) as excinfo:
        open_catalogue(sqlite_url).import_file("nps", path)

    assert _reasons(excinfo) == [f"line 2: responded_at: '{value}' is not an ISO 8601 date or time"]


def test_duplicate_ids_inside_one_file_are_refused_after_the_first(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    path = _nps_file(
        tmp_path, "N1,,9,a,2025-01-02,email\nN2,,8,b,2025-01-02,email\nN1,,3,c,2025-01-03,web\n"
    )

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("nps", path)

    assert _reasons(excinfo) == ["line 4: response_id: duplicate id 'N1': line 2 has it already"]


def test_line_numbers_count_the_lines_of_quoted_multi_line_texts(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    path = _nps_file(
        tmp_path, 'N1,,9,"one\ntwo\nthree",2025-01-02,email\n\nN2,,12,x,2025-01-02,email\n'
    )

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("nps", path)

    assert _reasons(excinfo) == ["line 6: score: '12' is outside 0–10"]


def test_skip_bad_rows_imports_the_good_rows_and_writes_the_bad_ones_with_reasons(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    path = _nps_file(
        tmp_path,
        "N1,,9,good,2025-01-02,email\n"
        "N2,,eleven,bad,2025-01-02,fax\n"
        "N3,,0,good too,2025-01-02,sms\n",
    )
    rejects = tmp_path / "out" / "rejects.csv"
    rejects.parent.mkdir()

    report = catalogue.import_file("nps", path, skip_bad_rows=True, rejects_path=rejects)

    assert (report.imported, report.rejected) == (2, 1)
    with rejects.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    assert rows[0]["_line"] == "3"
    assert rows[0]["score"] == "eleven"
    assert rows[0]["channel"] == "fax"
    assert "score: 'eleven' is not a whole number" in rows[0]["_errors"]
    assert "channel: 'fax' is not one of" in rows[0]["_errors"]


def test_skip_bad_rows_writes_a_default_rejects_file_in_the_working_directory(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    path = _nps_file(
        tmp_path, "N1,,9,good,2025-01-02,email\nN1,,5,dup,2025-01-02,email\n", "answers.csv"
    )

    report = catalogue.import_file("nps", path, skip_bad_rows=True)

    assert report.rejects_file == str(Path.cwd() / "answers.rejects.csv")
    assert "duplicate id 'N1'" in Path(report.rejects_file).read_text(encoding="utf-8")


def test_orders_of_unknown_customers_are_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    path = factories.write_csv(tmp_path / "orders.csv", factories.orders())

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("orders", path)

    assert _reasons(excinfo) == [
        "line 2: customer_id: no customer with id 'C1': import the customers first",
        "line 3: customer_id: no customer with id 'C2': import the customers first",
    ]


def test_a_byte_order_mark_is_ignored(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (NPS_HEADER + "N1,,9,ok,2025-01-02,email\n").encode())

    assert catalogue.import_file("nps", path).imported == 1


def test_text_that_is_not_utf8_is_refused_row_by_row(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (NPS_HEADER + "N1,,9,ok,2025-01-02,email\n").encode()
        + "N2,,9,café,2025-01-02,email\n".encode("latin-1")
    )

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("nps", path)

    assert _reasons(excinfo) == ["line 3: comment: is not valid UTF-8 text: save the file as UTF-8"]


def test_a_utf16_file_is_refused_whole_with_the_fix(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_text(NPS_HEADER, encoding="utf-16")

    with pytest.raises(InvalidFile, match="UTF-16; save it as UTF-8"):
        catalogue.import_file("nps", path)


def test_html_and_script_are_kept_as_text_never_interpreted(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    hostile = (
        "<img src=x onerror=alert(1)><script>document.cookie</script>'; DROP TABLE customers; --"
    )
    path = factories.write_csv(
        tmp_path / "r.csv",
        [
            {
                "review_id": "R1",
                "platform": "google",
                "rating": 1,
                "text": hostile,
                "posted_at": "2025-01-01",
            }
        ],
    )

    catalogue.import_file("reviews", path)

    assert catalogue.feedback().iloc[0]["text"] == hostile
    assert catalogue.counts()["review"] == 1


def test_a_javascript_url_is_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    path = factories.write_csv(
        tmp_path / "r.csv",
        [
            {
                "review_id": "R1",
                "platform": "google",
                "rating": 1,
                "posted_at": "2025-01-01",
                "url": "javascript:alert(1)",
            }
        ],
    )

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("reviews", path)

    assert _reasons(excinfo) == ["line 2: url: 'javascript:alert(1)' is not an http(s) URL"]


def test_huge_fields_are_refused_with_their_length(catalogue: Catalogue, tmp_path: Path) -> None:
    path = factories.write_csv(
        tmp_path / "r.csv",
        [
            {
                "review_id": "R1",
                "platform": "google",
                "rating": 1,
                "text": "a" * 2_000_000,
                "posted_at": "2025-01-01",
            }
        ],
    )

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("reviews", path)

    assert _reasons(excinfo) == ["line 2: text: is 2000000 characters long; the most is 50,000"]


def test_a_rating_above_its_scale_is_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    path = factories.write_csv(
        tmp_path / "r.csv",
        [
            {
                "review_id": "R1",
                "platform": "google",
                "rating": 6,
                "rating_scale": 5,
                "posted_at": "2025-01-01",
            }
        ],
    )

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("reviews", path)

    assert _reasons(excinfo) == ["line 2: rating: 6.0 is above the rating scale of 5.0"]


def test_nul_characters_and_control_characters_in_ids_are_refused(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    path = _nps_file(tmp_path, "N\x01,,9,ok,2025-01-02,email\nN2,,9,o\x00k,2025-01-02,email\n")

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("nps", path)

    assert _reasons(excinfo) == [
        "line 2: response_id: contains control characters",
        "line 3: comment: contains a NUL character",
    ]


def test_cross_column_dates_must_be_in_order(catalogue: Catalogue, tmp_path: Path) -> None:
    rows = factories.customers(1)
    rows[0]["churned_at"] = "2020-01-01"

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("customers", factories.write_csv(tmp_path / "c.csv", rows))

    assert _reasons(excinfo) == ["line 2: churned_at: is before acquired_at"]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("country", "Spain", "'Spain' is not an ISO 3166 alpha-2 country code"),
        ("locale", "klingon", "'klingon' is not a locale such as es-ES"),
        ("email", "not-an-address", "'not-an-address' is not an e-mail address"),
        ("acquisition_cost", "-5", "must be 0 or more"),
    ],
)
def test_customer_fields_are_checked_against_their_standards(
    sqlite_url: str, tmp_path: Path, column: str, value: str, reason: str
) -> None:
    from advocacy import open_catalogue

    rows = factories.customers(1)
    rows[0][column] = value

    with pytest.raises(ImportRejected) as excinfo:
        open_catalogue(sqlite_url).import_file(
            "customers", factories.write_csv(tmp_path / "c.csv", rows)
        )

    assert _reasons(excinfo) == [f"line 2: {column}: {reason}"]


def test_decimal_commas_are_read_as_numbers(catalogue: Catalogue, tmp_path: Path) -> None:
    rows = factories.customers(1)
    rows[0]["acquisition_cost"] = "1234,5"

    catalogue.import_file("customers", factories.write_csv(tmp_path / "c.csv", rows))

    assert catalogue.customers().iloc[0]["acquisition_cost"] == 1234.5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"score,comment\n9,x\n", "missing required columns response_id, responded_at for nps"),
        (b"response_id,score,score,responded_at\n", "the header names column 'score' twice"),
    ],
)
def test_files_that_cannot_be_used_at_all_get_one_clear_message(
    catalogue: Catalogue, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "nps.csv"
    path.write_bytes(content)

    with pytest.raises(InvalidFile, match=message):
        catalogue.import_file("nps", path)


def test_an_unknown_file_type_is_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "nps.txt"
    path.write_text("x")

    with pytest.raises(InvalidFile, match=r"unknown file type '\.txt'"):
        catalogue.import_file("nps", path)


def test_a_header_only_file_imports_nothing_without_error(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    report = catalogue.import_file("nps", _nps_file(tmp_path, ""))

    assert (report.rows, report.imported) == (0, 0)


def test_a_row_with_too_many_fields_is_named_by_its_line(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    path = _nps_file(tmp_path, "N1,,9,ok,2025-01-02,email\nN2,,9,a,b,2025-01-02,email\n")

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("nps", path)

    assert _reasons(excinfo) == ["line 3: expected 6 fields, found 7"]


def test_an_unclosed_quote_refuses_the_file_at_its_line(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    path = _nps_file(tmp_path, 'N1,,9,ok,2025-01-02,email\nN2,,9,"never closed,2025-01-02,email\n')

    with pytest.raises(InvalidFile, match="line 3: the CSV structure is broken"):
        catalogue.import_file("nps", path)


def test_bad_json_lines_are_refused_by_line_and_kept_raw_in_the_rejects_file(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    good = {"response_id": "N1", "score": 9, "responded_at": "2025-01-02"}
    path = tmp_path / "nps.jsonl"
    path.write_text(json.dumps(good) + "\n{not json\n[1, 2]\n", encoding="utf-8")

    with pytest.raises(ImportRejected) as excinfo:
        catalogue.import_file("nps", path)
    assert [str(e).split(" (")[0] for e in excinfo.value.errors] == [
        "line 2: not valid JSON",
        "line 3: not a JSON object",
    ]

    report = catalogue.import_file("nps", path, skip_bad_rows=True)
    rejected = [
        json.loads(line) for line in Path(report.rejects_file or "").read_text().splitlines()
    ]
    assert [r["_raw"] for r in rejected] == ["{not json", "[1, 2]"]
    assert report.imported == 1


def test_a_corrupt_excel_file_is_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "nps.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")

    with pytest.raises(InvalidFile, match="not a readable Excel"):
        catalogue.import_file("nps", path)


def test_a_corrupt_parquet_file_is_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "nps.parquet"
    path.write_bytes(b"PAR1 nonsense")

    with pytest.raises(InvalidFile, match="not a readable Parquet"):
        catalogue.import_file("nps", path)


def test_excel_numbers_and_dates_are_read_as_written(catalogue: Catalogue, tmp_path: Path) -> None:
    import datetime as dt

    rows = [{"response_id": 1001, "score": 9.0, "responded_at": dt.datetime(2025, 1, 2, 3, 4)}]
    catalogue.import_file("nps", factories.write_xlsx(tmp_path / "nps.xlsx", rows))

    item = catalogue.feedback().iloc[0]
    assert item["item_id"] == "1001"
    assert item["occurred_at"] == dt.datetime(2025, 1, 2, 3, 4)
