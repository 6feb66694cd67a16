"""Every write of the complaints app. ``complaint_transition`` is the only code that moves ``stage``."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core import workflow as engine
from csmgmt.core.numbering import number_next
from csmgmt.core.roles import Role
from csmgmt.core.uploads import (IMAGE_TYPES, OFFICE_TYPES, PDF_TYPES, UploadRejected, image_display_copy,
                                 upload_verified)
from staff.models import Employee
from tickets.phones import PhoneRejected, checked_phone

from csmgmt.core.calendar import CalendarError

from .clocks import (LIVE, Calendars, clock_new, clock_rules, clocks_pause, clocks_resume, compute, decided_state,
                     pauses_of, unit_valid)
from .models import (DEFAULT_HOURS, OPEN_STAGES, ClockKind, ClockLength, ClockState, Complaint, ComplaintClock,
                     ComplaintEvent, ComplaintPause, Evidence, Severity, Stage, close_kinds)
from .workflow import (COMPLAINT, ComplaintError, ComplaintForbidden, needs_reopen, plan_action, revisit_action,
                       writers_eligible)

__all__ = ["ComplaintError", "ComplaintForbidden"]  # the app's domain errors, declared with its workflow

ALLOWED_EVIDENCE_TYPES = IMAGE_TYPES | PDF_TYPES | OFFICE_TYPES


def _user(by: Employee):
    return by.user


# --- clocks ----------------------------------------------------------------------------------------


def clock_lengths() -> dict:
    """(kind, severity) -> length (hours; days for working days): the managers' settings over the defaults of
    REGULATIONS §3."""
    return {key: length for key, (length, _unit) in clock_rules().items()}


def clock_units() -> dict:
    """(kind, severity) -> unit (REGULATIONS §9): calendar hours unless a manager set working time."""
    return {key: unit for key, (_length, unit) in clock_rules().items()}


def clock_lengths_set(*, by: Employee, hours: dict, units: dict | None = None) -> int:
    """Save the managers' clock lengths; ``hours`` maps (kind, severity) -> whole hours (days for working days)
    ≥ 1, ``units`` (kind, severity) -> calendar / working hours / working days (REGULATIONS §9). New clocks take
    them; running ones keep the rule they started with."""
    changed = 0
    current = clock_rules()
    units = units or {}
    with transaction.atomic():
        for (kind, severity), value in hours.items():
            if (kind, severity) not in DEFAULT_HOURS:
                raise ComplaintError(_("Unknown clock."))
            if value is None or int(value) < 1:
                raise ComplaintError(_("A clock runs for at least one hour."))
            unit = units.get((kind, severity)) or current[(kind, severity)][1]
            if not unit_valid(unit):
                raise ComplaintError(_("Unknown unit."))
            row = ClockLength.objects.select_for_update().filter(kind=kind, severity=severity).first()
            if row is None:
                if current[(kind, severity)] == (int(value), unit):
                    continue
                row = ClockLength(kind=kind, severity=severity, hours=int(value), unit=unit)
            elif (row.hours, row.unit) == (int(value), unit):
                continue
            row.hours = int(value)
            row.unit = unit
            row._history_user = _user(by)
            row.save()
            changed += 1
    return changed


def _clock_start(complaint, kind, start, lengths) -> ComplaintClock:
    """Start (or restart: a running clock of that kind is set aside) a clock of ``complaint`` on the rule of
    ``lengths`` ((kind, severity) -> (length, unit), :func:`clock_rules`), stored on the clock."""
    ComplaintClock.objects.filter(complaint=complaint, kind=kind, state__in=LIVE).update(state=ClockState.CANCELLED)
    try:
        return clock_new(complaint, kind, start, lengths[(kind, complaint.severity or Severity.ORDINARY)])
    except CalendarError as exc:
        raise ComplaintError(_("The clock cannot be computed: %(why)s") % {"why": exc}) from None


def _clock_start_due(complaint, kind, start, due, owner=None) -> ComplaintClock:
    """Start (or restart) a clock whose due time is given, not a length: the plan's promise, the agreed next
    reply."""
    ComplaintClock.objects.filter(complaint=complaint, kind=kind, state__in=LIVE).update(state=ClockState.CANCELLED)
    return ComplaintClock.objects.create(complaint=complaint, kind=kind, started_at=start, due_at=due, owner=owner,
                                         state=ClockState.PAUSED if complaint.paused_at else ClockState.RUNNING)


def _clock_meet(complaint, kind, at) -> None:
    for clock in ComplaintClock.objects.filter(complaint=complaint, kind=kind, state__in=LIVE):
        clock.state = decided_state(clock, at)
        clock.met_at = at
        clock.save(update_fields=["met_at", "state"])


def _clock_cancel(complaint, kinds=None) -> None:
    qs = ComplaintClock.objects.filter(complaint=complaint, state__in=LIVE)
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    qs.update(state=ClockState.CANCELLED)


def _clock_reschedule(complaint, lengths) -> None:
    """The severity is known after analysis (or raised by a plan with compensation): running clocks
    take that severity's length; a clock the severity does not run (the ordinary close clock of a major
    complaint) is set aside, and one it runs but lacks is started from receipt."""
    calendars, pauses = Calendars(), pauses_of(complaint.pk)
    for clock in ComplaintClock.objects.filter(complaint=complaint, state__in=LIVE):
        if (clock.kind, complaint.severity) not in lengths:
            clock.state = ClockState.CANCELLED
            clock.save(update_fields=["state"])
            continue
        if clock.length is None:  # a clock from before lengths were stored: calendar hours
            due = clock.started_at + dt.timedelta(hours=lengths[(clock.kind, complaint.severity)][0])
        else:  # its own unit and calendar, the new severity's length
            clock.length = lengths[(clock.kind, complaint.severity)][0]
            due = compute(clock, calendars=calendars, pauses=[(a, b) for a, b in pauses if b is not None]).at
        if due != clock.due_at:
            clock.due_at = due
            clock.save(update_fields=["due_at", "length"])
    for kind in close_kinds(complaint.severity):
        if not ComplaintClock.objects.filter(complaint=complaint, kind=kind).exclude(
                state=ClockState.CANCELLED).exists():
            _clock_start(complaint, kind, complaint.received_at, lengths)


# --- notices ---------------------------------------------------------------------------------------


def _link(complaint) -> str:
    from django.urls import reverse

    return reverse("complaints:detail", args=[complaint.pk])


def _managers():
    return Employee.objects.filter(active=True, user__is_active=True, user__groups__name=Role.MANAGER).distinct()


def _notify(recipients, message, complaint, key, params=None):
    """Queue notices for after commit; each (recipient, key) is sent once."""
    recipients = [r for r in recipients if r is not None]
    params = {"number": complaint.number, **(params or {})}
    link = _link(complaint)

    def send():
        seen = set()
        for r in recipients:
            if r.pk in seen:
                continue
            seen.add(r.pk)
            notification_send(recipient=r, message=message, params=params, link=link, key=key)

    transaction.on_commit(send)


def _notify_repeat(complaint) -> None:
    """A repeat complaint notifies the responsible department's head at once (REGULATIONS §3)."""
    if not complaint.is_repeat:
        return
    dept = complaint.responsible_department or complaint.against_department
    if dept is None or dept.head_id is None:
        return
    _notify([dept.head], gettext_lazy("Repeat complaint %(number)s concerns your department (%(dept)s)."),
            complaint, key=f"complaint:{complaint.pk}:repeat:{dept.pk}", params={"dept": dept.name})


def complaints_customer_merge(*, source, target, by: Employee, reason) -> int:
    """A customer profile was merged (``tickets.services.customer_merge``, registered in ``apps.py``): its
    complaints now point at the profile kept, each with a history entry."""
    from tickets.services import customer_records_move

    return customer_records_move(Complaint.objects.filter(customer=source), target=target, by=by, reason=reason)


# --- create ----------------------------------------------------------------------------------------

CREATE_FIELDS = ("received_at", "channel", "complainant_name", "complainant_phone", "complainant_contact",
                 "against_department", "against_person", "against_employee", "content", "demand", "demand_detail", "customer")


def complaint_create(*, by: Employee, data: dict, call=None, files=()) -> Complaint:
    """Register a complaint (《客户投诉记录单》), optionally from ``call`` (linked both ways) and with
    evidence ``files``; all or nothing (a refused file saves no complaint)."""
    from tickets.services import call_mark_opened_as_complaint

    if not data.get("complainant_name") or not data.get("content"):
        raise ComplaintError(_("The complainant and the content are required."))
    try:
        phone = checked_phone(data.get("complainant_phone"))
    except PhoneRejected as exc:
        raise ComplaintError(str(exc)) from None
    for upload in files:
        evidence_check(upload)
    now = timezone.now()
    received_at = data.get("received_at") or (call.received_at if call else now)
    if received_at > now + dt.timedelta(minutes=5):
        raise ComplaintError(_("The time received cannot be in the future."))
    with transaction.atomic():
        if call is not None:  # first: locks the call and refuses a voided one or a second complaint
            call = call_mark_opened_as_complaint(call=call, by=by)
        period = timezone.localtime(received_at).strftime("%Y%m")
        complaint = Complaint(number=number_next(prefix="TS", period=period), agent=by, stage=Stage.ANALYSE)
        for field in CREATE_FIELDS:
            if field in data and data[field] is not None:
                setattr(complaint, field, data[field])
        complaint.received_at = received_at
        complaint.complainant_phone = phone
        if call is not None:
            complaint.source_call = call
            if complaint.customer_id is None and call.customer_id:
                complaint.customer_id = call.customer_id
        if complaint.customer_id is None and complaint.complainant_phone:
            from tickets.models import CustomerPhone

            complaint.customer_id = (CustomerPhone.objects.filter(number=complaint.complainant_phone)
                                     .values_list("customer_id", flat=True).first())
        complaint._history_user = _user(by)
        complaint.save()
        ComplaintEvent.objects.create(complaint=complaint, action="receive", from_stage="", to_stage=Stage.ANALYSE,
                                      by=by, at=now, comment=data.get("comment", ""))
        lengths = clock_rules()
        for kind in (ClockKind.FIRST_REPLY, ClockKind.ASSIGN, *close_kinds(complaint.severity)):
            _clock_start(complaint, kind, received_at, lengths)
        for upload in files:
            evidence_add(complaint=complaint, by=by, upload=upload)
        if complaint.routed_to_manager():
            _notify(_managers(), gettext_lazy("Complaint %(number)s is against customer service: it is yours to follow."),
                    complaint, key=f"complaint:{complaint.pk}:against-cs")
    return complaint


# --- the one transition service --------------------------------------------------------------------


def _require(data, *fields):
    missing = [f for f in fields if data.get(f) in (None, "")]
    if missing:
        raise ComplaintError(_("Please fill in: %(fields)s.") % {
            "fields": ", ".join(str(Complaint._meta.get_field(f).verbose_name) for f in missing)})


def complaint_transition(*, complaint: Complaint, action: str, by: Employee, comment: str = "",
                         data: dict | None = None) -> Complaint:
    """Apply ``action`` to ``complaint`` as ``by`` through the workflow engine: atomic, row locked, checked
    against the table (roles, the handler's department, guards, four eyes), an event row for the move,
    notices after commit. Raises :class:`ComplaintError` (or :class:`ComplaintForbidden`) with a message for
    the user; nothing is saved then."""
    data = dict(data or {})
    lengths = clock_rules()

    def apply(c, ctx):
        note = _apply(c, action, data, (comment or "").strip(), ctx.now, lengths, ctx.by)
        return [note] if note is not None else None

    return engine.transition(COMPLAINT, complaint, action, by=by, comment=comment, data=data, apply=apply,
                             effects=_after)


def complaint_record_revisit(*, complaint: Complaint, by: Employee, data: dict, comment: str = "") -> Complaint:
    """Record the revisit's answers (REGULATIONS §3): a satisfied customer sends the complaint on to be
    closed; 不满意 or worse reopens it — at plan when a department was assigned, at analysis on the short
    path. The answers choose the move, not the page."""
    return complaint_transition(complaint=complaint, action=revisit_action(complaint, data), by=by,
                                comment=comment, data=data)


PLAN_ACTIONS = frozenset({"submit_plan", "submit_plan_to_manager"})


def complaint_submit_plan(*, complaint: Complaint, by: Employee, data: dict, comment: str = "") -> Complaint:
    """Submit the plan (REGULATIONS §3): to the supervisor; the plan of an ordinary complaint against 客服部 to a
    manager who did not write it — unless it involves compensation, which makes the complaint major, and then a
    supervisor other than the writer gives the first level. The plan's answers choose the move, not the page."""
    return complaint_transition(complaint=complaint, action=plan_action(complaint, data), by=by, comment=comment,
                                data=data)


def _major_if_compensation(c: Complaint, lengths) -> dict | None:
    """A plan with compensation makes the complaint major (REGULATIONS §3: major = involves
    compensation), so its approval needs the manager too: the severity is raised (never lowered here)
    and the running clocks take the major lengths. Returns the note for the trail, or None."""
    if not c.compensation or c.compensation <= 0 or c.severity == Severity.MAJOR:
        return None
    old = c.severity
    c.severity = Severity.MAJOR
    _clock_reschedule(c, lengths)
    return {"action": "made_major",
            "comment": _("The plan involves compensation (%(amount)s 元): the complaint is major, its approval "
                         "needs the manager too.") % {"amount": c.compensation},
            "data": {"severity_from": old, "severity_to": str(Severity.MAJOR), "compensation": str(c.compensation)}}


def _apply(c: Complaint, action: str, data: dict, comment: str, now, lengths, by=None) -> dict | None:
    """Fields and clocks of each move (REGULATIONS §3). Returns a note for the trail when the move
    changed more than its own fields (``{"action", "comment", "data"}``), else None."""
    if action in ("uphold", "reject"):
        _require(data, "severity")
        c.upheld = action == "uphold"
        c.verified = data.get("verified")
        c.cause = data.get("cause", "") or ""
        old_severity = c.severity
        c.severity = data["severity"]
        c.is_repeat = bool(data.get("is_repeat")) or data.get("repeat_of") is not None
        c.repeat_of = data.get("repeat_of")
        if c.repeat_of is not None and c.repeat_of.pk == c.pk:
            raise ComplaintError(_("A complaint cannot repeat itself."))
        _clock_meet(c, ClockKind.FIRST_REPLY, now)
        if action == "reject":
            _clock_cancel(c, [ClockKind.ASSIGN])
        elif not ComplaintClock.objects.filter(complaint=c, kind=ClockKind.ASSIGN).exclude(
                state=ClockState.CANCELLED).exists():
            _clock_start(c, ClockKind.ASSIGN, now, lengths)  # upheld after a reopened short path
        if old_severity != c.severity:
            _clock_reschedule(c, lengths)
    elif action == "assign":
        _require(data, "responsible_department")
        dept = data["responsible_department"]
        person = data.get("responsible_person")
        if person is not None and person.department_id != dept.pk:
            raise ComplaintError(_("%(person)s does not work in %(dept)s.") % {"person": person.name,
                                                                               "dept": dept.name})
        c.responsible_department = dept
        c.responsible_person = person
        _clock_meet(c, ClockKind.ASSIGN, now)
        _clock_start(c, ClockKind.DEPT_REPORT, now, lengths)
    elif action == "assign_writer":
        _writer_check(c, data.get("plan_writer"), by)
        writer = data["plan_writer"]
        c.plan_writer = writer
        c.responsible_department = writer.department
        c.responsible_person = writer
        _clock_meet(c, ClockKind.ASSIGN, now)
        _clock_start(c, ClockKind.DEPT_REPORT, now, lengths)
    elif action == "progress":
        if not comment:
            raise ComplaintError(_("Write what has been done so far."))
        _clock_meet(c, ClockKind.DEPT_REPORT, now)
    elif action in ("submit_plan", "submit_plan_to_manager"):
        _require(data, "findings", "promised_by")
        if not any(data.get(f) for f in ("action_immediate", "action_corrective", "action_preventive")):
            raise ComplaintError(_("A plan needs at least one action (immediate, corrective or preventive)."))
        if data.get("compensation") is not None and data["compensation"] < 0:
            raise ComplaintError(_("The compensation cannot be negative."))
        if data["promised_by"] <= now:
            raise ComplaintError(_("The deadline promised to the customer must be later than now."))
        for f in ("findings", "root_cause", "action_immediate", "action_corrective", "action_preventive",
                  "compensation", "promised_by"):
            setattr(c, f, data.get(f) if f in ("compensation", "promised_by") else (data.get(f) or ""))
        _clock_meet(c, ClockKind.DEPT_REPORT, now)
        _clock_start_due(c, ClockKind.PROMISE, now, c.promised_by)  # met by the response
        return _major_if_compensation(c, lengths)
    elif action in ("send_back", "manager_send_back"):
        if not comment:
            raise ComplaintError(_("Give the reason for sending the plan back."))
        _clock_start(c, ClockKind.DEPT_REPORT, now, lengths)
    elif action == "respond":
        _require(data, "response_method", "response_text")
        c.response_method = data["response_method"]
        c.response_text = data["response_text"]
        c.customer_agreed = data.get("customer_agreed")
        c.responded_at = now
        _clock_meet(c, ClockKind.FIRST_REPLY, now)
        _clock_meet(c, ClockKind.PROMISE, now)
        _clock_meet(c, ClockKind.NEXT_REPLY, now)  # a contact with the customer
        _clock_start(c, ClockKind.REVISIT, now, lengths)
    elif action in ("revisit", "reopen", "reopen_analysis"):
        _require(data, "satisfaction_attitude", "satisfaction_result")
        if (action != "revisit") != needs_reopen(data):
            if action == "revisit":
                raise ComplaintError(_("The customer is dissatisfied: the complaint must be reopened."))
            raise ComplaintError(_("Only a dissatisfied customer reopens a complaint."))
        c.satisfaction_attitude = int(data["satisfaction_attitude"])
        c.satisfaction_result = int(data["satisfaction_result"])
        c.revisit_comment = data.get("revisit_comment", "") or ""
        c.revisited_at = now
        _clock_meet(c, ClockKind.REVISIT, now)
        _clock_meet(c, ClockKind.NEXT_REPLY, now)  # a contact with the customer
        if action == "reopen":
            _clock_start(c, ClockKind.DEPT_REPORT, now, lengths)
        elif action == "reopen_analysis":
            _clock_start(c, ClockKind.FIRST_REPLY, now, lengths)
    elif action == "agree_next_reply":
        if not data.get("next_reply_at"):
            raise ComplaintError(_("Please fill in: %(fields)s.") % {"fields": _("next reply time")})
        if data["next_reply_at"] <= now:
            raise ComplaintError(_("The next reply time must be later than now."))
        if not comment:
            raise ComplaintError(_("Write what the customer was told."))
        _clock_meet(c, ClockKind.NEXT_REPLY, now)  # this call is itself a contact with the customer
        _clock_start_due(c, ClockKind.NEXT_REPLY, now, data["next_reply_at"], owner=by)
    elif action == "pause":
        if not comment:
            raise ComplaintError(_("Give the reason for the pause (what the customer is to send or answer)."))
        c.paused_at = now
        clocks_pause(c, now)
    elif action == "resume":
        if not comment:
            raise ComplaintError(_("Give the reason for resuming (e.g. the customer answered)."))
        c.paused_at = None
        clocks_resume(c, now)
    elif action == "close":
        _require(data, "fault_level")
        if data["fault_level"] != "none" and data.get("responsible_employee") is None:
            raise ComplaintError(_("Name the responsible employee for a fault."))
        c.closing_note = data.get("closing_note", "") or comment
        c.responsible_employee = data.get("responsible_employee")
        c.fault_level = data["fault_level"]
        c.closed_at = now
        _clock_meet(c, ClockKind.CLOSE_ORDINARY, now)
        _clock_meet(c, ClockKind.CLOSE, now)
        _clock_cancel(c)
        _pause_end(c, now)
    elif action == "withdraw":
        if not comment:
            raise ComplaintError(_("Give the reason for the withdrawal."))
        c.withdrawn_reason = comment[:300]
        c.withdrawn_at = now
        _clock_cancel(c)
        _pause_end(c, now)


def _pause_end(c: Complaint, now) -> None:
    """A closed or withdrawn complaint waits on nobody: an open pause ends with it."""
    if c.paused_at is not None:
        ComplaintPause.objects.filter(complaint=c, ended_at__isnull=True).update(ended_at=now)
        c.paused_at = None


def _writer_check(c: Complaint, writer, by) -> None:
    """The plan writer of a complaint against 客服部 (REGULATIONS §3): someone active in 客服部, neither the naming
    manager nor the person complained about; else ComplaintError saying which."""
    if writer is None:
        raise ComplaintError(_("Name who in 客服部 writes the plan."))
    if by is not None and writer.pk == by.pk:
        raise ComplaintError(_("You cannot name yourself: the plan is approved by a manager who did not write it, "
                               "so name someone else in 客服部."))
    if writer.pk == c.against_employee_id or (c.against_person.strip() and writer.name == c.against_person.strip()):
        raise ComplaintError(_("%(name)s is the person complained about and cannot write this plan.") % {
            "name": writer.name})
    if writer.pk not in {e.pk for e in writers_eligible(c, by)}:
        raise ComplaintError(_("%(name)s is not active in 客服部: name someone who is.") % {"name": writer.name})


def _after(c: Complaint, action: str, event: ComplaintEvent) -> None:
    """Notices after commit, one per event and recipient."""
    key = f"complaint:{c.pk}:event:{event.pk}"
    if action in ("uphold", "reject", "assign"):
        _notify_repeat(c)
    if action == "assign_writer":
        _notify([c.plan_writer], gettext_lazy("Complaint %(number)s is against customer service: the manager named "
                                              "you to write its plan."), c, key=key)
    if action == "assign":
        dept = c.responsible_department
        _notify([dept.head, c.responsible_person],
                gettext_lazy("Complaint %(number)s was assigned to your department: please send a plan."),
                c, key=key)
    elif action in ("submit_plan",):
        _notify([c.agent.supervisor], gettext_lazy("The plan for complaint %(number)s awaits your approval."),
                c, key=key)
    elif action in ("submit_plan_to_manager", "approve_first"):
        _notify(list(_managers()), gettext_lazy("The plan for complaint %(number)s awaits your approval."),
                c, key=key)
    elif action in ("send_back", "manager_send_back", "reopen"):
        dept = c.responsible_department
        _notify([c.responsible_person or (dept.head if dept else None)],
                gettext_lazy("Complaint %(number)s is back with your department for a new plan."), c, key=key)
    elif action in ("approve", "approve_final", "reject"):
        _notify([c.agent], gettext_lazy("Complaint %(number)s is ready for you to respond to the customer."),
                c, key=key)
    elif action in ("revisit",):
        _notify([c.agent.supervisor], gettext_lazy("Complaint %(number)s is ready to be closed."), c, key=key)


# --- evidence --------------------------------------------------------------------------------------


def evidence_check(upload):
    """The upload's real type (``filetype`` kind) when it is an image, PDF or office document up to
    MAX_UPLOAD_BYTES, judged by its content (magic bytes), never by its name; else ComplaintError."""
    try:
        return upload_verified(upload, allowed=ALLOWED_EVIDENCE_TYPES,
                           type_message=_("Only images, PDF and office documents can be attached."))
    except UploadRejected as exc:
        raise ComplaintError(exc.message) from None


def evidence_add(*, complaint: Complaint, by: Employee, upload) -> Evidence:
    """Store an evidence file (see :func:`evidence_check`) with ``default_storage``. Never deleted."""
    from .selectors import complaint_visible

    if not complaint_visible(by.user, complaint):
        raise ComplaintForbidden(_("You may not add files to this complaint."))
    if complaint.stage not in OPEN_STAGES:
        raise ComplaintError(_("Files cannot be added to a closed or withdrawn complaint."))
    kind = evidence_check(upload)
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        evidence = Evidence(complaint=complaint, original_name=name, content_type=kind.mime, size=upload.size,
                            uploaded_by=by)
        evidence.file.save(f"{kind.extension}", upload, save=False)
        copy = image_display_copy(upload) if kind.mime in IMAGE_TYPES else None
        if copy is not None:
            evidence.display.save(copy.name, copy, save=False)
        evidence.save()
    return evidence


# --- reminders (the beat job) ----------------------------------------------------------------------


def _clock_owner(clock: ComplaintClock):
    if clock.owner_id is not None:
        return clock.owner
    c = clock.complaint
    if clock.kind == ClockKind.DEPT_REPORT:
        dept = c.responsible_department
        return c.responsible_person or (dept.head if dept else None)
    if clock.kind == ClockKind.ASSIGN:
        return c.agent.supervisor or c.agent
    return c.agent


def clocks_remind(*, now=None, batch: int = 500) -> dict:
    """Notify owners of clocks due within 30 minutes, agents of revisits due within a day, and
    supervisors of overdue clocks. Each notice once: its key (unique constraint) decides, and the
    clock's ``*_notified_at`` keeps the next run's batch on clocks not yet noticed."""
    now = now or timezone.now()
    sent = {"soon": 0, "overdue": 0}
    base = (ComplaintClock.objects.filter(state=ClockState.RUNNING)
            .select_related("complaint__agent__supervisor", "complaint__responsible_person",
                            "complaint__responsible_department__head", "owner__supervisor")
            .order_by("due_at"))
    soon = base.filter(
        Q(due_at__lte=now + dt.timedelta(minutes=30)) | Q(kind=ClockKind.REVISIT, due_at__lte=now + dt.timedelta(days=1)),
        due_at__gt=now, soon_notified_at__isnull=True,
    )
    for clock in soon[:batch]:
        params = {"number": clock.complaint.number, "clock": ClockKind(clock.kind).label,
                  "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")}
        if clock.kind == ClockKind.REVISIT:
            message = gettext_lazy("Revisit the customer of complaint %(number)s by %(due)s.")
        else:
            message = gettext_lazy("Complaint %(number)s: “%(clock)s” is due at %(due)s.")
        with transaction.atomic():
            owner = _clock_owner(clock)
            if owner is not None and notification_send(recipient=owner, key=f"complaint-clock:{clock.pk}:soon",
                                                       link=_link(clock.complaint), message=message, params=params):
                sent["soon"] += 1
            ComplaintClock.objects.filter(pk=clock.pk).update(soon_notified_at=now)
    overdue = base.filter(due_at__lte=now, overdue_notified_at__isnull=True)
    for clock in overdue[:batch]:
        agent = clock.complaint.agent
        owner_supervisor = clock.owner.supervisor if clock.owner_id else None
        with transaction.atomic():
            if notification_send(
                    recipient=owner_supervisor or agent.supervisor or agent, key=f"complaint-clock:{clock.pk}:overdue",
                    link=_link(clock.complaint),
                    message=gettext_lazy("Complaint %(number)s is overdue: “%(clock)s” was due at %(due)s."),
                    params={"number": clock.complaint.number, "clock": ClockKind(clock.kind).label,
                            "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")}):
                sent["overdue"] += 1
            ComplaintClock.objects.filter(pk=clock.pk).update(overdue_notified_at=now)
    return sent
