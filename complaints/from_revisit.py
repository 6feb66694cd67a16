"""A complaint from an unsatisfied call revisit in one step (REGULATIONS §10, issue 20): the supervisor's button on
the revisit queue and the call page. It goes through the one "complaint from a call" service (``complaint_create``
with the call: the call is marked 转投诉 and linked both ways), and the revisit moves on in the same transaction,
naming the complaint in its trail. Here, because complaints may import tickets and tickets never imports
complaints."""

from django.db import transaction
from django.utils.translation import gettext as _

from staff.models import Employee
from tickets.models import CallRevisit, Satisfaction
from tickets.revisits import revisit_complaint_opened
from tickets.services import CallError
from tickets.workflow import REVISIT, RevisitForbidden

from .models import Channel, Complaint
from .services import ComplaintError, complaint_create


def complaint_from_revisit(*, revisit: CallRevisit, by: Employee) -> Complaint:
    """Open the complaint of an unsatisfied revisit: complainant and content from the call, the revisit's answer
    and note added to the content. A supervisor only (the revisit's table); refused (``CallError``/
    ``ComplaintError``), nothing is written."""
    from csmgmt.core.workflow import available_actions

    if "open_complaint" not in available_actions(revisit, by, REVISIT):
        if revisit.state == CallRevisit.State.UNSATISFIED:
            raise RevisitForbidden(_("Only a supervisor opens a complaint from an unsatisfied revisit."))
        raise CallError(_("Only an unsatisfied revisit opens a complaint."))
    call = revisit.call
    answer = _("Revisit %(at)s: %(satisfaction)s.") % {
        "at": revisit.revisited_at.strftime("%Y-%m-%d") if revisit.revisited_at else "",
        "satisfaction": Satisfaction(revisit.satisfaction).label if revisit.satisfaction else "—"}
    content = "\n".join(x for x in (call.summary, call.details, answer, revisit.note) if x)
    name = call.caller_name or (call.customer.name if call.customer_id and call.customer.name else "") or \
        call.phone_display() or call.number
    data = {"complainant_name": name, "complainant_phone": call.caller_phone, "content": content,
            "channel": call.channel if call.channel in Channel.values else Channel.PHONE,
            "comment": _("Opened from the unsatisfied revisit of call %(number)s.") % {"number": call.number}}
    with transaction.atomic():
        complaint = complaint_create(by=by, data=data, call=call)
        revisit_complaint_opened(revisit=revisit, by=by, complaint_number=complaint.number)
    return complaint


__all__ = ["ComplaintError", "complaint_from_revisit"]
