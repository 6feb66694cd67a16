"""Excel export of the filtered call list: openpyxl write-only mode (constant memory), written to a
temporary file that is then streamed to the browser. Text is always written as text: a cell that
starts with ``= + - @``, TAB or CR gets a leading ' (csmgmt.core.sheets.safe_value)."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from csmgmt.core.sheets import safe_value

from .phones import format_phone

EXPORT_LIMIT = 100_000


def _text(ws, value):
    """Text through the one cell writer (a leading ' on formula-like text), always a text cell."""
    value = safe_value(ws, "" if value is None else str(value))
    if not isinstance(value, str):  # already a text cell
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never "f"
    return cell


def calls_workbook(qs, fh) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Calls"))
    headers = [_("Number"), pgettext("call", "Received at"), _("Channel"), _("Direction"), _("Caller phone"), _("Caller name"),
               _("Organisation"), _("Category"), _("Summary"), _("Details"), _("Importance"), _("Urgency"),
               _("Outcome"), _("Transferred to"), _("Reply due"), _("Taken by"), pgettext("call", "Owner"), _("Status"),
               _("Void reason")]
    ws.append([_text(ws, h) for h in headers])
    n = 0
    rows = (qs.select_related("agent", "owner", "department").order_by("-received_at", "-id")[:EXPORT_LIMIT]
            .iterator(chunk_size=2000))
    for call in rows:
        due = timezone.localtime(call.reply_due_at).replace(tzinfo=None) if call.reply_due_at else None
        ws.append([
            _text(ws, call.number), timezone.localtime(call.received_at).replace(tzinfo=None),
            _text(ws, call.get_channel_display()), _text(ws, call.get_direction_display()),
            _text(ws, format_phone(call.caller_phone)), _text(ws, call.caller_name), _text(ws, call.organisation),
            _text(ws, call.get_category_display()), _text(ws, call.summary), _text(ws, call.details),
            _text(ws, call.get_importance_display()), _text(ws, call.get_urgency_display()),
            _text(ws, call.get_outcome_display()), _text(ws, call.department.name if call.department else ""),
            due, _text(ws, str(call.agent)), _text(ws, str(call.owner)), _text(ws, call.get_status_display()),
            _text(ws, call.void_reason),
        ])
        n += 1
    wb.save(fh)
    return n


def calls_export_response(qs) -> FileResponse:
    fh = tempfile.TemporaryFile(suffix=".xlsx")
    calls_workbook(qs, fh)
    fh.seek(0)
    name = f"calls-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return FileResponse(fh, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
