"""Reading uploaded tables (CSV or XLSX) for every import in the product.

Rows come back as ``Row(number, values)`` where ``number`` is the spreadsheet row number
(the header is row 1), so error messages point at the row a person sees in Excel.
Importers collect a :class:`RowError` per bad row and raise :class:`ImportRejected`; the
import then writes nothing.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Row:
    number: int
    values: dict


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self):
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportRejected(Exception):
    errors: list = field(default_factory=list)

    def __str__(self):
        return "\n".join(str(e) for e in self.errors)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(0, _("The file is neither UTF-8 nor GBK text."))])


def read_table(file, *, name: str | None = None, required: tuple[str, ...] = ()) -> list[Row]:
    """Read ``file`` (a path, or a file object with ``name``) into rows keyed by lower-case header."""
    if isinstance(file, (str, Path)):
        name = str(file)
        with open(file, "rb") as fh:
            data = fh.read()
    else:
        name = name or getattr(file, "name", "") or ""
        data = file.read()
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows_iter = _xlsx_rows(data)
    elif suffix in (".csv", ".txt", ""):
        rows_iter = list(csv.reader(io.StringIO(_decode(data))))
    else:
        raise ImportRejected([RowError(0, _("Upload a .csv or .xlsx file."))])
    rows_iter = iter(rows_iter)
    try:
        header = [_cell(h).lower() for h in next(rows_iter)]
    except StopIteration:
        raise ImportRejected([RowError(1, _("The file is empty."))]) from None
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected(
            [RowError(1, _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)})]
        )
    rows = []
    for number, raw in enumerate(rows_iter, start=2):
        cells = [_cell(v) for v in raw]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append(Row(number, {h: cells[i] for i, h in enumerate(header) if h}))
    return rows


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected([RowError(0, _("The file is not a readable .xlsx workbook."))]) from None
    try:
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
