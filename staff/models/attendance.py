"""Attendance (REGULATIONS §4 and §7): shifts, rosters, punches, day statuses, leave, corrections
and the duty/handover log. Writes live in ``staff/attendance/services/``; leave requests, corrections and
duty-log entries move through the workflows of ``staff/attendance/workflow.py``, each with its event table."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from csmgmt.core.models import WorkflowEvent

from .people import Employee


class Shift(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=50)
    is_rest = models.BooleanField(_("rest day"), default=False)
    start = models.TimeField(_("start"), null=True, blank=True)
    end = models.TimeField(_("end"), null=True, blank=True)
    crosses_midnight = models.BooleanField(_("ends the next day"), default=False)
    grace_minutes = models.PositiveSmallIntegerField(_("grace minutes"), default=0)
    late_threshold_minutes = models.PositiveSmallIntegerField(_("late threshold (minutes)"), default=30)
    early_threshold_minutes = models.PositiveSmallIntegerField(_("early-leave threshold (minutes)"), default=30)
    window_before_minutes = models.PositiveSmallIntegerField(_("punch window before start (minutes)"), default=120)
    window_after_minutes = models.PositiveSmallIntegerField(_("punch window after end (minutes)"), default=240)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["is_rest", "start", "code"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_rest=True) | (Q(start__isnull=False) & Q(end__isnull=False)),
                name="shift_times_unless_rest",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="shift_code_not_empty"),
        ]

    def __str__(self):
        return self.code

    @property
    def shown_code(self):
        """The code as people read it: a rest day shows 休息 ("Rest"); REST stays the stored and imported code."""
        return pgettext("shift", "Rest") if self.is_rest else self.code


class RosterEntry(models.Model):
    """One cell of the roster: the shift an employee works on a date (``shift`` empty = cleared)."""

    # No index of its own: the (employee, date) unique constraint leads with it. With a plain employee index
    # beside it the planner looked a month up through that one and discarded the other ~480 days of history
    # row by row (issue 19).
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="roster_entries", db_index=False)
    date = models.DateField(_("date"))
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    set_by = models.ForeignKey(Employee, verbose_name=_("set by"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="roster_one_per_day")]
        # A month of the department (the team grid, the workbook, a day's recompute) is read by date: the date
        # index carries the shift so such reads need not visit the table.
        indexes = [models.Index(fields=["date", "employee"], include=["shift"], name="roster_date_shift_idx")]

    def __str__(self):
        return f"{self.employee_id} {self.date} {self.shift_id}"


class Punch(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Clock button")
        MANUAL = "manual", _("Entered by a supervisor")
        IMPORT = "import", _("Time-clock import")
        CORRECTION = "correction", _("Approved correction")

    class Direction(models.TextChoices):
        NONE = "", _("Not given")
        IN = "in", _("In")
        OUT = "out", _("Out")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="punches")
    at = models.DateTimeField(_("time"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, blank=True, default="")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(Employee, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("punch")
        verbose_name_plural = _("punches")
        constraints = [
            models.UniqueConstraint(fields=["employee", "at"], name="punch_once_per_time"),
            models.CheckConstraint(condition=~Q(source="manual") | ~Q(reason=""), name="manual_punch_has_reason"),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.at:%Y-%m-%d %H:%M:%S}"


class DayStatus(models.Model):
    """The judged status of one rostered day (recomputed from roster, punches, leave, corrections)."""

    class Code(models.TextChoices):
        PRESENT = "P", _("On time")
        LATE = "L", _("Late")
        EARLY = "E", _("Early leave")
        LATE_EARLY = "LE", _("Late and early leave")
        MISSED = "M", _("Missed punch")
        ABSENT = "A", _("Absent")
        LEAVE = "V", _("On leave")
        REST = "R", _("Rest")
        NONE = "", _("No status")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        CORRECTION = "correction", _("Correction")

    # No index of its own: the (employee, date) unique constraint leads with it (as for roster entries).
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="day_statuses", db_index=False)
    date = models.DateField(_("date"))
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    code = models.CharField(_("status"), max_length=2, choices=Code.choices, blank=True, default="")
    computed_code = models.CharField(_("computed status"), max_length=2, choices=Code.choices, blank=True,
                                     default="")
    late_minutes = models.PositiveIntegerField(_("late minutes"), default=0)
    early_minutes = models.PositiveIntegerField(_("early minutes"), default=0)
    late_over = models.BooleanField(_("late beyond the threshold"), default=False)
    early_over = models.BooleanField(_("early leave beyond the threshold"), default=False)
    clock_in = models.DateTimeField(_("clock-in"), null=True, blank=True)
    clock_out = models.DateTimeField(_("clock-out"), null=True, blank=True)
    leave_fraction = models.DecimalField(_("leave (days)"), max_digits=3, decimal_places=1, default=0)
    leave_kind = models.CharField(_("leave type"), max_length=12, blank=True, default="")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.COMPUTED)
    pending = models.BooleanField(_("day not over yet"), default=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("day status")
        verbose_name_plural = _("day statuses")
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="daystatus_one_per_day")]
        indexes = [models.Index(fields=["date", "employee"], name="daystatus_date_idx")]

    def __str__(self):
        return f"{self.employee_id} {self.date} {self.code}"


class LeaveRequest(models.Model):
    class Kind(models.TextChoices):
        SICK = "sick", _("Sick leave")
        PERSONAL = "personal", _("Personal leave")
        OFFICIAL = "official", _("Official leave")
        COMP = "comp", _("Compensatory time off")
        ANNUAL = "annual", _("Annual leave")

    class Part(models.TextChoices):
        FULL = "full", _("Whole days")
        FIRST_HALF = "first_half", _("First half of the shift")
        SECOND_HALF = "second_half", _("Second half of the shift")

    class State(models.TextChoices):
        PENDING_SUPERVISOR = "pending_supervisor", _("Waiting for the supervisor")
        PENDING_MANAGER = "pending_manager", _("Waiting for the manager")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")
        ABSENT = "absent", _("Recorded as absent: no certificate")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="leave_requests")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    part = models.CharField(_("part of the day"), max_length=12, choices=Part.choices, default=Part.FULL)
    reason = models.CharField(_("reason"), max_length=500)
    emergency = models.BooleanField(_("emergency"), default=False)
    certificate = models.FileField(_("certificate"), upload_to="attendance/certificates/%Y/%m/", blank=True)
    # A photo certificate is shown only as this re-encoded copy; the original is only ever downloaded.
    certificate_display = models.FileField(_("copy shown"), upload_to="attendance/certificates/display/%Y/%m/",
                                           blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING_SUPERVISOR)
    created = models.DateTimeField(_("requested at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # REGULATIONS §4 (emergency): the supervisor records a phoned-in leave with the time of the call
    called_at = models.DateTimeField(_("phoned in at"), null=True, blank=True)
    # the supervisor kept a sick leave whose certificate did not come in time
    certificate_kept_at = models.DateTimeField(_("kept without a certificate at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="leave_dates_ordered"),
            models.CheckConstraint(condition=Q(part="full") | Q(start_date=models.F("end_date")),
                                   name="leave_half_day_is_one_day"),
        ]
        indexes = [
            models.Index(fields=["employee", "start_date"], name="leave_employee_idx"),
            models.Index(fields=["state", "start_date"], name="leave_state_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_date}–{self.end_date}"

    @property
    def days(self):
        if self.part != self.Part.FULL:
            return 0.5
        return (self.end_date - self.start_date).days + 1

    def needs_certificate(self) -> bool:
        """A sick leave of a whole day or more, still standing, with no certificate and not kept without one."""
        return (self.kind == self.Kind.SICK and self.part == self.Part.FULL and not self.certificate
                and self.certificate_kept_at is None
                and self.state in (self.State.PENDING_SUPERVISOR, self.State.PENDING_MANAGER, self.State.APPROVED))


class LeaveEvent(WorkflowEvent):
    """One move of a leave request (who, when, from, to, comment, data), written by the workflow engine."""

    ACTIONS = {"request": _("Requested"), "approve": _("Approved"), "refuse": _("Refused"),
               "cancel": _("Cancelled"), "phone_in": _("Phoned in, recorded by the supervisor"),
               "add_certificate": _("Certificate added"), "keep_leave": _("Kept without a certificate"),
               "make_absent": _("Recorded as absent: no certificate")}

    leave = models.ForeignKey(LeaveRequest, verbose_name=_("leave request"), on_delete=models.PROTECT,
                              related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("leave event")
        verbose_name_plural = _("leave events")
        indexes = [models.Index(fields=["leave", "at"], name="leave_event_idx")]

    def __str__(self):
        return f"{self.leave_id} {self.action}"

    def action_label(self):
        return self.ACTIONS.get(self.action, self.action)

    def from_label(self):
        return LeaveRequest.State(self.from_state).label if self.from_state else "—"

    def to_label(self):
        return LeaveRequest.State(self.to_state).label


class AttendanceSettings(models.Model):
    """One row (pk=1): the leave rules a manager edits (REGULATIONS §4); the history keeps every edit."""

    long_leave_days = models.PositiveSmallIntegerField(
        _("long-leave threshold (days)"), default=3,
        help_text=_("Leave longer than this many days needs a manager's approval after the supervisor's."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance settings")
        verbose_name_plural = _("attendance settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="attendance_settings_single_row"),
            models.CheckConstraint(condition=Q(long_leave_days__gte=1), name="attendance_long_leave_at_least_1"),
        ]

    def __str__(self):
        return str(_("Attendance settings"))


class LeaveDeputy(models.Model):
    """A deputy a manager names for a supervisor for a period (REGULATIONS §4): gives the first level of leave for
    that supervisor's team. Never deleted: withdrawing it records when and by whom."""

    supervisor = models.ForeignKey(Employee, verbose_name=_("supervisor"), on_delete=models.PROTECT,
                                   related_name="+")
    deputy = models.ForeignKey(Employee, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    named_by = models.ForeignKey(Employee, verbose_name=_("named by"), on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("named at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(Employee, verbose_name=_("withdrawn by"), on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("leave deputy")
        verbose_name_plural = _("leave deputies")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="deputy_dates_ordered"),
            models.CheckConstraint(condition=~Q(deputy=models.F("supervisor")), name="deputy_not_the_supervisor"),
        ]
        indexes = [models.Index(fields=["supervisor", "deputy", "start_date"], name="deputy_supervisor_idx")]

    def __str__(self):
        return f"{self.deputy_id} → {self.supervisor_id} {self.start_date}–{self.end_date}"


class Correction(models.Model):
    """补卡: fix a missed punch (adds a punch) or a wrong status (overrides the day's code)."""

    class Kind(models.TextChoices):
        PUNCH = "punch", _("Missed punch")
        STATUS = "status", _("Wrong status")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the supervisor")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="corrections")
    date = models.DateField(_("date"))
    kind = models.CharField(_("what to fix"), max_length=10, choices=Kind.choices)
    punch_at = models.DateTimeField(_("punch time"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Punch.Direction.choices, blank=True,
                                 default="")
    requested_code = models.CharField(_("correct status"), max_length=2, choices=DayStatus.Code.choices,
                                      blank=True, default="")
    reason = models.CharField(_("reason"), max_length=500)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(Employee, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.CharField(_("comment"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        indexes = [
            models.Index(fields=["employee", "date"], name="correction_employee_idx"),
            models.Index(fields=["state", "created"], name="correction_state_idx"),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.date} {self.kind}"


class CorrectionEvent(WorkflowEvent):
    """One move of an attendance correction (asked, approved, refused), written by the workflow engine."""

    correction = models.ForeignKey(Correction, verbose_name=_("attendance correction"), on_delete=models.PROTECT,
                                   related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("correction event")
        verbose_name_plural = _("correction events")
        indexes = [models.Index(fields=["correction", "at"], name="correction_event_idx")]

    def __str__(self):
        return f"{self.correction_id} {self.action}"


class DutyLogEntry(models.Model):
    """交接班: one entry per shift, signed by the outgoing and the incoming employee; frozen once
    the incoming employee has signed. An addendum is a new entry pointing at the one it adds to.
    ``state`` says which signatures it has (the timestamps say when)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED_BY_OUTGOING = "signed_by_outgoing", _("Signed by the outgoing employee")
        SIGNED_BY_BOTH = "signed_by_both", _("Signed by both")

    date = models.DateField(_("date"))
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="+")
    duty_manager = models.CharField(_("duty manager"), max_length=100, blank=True)
    events = models.TextField(_("events"), blank=True)
    unfinished_work = models.TextField(_("unfinished work"), blank=True)
    complaints_in_progress = models.TextField(_("complaints in progress"), blank=True)
    handed_over = models.TextField(_("items and keys handed over"), blank=True)
    instructions = models.TextField(_("instructions from above"), blank=True)
    problems_found = models.TextField(_("problems found at handover"), blank=True)
    # REGULATIONS §7: the entry starts from what is open — listed automatically when the outgoing employee signs
    # (complaints in progress, promised replies, repair requests not done, items in custody; see
    # ``csmgmt.core.registry.register_open_items``)
    open_items = models.JSONField(_("open at signing"), default=list, blank=True)
    open_items_at = models.DateTimeField(_("open items listed at"), null=True, blank=True)
    addendum_to = models.ForeignKey("self", verbose_name=_("addendum to"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="addenda")
    outgoing = models.ForeignKey(Employee, verbose_name=_("outgoing employee"), on_delete=models.PROTECT,
                                 related_name="+")
    outgoing_signed_at = models.DateTimeField(_("signed by the outgoing employee"), null=True, blank=True)
    incoming = models.ForeignKey(Employee, verbose_name=_("incoming employee"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    incoming_signed_at = models.DateTimeField(_("signed by the incoming employee"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created", "-id"]
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")
        constraints = [
            models.UniqueConstraint(fields=["date", "shift"], condition=Q(addendum_to__isnull=True),
                                    name="duty_one_entry_per_shift"),
            models.CheckConstraint(
                condition=(Q(state="draft", outgoing_signed_at__isnull=True, incoming_signed_at__isnull=True)
                           | Q(state="signed_by_outgoing", outgoing_signed_at__isnull=False,
                               incoming_signed_at__isnull=True)
                           | Q(state="signed_by_both", outgoing_signed_at__isnull=False,
                               incoming_signed_at__isnull=False)),
                name="duty_state_matches_signatures"),
        ]
        indexes = [models.Index(fields=["-created"], name="duty_created_idx")]

    def __str__(self):
        return f"{self.date} {self.shift_id}"

    @property
    def is_signed(self):
        return self.state == self.State.SIGNED_BY_BOTH

    def open_groups(self):
        """The open items listed at signing, grouped by kind (no query)."""
        from staff.attendance.duty_open import open_groups

        return open_groups(self.open_items)


class DutyLogEvent(WorkflowEvent):
    """One move of a duty-log entry (written, edited, signed by the outgoing, signed by the incoming)."""

    ACTIONS = {"create": _("Written"), "edit": _("Edited"), "sign_outgoing": _("Signed by the outgoing employee"),
               "sign_incoming": _("Signed by the incoming employee")}

    entry = models.ForeignKey(DutyLogEntry, verbose_name=_("duty log entry"), on_delete=models.PROTECT,
                              related_name="trail")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("duty log event")
        verbose_name_plural = _("duty log events")
        indexes = [models.Index(fields=["entry", "at"], name="duty_event_idx")]

    def __str__(self):
        return f"{self.entry_id} {self.action}"

    def action_label(self):
        return self.ACTIONS.get(self.action, self.action)


class DutyDaySignoff(models.Model):
    """The supervisor's signature under one day's duty log."""

    date = models.DateField(_("date"), unique=True)
    supervisor = models.ForeignKey(Employee, verbose_name=_("supervisor"), on_delete=models.PROTECT,
                                   related_name="+")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("duty log day signature")
        verbose_name_plural = _("duty log day signatures")
