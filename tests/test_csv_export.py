"""The one CSV helper: a byte-order mark so Excel reads UTF-8, and cells a spreadsheet would run made harmless."""

from __future__ import annotations

import codecs
import csv
import io

import pytest

from portal.core.csv_export import cell, download, to_csv


def test_the_file_starts_with_a_byte_order_mark_so_excel_reads_it_as_utf8(app):
    text = to_csv(["name", "note"], [["Zoë Wiśniewska", "£12.50 bus fare 🎉"]])
    with app.test_request_context():
        response = download(text, "payment-P-1.csv")
    body = response.get_data()
    assert body.startswith(codecs.BOM_UTF8)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="payment-P-1.csv"'
    assert "no-store" in response.headers["Cache-Control"]
    assert body.decode("utf-8-sig") == "name,note\r\nZoë Wiśniewska,£12.50 bus fare 🎉\r\n"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [{"name": "Zoë Wiśniewska", "note": "£12.50 bus fare 🎉"}]


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x")',
        "+44 7700 900123",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        " =1+1",
        "   @cmd",
        "\u00a0=1+1",
        " -1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(value):
    assert cell(value) == "'" + value
    (row,) = list(csv.reader(io.StringIO(to_csv(["x"], [[value]]).lstrip("\ufeff"))))[1:]
    assert row == ["'" + value]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-12.50", "-12.50"),  # a negative amount stays a number the finance system can read
        ("12.50", "12.50"),
        (-7, "-7"),
        (None, ""),
        ("Okafor household", "Okafor household"),
        ("Zoë = carer", "Zoë = carer"),
        ("a-b", "a-b"),
    ],
)
def test_ordinary_values_and_plain_numbers_are_left_alone(value, expected):
    assert cell(value) == expected
