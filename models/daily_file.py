"""Reading a force's daily file (CSV or Excel .xlsx) into a header and numbered rows.

Pure: bytes in, cells out; no database. Rows are numbered as a spreadsheet shows them (the
header is row 1, the first data row is row 2), so that a bad row can be found in Excel. Wholly
empty rows are skipped but keep their numbers. Cell values are kept as read: text from CSV,
text, numbers, booleans and dates from Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

Cell = str | int | float | bool | datetime | date | time | None
FileKind = Literal["csv", "xlsx"]
# 50 MiB: a day's file from a large force is a few MiB.
MAX_FILE_BYTES = 50 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class DailyFileError(Exception):
    """The file cannot be read as a table at all (not a row problem); the message names no
    cell value, only what is wrong."""


@dataclass(frozen=True)
class Row:
    number: int
    cells: tuple[Cell, ...]

    def value(self, index: int) -> Cell:
        return self.cells[index] if index < len(self.cells) else None


@dataclass(frozen=True)
class Table:
    kind: FileKind
    header: tuple[str, ...]
    rows: tuple[Row, ...]


def kind_of(data: bytes, filename: str = "") -> FileKind:
    """`xlsx` for a zip container (or an .xlsx name), else `csv`."""
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return "csv"


def _empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def unique_header(names: Sequence[Cell]) -> tuple[str, ...]:
    """Header cells as text; a blank one is `Column N`, a repeated one gains ` (2)`, ` (3)`."""
    seen: dict[str, int] = {}
    header = []
    for index, name in enumerate(names, start=1):
        text = "" if name is None else str(name).strip()
        text = text or f"Column {index}"
        count = seen.get(text.casefold(), 0) + 1
        seen[text.casefold()] = count
        header.append(text if count == 1 else f"{text} ({count})")
    return tuple(header)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DailyFileError("the file is not text in UTF-8 or Windows-1252")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise DailyFileError("the file holds NUL characters: it is not a CSV file")
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:8192]))
    try:
        records = list(reader)
    except csv.Error as error:
        raise DailyFileError(f"the CSV cannot be read (line {reader.line_num})") from error
    if not records or all(_empty(c) for c in records[0]):
        raise DailyFileError("the file has no header row")
    header = unique_header(records[0])
    rows = tuple(
        Row(number, tuple(cells))
        for number, cells in enumerate(records[1:], start=2)
        if not all(_empty(c) for c in cells)
    )
    return Table("csv", header, rows)


def read_xlsx(data: bytes, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise DailyFileError("the file is not a readable Excel workbook (.xlsx)") from error
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DailyFileError("the workbook has no sheet of the mapping's name")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        found: list[Row] = []
        header: tuple[str, ...] | None = None
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = tuple(values)
            if header is None:
                if all(_empty(c) for c in cells):
                    raise DailyFileError("the first row of the sheet is not a header")
                header = unique_header(cells)
            elif not all(_empty(c) for c in cells):
                found.append(Row(number, cells))
    finally:
        book.close()
    if header is None:
        raise DailyFileError("the sheet is empty")
    return Table("xlsx", header, tuple(found))


def read_table(data: bytes, *, filename: str = "", sheet: str | None = None) -> Table:
    """The file as a table (CSV or xlsx, told apart by content, then name)."""
    if len(data) > MAX_FILE_BYTES:
        raise DailyFileError("the file is larger than 50 MiB")
    if not data.strip():
        raise DailyFileError("the file is empty")
    if kind_of(data, filename) == "xlsx":
        return read_xlsx(data, sheet)
    return read_csv(data)


def sample_of(table: Table, rows: int = 5) -> list[list[str]]:
    """The first rows as display text (for the mapping page)."""
    return [
        ["" if table_cell is None else str(table_cell) for table_cell in row.cells]
        + [""] * (len(table.header) - len(row.cells))
        for row in table.rows[:rows]
    ]
