"""The month's draw (REGULATIONS §10): for each agent who took calls in the month, ``sample_size`` of them at
random. The seed and the candidate calls are stored with the draw, so :func:`draw_replay` gives the same sample
again; a month is drawn once (the unique month, and a refusal). A supervisor may swap a drawn call, with a
reason, up to the settings' limit per agent and month; the replacement is drawn from the agent's other
candidates by the same seed."""

import datetime as dt
import random
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from csmgmt.core.sheets import Period
from csmgmt.core.workflow import event_write, record_created
from staff.models import Employee
from tickets.models import Call

from ..models import Inspection, SampleDraw, Swap
from ..workflow import INSPECTION, QualityError, QualityForbidden, may_inspect
from .config import checklist_current, settings_get


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first instant, first instant of the next month) in the app's time zone (the shared ``Period``)."""
    period = Period(month.year, month.month)
    return period.start, period.end


def candidates_of(month: dt.date) -> dict[str, list[int]]:
    """Each agent's calls taken in the month (not voided), by agent id, ascending ids (one query)."""
    start, end = month_bounds(month)
    out: dict[str, list[int]] = {}
    rows = (Call.objects.filter(received_at__gte=start, received_at__lt=end, agent__isnull=False)
            .exclude(status=Call.Status.VOIDED).order_by("agent_id", "pk").values_list("agent_id", "pk"))
    for agent_id, pk in rows:
        out.setdefault(str(agent_id), []).append(pk)
    return out


def sample_of(seed: str, agent_id, calls: list[int], size: int) -> list[int]:
    """The agent's sample: ``size`` calls of ``calls`` chosen by ``seed`` (the same every time), ascending."""
    rng = random.Random(f"{seed}:{agent_id}")
    return sorted(rng.sample(sorted(calls), min(size, len(calls))))


def draw_replay(draw: SampleDraw) -> dict[str, list[int]]:
    """The sample the stored seed and candidates give (before any swap)."""
    return {agent: sample_of(draw.seed, agent, calls, draw.sample_size) for agent, calls in draw.candidates.items()}


def _may_draw(by: Employee | None) -> None:
    if by is not None and not can(by.user, "quality.inspect"):
        raise QualityForbidden(_("Only a supervisor or a manager may draw the month's calls."))


def draw_month(*, month: dt.date, by: Employee | None, seed: str | None = None) -> SampleDraw:
    """Draw ``month`` (its first day): once, and only once the month is over."""
    month = month.replace(day=1)
    _may_draw(by)
    if month_bounds(month)[1] > timezone.now():
        raise QualityError(_("%(month)s is not over yet; a month is drawn once it has ended.")
                           % {"month": f"{month:%Y-%m}"})
    checklist = checklist_current()
    if checklist is None:
        raise QualityError(_("There is no checklist yet; a manager sets it up first."))
    already = _("%(month)s has already been drawn; a month is drawn once.") % {"month": f"{month:%Y-%m}"}
    if SampleDraw.objects.filter(month=month).exists():
        raise QualityError(already)
    size = settings_get().sample_size
    seed = seed or secrets.token_hex(16)
    candidates = candidates_of(month)
    try:
        with transaction.atomic():
            draw = SampleDraw.objects.create(month=month, seed=seed, sample_size=size, candidates=candidates,
                                             checklist=checklist, drawn_by=by)
            now = timezone.now()
            for agent, calls in draw_replay(draw).items():
                for call_id in calls:
                    inspection = Inspection(draw=draw, month=month, agent_id=int(agent), call_id=call_id,
                                            checklist=checklist)
                    inspection._history_user = by.user if by is not None else None
                    inspection.save()
                    record_created(INSPECTION, inspection, by=by, action="draw", at=now,
                                   data={"seed": seed, "month": f"{month:%Y-%m}"})
    except IntegrityError:  # drawn by a concurrent request
        raise QualityError(already) from None
    return draw


def swap_call(*, inspection: Inspection, by: Employee, reason: str) -> Swap:
    """Replace a drawn (not yet scored) call with another of the agent's candidates, with a reason; at most
    the settings' number of swaps per agent and month. A refusal changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise QualityError(_("Give the reason for swapping the call."))
    limit = settings_get().swaps_per_agent
    with transaction.atomic():
        inspection = (Inspection.objects.select_for_update(of=("self",)).select_related("agent", "call", "draw")
                      .get(pk=inspection.pk))
        if not may_inspect(inspection, by):
            raise QualityForbidden(_("Only the agent's supervisor or a manager may swap a drawn call."))
        if inspection.state != Inspection.State.DRAWN:
            raise QualityError(_("Only a call not yet scored can be swapped."))
        draw = SampleDraw.objects.select_for_update().get(pk=inspection.draw_id)  # one swap at a time per draw
        done = Swap.objects.filter(draw=draw, agent_id=inspection.agent_id).count()
        if done >= limit:
            raise QualityError(_("%(name)s's calls have been swapped %(done)s time(s) this month; the limit is "
                                 "%(limit)s.") % {"name": inspection.agent.name, "done": done, "limit": limit})
        used = set(Inspection.objects.filter(draw=draw, agent_id=inspection.agent_id).values_list("call_id",
                                                                                                 flat=True))
        used |= set(Swap.objects.filter(draw=draw, agent_id=inspection.agent_id).values_list("old_call_id",
                                                                                            flat=True))
        remaining = [c for c in draw.candidates.get(str(inspection.agent_id), []) if c not in used]
        if not remaining:
            raise QualityError(_("%(name)s has no other call this month to swap in.")
                               % {"name": inspection.agent.name})
        number = done + 1
        new_call_id = random.Random(f"{draw.seed}:{inspection.agent_id}:swap:{number}").choice(remaining)
        old_call = inspection.call
        swap = Swap.objects.create(draw=draw, agent_id=inspection.agent_id, inspection=inspection, number=number,
                                   old_call=old_call, new_call_id=new_call_id, reason=reason[:2000], by=by)
        inspection.call_id = new_call_id
        inspection._history_user = by.user
        inspection.save(update_fields=["call"])
        event_write(INSPECTION, inspection, action="swap", from_state="", to_state=inspection.state, by=by,
                    at=timezone.now(), comment=reason,
                    data={"old_call": old_call.pk, "new_call": new_call_id, "swap": number})
    return swap
