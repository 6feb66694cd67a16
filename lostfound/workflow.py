"""The lost-and-found workflows (REGULATIONS §6) as tables, run by the engine (``csmgmt.core.workflow``).

``TABLE[state][action] = move(next state, roles, guards…)``. Roles are expanded by ``roles_of``: "agent" covers
supervisors and managers too. Lost and found has no object-level rule — every agent and the custodian work every
record — and no record-relative role.

- **Found items** (``FoundItem.status``): registered → stored → (claimed | handed to finance | disposed). Agents
  (with supervisors and managers) and the custodian release claims; taking into custody and disposal are the
  custodian's. An item goes to finance only with the handover batch it is listed on, when the custodian confirms
  that batch. Claimed, handed to finance and disposed are final.
- **Lost reports** (``LostReport.status``): open → withdrawn (agents and the custodian, with a reason) or claimed —
  by the product itself (``SYSTEM``) when an item is released against the report. Both are final.
- **Finance handovers** (``HandoverBatch.status``): prepared → confirmed (handed over) by the custodian; final.
  A batch is prepared by the monthly task or the custodian's "prepare" button (its creation, not a move).

``lostfound.services`` makes the moves; pages build their buttons from :func:`available_actions`.
"""

from django.utils.translation import gettext as _

from csmgmt.core.roles import Role
from csmgmt.core.workflow import SYSTEM, EventSpec, Workflow, WorkflowError, WorkflowForbidden, guard, move

from .models import FoundItem, FoundItemEvent, HandoverBatch, HandoverBatchEvent, LostReport, LostReportEvent


class LostfoundError(WorkflowError):
    """A refused action; ``str(exc)`` is the message for the user."""


class LostfoundForbidden(LostfoundError, WorkflowForbidden):
    """The employee may not make this move (e.g. an agent taking an item into custody)."""


class AlreadyClaimed(LostfoundError):
    """The item was claimed already (by someone else a moment ago, perhaps)."""


# Who works lost and found (permissions: lostfound.register, lostfound.release_claim): agents — and through
# the implied roles supervisors and managers — and the custodian.
LOST_AND_FOUND_STAFF = {Role.AGENT, Role.CUSTODIAN}
CUSTODIAN = {Role.CUSTODIAN}  # lostfound.custody, lostfound.finance_handover


# --- found items -------------------------------------------------------------------------------------

Item = FoundItem.Status


def _with_its_handover(ctx) -> bool:
    """The item is handed over with the batch it is listed on (the move confirming that batch names it)."""
    handover = ctx.data.get("handover")
    return handover is not None and handover == ctx.record.handover_batch_id


WITH_ITS_HANDOVER = guard(_with_its_handover)

ITEM_TABLE = {
    Item.REGISTERED: {
        "store": move(Item.STORED, CUSTODIAN),
        "claim": move(Item.CLAIMED, LOST_AND_FOUND_STAFF),
        "finance": move(Item.HANDED_TO_FINANCE, CUSTODIAN, WITH_ITS_HANDOVER),
        "dispose": move(Item.DISPOSED, CUSTODIAN),
    },
    Item.STORED: {
        "claim": move(Item.CLAIMED, LOST_AND_FOUND_STAFF),
        "finance": move(Item.HANDED_TO_FINANCE, CUSTODIAN, WITH_ITS_HANDOVER),
        "dispose": move(Item.DISPOSED, CUSTODIAN),
    },
    Item.CLAIMED: {},
    Item.HANDED_TO_FINANCE: {},
    Item.DISPOSED: {},
}

ITEM_LABELS = dict(FoundItemEvent.Action.choices)  # store, claim, finance, dispose — and the trail's notes


def _item_refusal(item, action) -> str:
    if item.status == Item.CLAIMED and action == "claim":
        return _("Item %(number)s is already claimed.") % {"number": item.number}
    return _("Item %(number)s is %(status)s: it cannot be changed that way.") % {
        "number": item.number, "status": item.get_status_display()}


FOUND_ITEM = Workflow(
    name="found_item",
    model=FoundItem,
    field="status",
    table=ITEM_TABLE,
    events=EventSpec(model=FoundItemEvent, record="item", from_state="from_status", to_state="to_status"),
    labels=ITEM_LABELS,
    describe=lambda item: {"number": item.number},
    error=LostfoundError,
    forbidden=LostfoundForbidden,
    refusal=_item_refusal,
)


# --- lost reports ------------------------------------------------------------------------------------

Report = LostReport.Status

REPORT_TABLE = {
    Report.OPEN: {
        "withdraw": move(Report.WITHDRAWN, LOST_AND_FOUND_STAFF),
        "claim": move(Report.CLAIMED, {SYSTEM}),  # its item was released to the owner
    },
    Report.CLAIMED: {},
    Report.WITHDRAWN: {},
}


def _report_refusal(report, action) -> str:
    return _("Lost report %(number)s is no longer open.") % {"number": report.number}


LOST_REPORT = Workflow(
    name="lost_report",
    model=LostReport,
    field="status",
    table=REPORT_TABLE,
    events=EventSpec(model=LostReportEvent, record="report"),
    labels=dict(LostReportEvent.Action.choices),
    describe=lambda report: {"number": report.number},
    error=LostfoundError,
    forbidden=LostfoundForbidden,
    refusal=_report_refusal,
    history=False,  # the services name the person behind the change, also for the product's own move
)


# --- finance handovers ------------------------------------------------------------------------------

Batch = HandoverBatch.Status

HANDOVER_TABLE = {
    Batch.PREPARED: {
        "confirm": move(Batch.CONFIRMED, CUSTODIAN),
    },
    Batch.CONFIRMED: {},
}


def _handover_refusal(batch, action) -> str:
    return _("Handover %(number)s is already confirmed.") % {"number": batch.number}


HANDOVER_BATCH = Workflow(
    name="handover_batch",
    model=HandoverBatch,
    field="status",
    table=HANDOVER_TABLE,
    events=EventSpec(model=HandoverBatchEvent, record="batch"),
    labels=dict(HandoverBatchEvent.Action.choices),
    describe=lambda batch: {"number": batch.number},
    error=LostfoundError,
    forbidden=LostfoundForbidden,
    refusal=_handover_refusal,
)
