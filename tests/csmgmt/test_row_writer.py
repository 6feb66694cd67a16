"""RowWriter: a sheet's rows written with one styled cell per column and style, reused row after row — each
cell still holds its own row's value and format (two date columns in one row, formula-like text kept as text,
times in Asia/Shanghai, control characters dropped), exactly as safe_value writes them one by one."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from csmgmt.core.sheets import RowWriter, safe_value

SHANGHAI = ZoneInfo("Asia/Shanghai")
RED = (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006"))


def written(make_row):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    for row in make_row(ws):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["s"]
    return [[(c.value, c.number_format, c.fill.fgColor.rgb if c.fill.fill_type else None, c.data_type)
             for c in row] for row in sheet.iter_rows()]


ROWS = [
    ["=SUM(A1)", dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.timezone.utc), dt.date(2026, 3, 1), "a\x01b", 5, None,
     dt.datetime(2026, 3, 10, 23, 59, tzinfo=SHANGHAI), "L", 1.5],
    ["普通文本", dt.datetime(2026, 4, 1, 8, 30, tzinfo=SHANGHAI), dt.date(2026, 4, 2), "+86 138", 0, "x",
     None, "P", 2],
    ["-1", None, dt.date(2026, 5, 3), "", True, "=1+1", dt.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), "L", 0],
]


def style(column, value):
    return RED if column == 7 and value == "L" else None


def test_rows_are_written_as_safe_value_writes_each_cell():
    formats = {2: "yyyy-mm-dd", 8: "0.0"}

    def by_row_writer(ws):
        writer = RowWriter(ws, formats, style)
        return (writer.row(values) for values in ROWS)

    def by_safe_value(ws):
        for values in ROWS:
            yield [safe_value(ws, v, formats.get(i), *(style(i, v) or (None, None))) for i, v in enumerate(values)]

    got = written(by_row_writer)
    assert got == written(by_safe_value)
    # the values themselves, written out
    assert [c[0] for c in got[0]] == ["'=SUM(A1)", dt.datetime(2026, 3, 10, 0, 0), dt.datetime(2026, 3, 1), "ab", 5,
                                      None, dt.datetime(2026, 3, 10, 23, 59), "L", 1.5]
    assert got[0][0][3] == "s" and got[2][5][3] == "s" and got[2][0][0] == "'-1"  # text with a leading ', never a formula (issue 16.6)
    assert (got[0][1][1], got[0][2][1], got[0][6][1]) == ("yyyy-mm-dd hh:mm", "yyyy-mm-dd", "yyyy-mm-dd hh:mm")
    assert got[1][1][0] == dt.datetime(2026, 4, 1, 8, 30) and got[2][6][0] == dt.datetime(2026, 5, 4, 9, 0)
    assert [row[7][2] for row in got] == ["00FFC7CE", None, "00FFC7CE"]  # the fill only where the code is L
    assert got[1][8][1] == "0.0" and got[1][3][0] == "'+86 138"
