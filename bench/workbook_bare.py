"""The monthly workbook against bare openpyxl writing the same cells (not part of the test suite).

    DATABASE_URL=postgres://.../bench_workbook python bench/workbook_bare.py [--months 2001-02] [--pairs 5]

Run ``bench/workbook.py`` first: it fills months of 2001 with 10,000 and 100,000 calls (2001-01, 2001-02).
For each month the real ``workbook_write`` writes the workbook once; its cells (every sheet's values and
number formats) are read back into memory. Then, ``--pairs`` times and interleaved, the two writers run
one after the other in this process:

- **workbook**: ``workbook_write`` for the month — the queries, the rows' conversion, the styles, openpyxl;
- **bare**: openpyxl alone (write-only workbook, lxml) writing the same cells from memory: plain values as
  they are, a cell object with its number format where the workbook has one, then ``save``.

Throughput is cells per second; the figure is the median over the pairs of (workbook / bare), each pair
measured back to back so a busy machine slows both alike."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")


def read_cells(path):
    """[(sheet title, [[value or (value, number format)]])] of a written workbook."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            out = []
            for cell in row:
                value = getattr(cell, "value", None)
                fmt = getattr(cell, "number_format", "General")
                out.append((value, fmt) if value is not None and fmt != "General" else value)
            rows.append(out)
        sheets.append((ws.title, rows))
    wb.close()
    return sheets


def bare_write(sheets, path):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            values = []
            for value in row:
                if isinstance(value, tuple):
                    cell = WriteOnlyCell(ws, value=value[0])
                    cell.number_format = value[1]
                    value = cell
                values.append(value)
            ws.append(values)
    wb.save(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", nargs="+", default=["2001-01", "2001-02"])
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from csmgmt.core.sheets import Period
    from csmgmt.reports import workbook_write

    out = Path(tempfile.mkdtemp())
    print(f"{'month':>8} {'cells':>10} {'workbook s':>11} {'bare s':>8} {'workbook c/s':>13} {'bare c/s':>10} "
          f"{'ratio':>6}   (medians of {args.pairs} interleaved pairs; ratio = median of workbook / bare per pair)")
    for month in args.months:
        period = Period.parse(month)
        workbook_write(period=period, language="en", path=out / "wb.xlsx")
        sheets = read_cells(out / "wb.xlsx")
        cells = sum(1 for _t, rows in sheets for row in rows for v in row if v is not None)
        wb_times, bare_times, ratios = [], [], []
        for i in range(args.pairs):
            order = ("wb", "bare") if i % 2 == 0 else ("bare", "wb")
            took = {}
            for which in order:
                start = time.perf_counter()
                if which == "wb":
                    workbook_write(period=period, language="en", path=out / "wb.xlsx")
                else:
                    bare_write(sheets, out / "bare.xlsx")
                took[which] = time.perf_counter() - start
            wb_times.append(took["wb"])
            bare_times.append(took["bare"])
            ratios.append(took["bare"] / took["wb"])  # workbook throughput / bare throughput
        w, b = statistics.median(wb_times), statistics.median(bare_times)
        print(f"{month:>8} {cells:>10,} {w:>11.2f} {b:>8.2f} {cells / w:>13,.0f} {cells / b:>10,.0f} "
              f"{statistics.median(ratios):>6.2f}", flush=True)


if __name__ == "__main__":
    main()
