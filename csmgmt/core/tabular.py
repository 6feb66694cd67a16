"""Reading uploaded tables (CSV or XLSX) for every import in the product.

Rows come back as ``Row(number, values)`` where ``number`` is the spreadsheet row number
(the header is row 1), so error messages point at the row a person sees in Excel.
Importers collect a :class:`RowError` per bad row and raise :class:`ImportRejected`; the
import then writes nothing.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from django.conf import settings
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
        if not self.row:  # about the whole file
            return str(self.message)
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


@dataclass(frozen=True)
class Limits:
    """What one import may hold (settings ``IMPORT_MAX_*``): a department never reaches them, an accident
    (or a crafted file) does, and is refused while streaming, before the whole file is read."""

    rows: int
    columns: int
    unpacked_bytes: int
    cell_chars: int

    @classmethod
    def from_settings(cls, rows: int | None = None) -> "Limits":
        return cls(rows=rows or settings.IMPORT_MAX_ROWS, columns=settings.IMPORT_MAX_COLUMNS,
                   unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES, cell_chars=settings.IMPORT_MAX_CELL_CHARS)


def _too_big(message, **params) -> ImportRejected:
    return ImportRejected([RowError(0, message % {k: f"{v:,}" for k, v in params.items()})])


# Progress of the import running in this context (set by the background job, csmgmt.core.imports).
_progress: ContextVar[Callable[[int], None] | None] = ContextVar("tabular_progress", default=None)
PROGRESS_EVERY = 2000


@contextmanager
def reporting_progress(callback: Callable[[int], None]):
    """While inside, every table read reports its rows read so far to ``callback(rows)``."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def read_table(file, *, name: str | None = None, required: tuple[str, ...] = (),
               max_rows: int | None = None) -> list[Row]:
    """Read ``file`` (a path, or a file object with ``name``) into rows keyed by lower-case header.

    The file is streamed and refused (:class:`ImportRejected`, a message naming the limit) as soon as it
    passes one of the :class:`Limits`: more than ``max_rows`` rows below the header (default
    ``settings.IMPORT_MAX_ROWS``), more than ``IMPORT_MAX_COLUMNS`` columns, a cell longer than
    ``IMPORT_MAX_CELL_CHARS`` characters, or (.xlsx) more than ``IMPORT_MAX_UNPACKED_BYTES`` unpacked,
    judged from the zip's directory before anything is parsed."""
    limits = Limits.from_settings(max_rows)
    if isinstance(file, (str, Path)):
        name = str(file)
        with open(file, "rb") as fh:
            return _read(fh, name, required, limits)
    name = name or getattr(file, "name", "") or ""
    return _read(file, name, required, limits)


def _read(fh, name, required, limits: Limits) -> list[Row]:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _collect(_xlsx_rows(fh, limits), required, limits)
    if suffix in (".csv", ".txt", ""):
        return _read_csv(fh, required, limits)
    raise ImportRejected([RowError(0, _("Upload a .csv or .xlsx file."))])


def _collect(rows_iter, required, limits: Limits) -> list[Row]:
    try:
        return _collect_rows(iter(rows_iter), required, limits)
    finally:
        if hasattr(rows_iter, "close"):
            rows_iter.close()  # a refused workbook is closed at once


def _collect_rows(rows_iter, required, limits: Limits) -> list[Row]:
    try:
        header = [_cell(h).lower() for h in next(rows_iter)]
    except StopIteration:
        raise ImportRejected([RowError(1, _("The file is empty."))]) from None
    while header and not header[-1]:
        header.pop()
    if len(header) > limits.columns:
        raise _too_big(_("The file has more than %(limit)s columns; split it or remove the extra columns."),
                       limit=limits.columns)
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected(
            [RowError(1, _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)})]
        )
    progress = _progress.get()
    rows = []
    for number, raw in enumerate(rows_iter, start=2):
        if number - 1 > limits.rows:
            raise _too_big(_("The file has more than %(limit)s rows; split it into files of at most %(limit)s "
                             "rows."), limit=limits.rows)
        cells = [_cell(v) for v in raw]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > limits.columns:
            raise _too_big(_("Row %(row)s has more than %(limit)s columns; split the file or remove the extra "
                             "columns."), row=number, limit=limits.columns)
        for value in cells:
            if len(value) > limits.cell_chars:
                raise _too_big(_("Row %(row)s has a cell longer than %(limit)s characters."),
                               row=number, limit=limits.cell_chars)
        if progress is not None and (number - 1) % PROGRESS_EVERY == 0:  # rows read below the header
            progress(number - 1)
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append(Row(number, {h: cells[i] for i, h in enumerate(header) if h}))
    if progress is not None:
        progress(len(rows))
    return rows


def _read_csv(fh, required, limits: Limits) -> list[Row]:
    """CSV, streamed: UTF-8 (with or without BOM), else GBK (GB 18030); each try reads row by row."""
    raw = getattr(fh, "file", fh)  # an UploadedFile's underlying binary file
    for encoding in ("utf-8-sig", "gb18030"):
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            return _collect(_csv_rows(text, limits), required, limits)
        except UnicodeDecodeError:
            continue
        finally:
            text.detach()  # leave the caller's file open
    raise ImportRejected([RowError(0, _("The file is neither UTF-8 nor GBK text."))])


def _csv_rows(text, limits: Limits):
    reader = csv.reader(text)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a field over csv's own limit (131,072 characters), a stray NUL
            raise _too_big(_("Row %(row)s has a cell longer than %(limit)s characters or is not CSV."),
                           row=reader.line_num, limit=limits.cell_chars) from None
        yield row


ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _first_sheet_path(archive) -> str | None:
    """The first sheet's member name, from the (small) workbook part and its relationships."""
    from xml.etree import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        sheet = book.find(f"{MAIN_NS}sheets/{MAIN_NS}sheet")
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        rid = sheet.get(f"{REL_NS}id")
        target = next(r.get("Target") for r in rels.iter(f"{PKG_REL_NS}Relationship") if r.get("Id") == rid)
    except (KeyError, AttributeError, StopIteration, ElementTree.ParseError):
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _sheet_rows_over(archive, limit: int) -> bool:
    """Does the first sheet hold more than ``limit`` ``<row>`` elements? Reads only as far as it must."""
    path = _first_sheet_path(archive)
    if path is None or path not in archive.namelist():
        return False  # openpyxl judges the file (and its own streaming check applies)
    count, tail, in_tail = 0, b"", 0
    with archive.open(path) as sheet:
        while chunk := sheet.read(1 << 20):
            data = tail + chunk
            count += len(ROW_TAG.findall(data)) - in_tail  # the tail's rows were counted with the last chunk
            if count > limit:
                return True
            tail = data[-40:]
            in_tail = len(ROW_TAG.findall(tail))
    return False


def _xlsx_rows(fh, limits: Limits):
    """The first sheet's rows, streamed (openpyxl read-only), after the zip's directory shows the workbook
    unpacks to at most ``limits.unpacked_bytes``."""
    from openpyxl import load_workbook

    fh = getattr(fh, "file", fh)
    unreadable = ImportRejected([RowError(0, _("The file is not a readable .xlsx workbook."))])
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > limits.unpacked_bytes:
                raise _too_big(_("The workbook unpacks to more than %(limit)s MB; split it into smaller files."),
                               limit=limits.unpacked_bytes // (1024 * 1024))
            # openpyxl reads a whole sheet that does not state its size before giving the first row: count
            # the first sheet's rows on the raw XML first (decompressed in chunks, stopping past the limit).
            if _sheet_rows_over(archive, limits.rows + 1):
                raise _too_big(_("The file has more than %(limit)s rows; split it into files of at most "
                                 "%(limit)s rows."), limit=limits.rows)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        raise unreadable from None
    fh.seek(0)
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise unreadable from None
    try:
        ws = wb.worksheets[0]
        # The sheet's own dimension, when it says so, refuses before a row is parsed.
        declared = ws.max_row if ws.max_row and ws.max_row > 1 else None
        if declared is not None and declared - 1 > limits.rows:
            raise _too_big(_("The file has more than %(limit)s rows; split it into files of at most %(limit)s "
                             "rows."), limit=limits.rows)
        ws.reset_dimensions()  # a dimension that says less than the sheet holds must not cut rows off
        try:
            yield from ws.iter_rows(values_only=True, max_col=limits.columns + 1)
        except ImportRejected:
            raise
        except Exception:
            raise unreadable from None
    finally:
        wb.close()
