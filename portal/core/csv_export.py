"""Every CSV file Hearth makes: UTF-8 with a byte-order mark (so Excel shows Zoë and £, not ZoÃ« and Â£), a header
row, CRLF line ends, and cells a spreadsheet would run as a formula made harmless."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from flask import Response

BOM = "\ufeff"
# OWASP's list: a cell starting with one of these is run as a formula (or a DDE command) by Excel, LibreOffice and
# Google Sheets, and they skip leading spaces first. Line feed joins them: some importers treat it like CR.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # a plain number, negative amounts included, is a value, not a formula


def cell(value: object) -> str:
    """The text of one cell: None is empty; a formula-looking cell gets a leading apostrophe, which spreadsheets
    show as text and do not run."""
    text = "" if value is None else str(value)
    if _NUMBER.fullmatch(text):
        return text
    if text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file as text, starting with the byte-order mark; every cell passes through `cell`."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def download(text: str, filename: str) -> Response:
    """A response that makes the browser save `text` (from to_csv) as `filename` (ASCII, no quotes); it holds
    people's names and money, so no shared cache keeps it."""
    return Response(
        text.encode("utf-8"),
        mimetype="text/csv",  # sent as text/csv; charset=utf-8
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


def read_rows(text: str) -> list[list[str]]:
    """The rows of a CSV file people send in (an import), as lists of strings; a leading byte-order mark is
    dropped. Raises csv.Error for text the csv module cannot read."""
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


def read_table(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV file someone made (a spreadsheet saved as CSV), read: its header and its rows as dicts keyed by the
    header, the byte-order mark dropped. Cells are returned as typed; callers check them."""
    reader = csv.DictReader(io.StringIO(text.lstrip(BOM)))
    header = list(reader.fieldnames or [])
    return header, list(reader)
