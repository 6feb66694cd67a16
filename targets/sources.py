"""The sources of five of the six target figures (REGULATIONS §10, the table of issue 20), over calls and
complaints; registered with ``csmgmt.core.registry`` from ``TargetsConfig.ready()``. QA score and the calls'
satisfaction come from the quality and revisit apps through the same registry.

Each ``per_employee(start, end)`` is one aggregate query: ``{employee_id: (numerator, denominator)}`` for the
records whose "month of" moment falls in ``[start, end)``, grouped by whom the figure is "attributed to". Each
``per_month(start, end)`` is the same query grouped by month instead (the trend): ``{(year, month): (n, d)}``.

A record whose outcome is not known yet is left out until it is: a promised reply not yet due and not yet met, a
response whose 7 days are still running without a revisit, a clock still running before its due time.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import BigIntegerField, Case, Count, DateField, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from complaints.models import ClockKind, ClockState, Complaint, ComplaintClock, ComplaintEvent, Stage
from tickets.models import Call, CallEvent

REVISIT_WITHIN = dt.timedelta(days=7)  # "complaints revisited within 7 days of the response" (issue 20)


def _month(field: str):
    return TruncMonth(field, output_field=DateField(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _by_employee(qs) -> dict:
    return {who: (num or 0, den) for who, num, den in qs.order_by()}


def _by_month(qs) -> dict:
    return {(m.year, m.month): (num or 0, den) for m, num, den in qs.order_by()}


# --- 问题解决率 first-contact resolution: tickets ---------------------------------------------------------
# inbound calls resolved on the call (outcome "resolved", as the workbook's first-contact resolution rate) / inbound
# calls taken, voided ones left out; the agent who took the call; the month of receipt


def _inbound(start, end):
    return (Call.objects.filter(received_at__gte=start, received_at__lt=end, direction=Call.Direction.INBOUND)
            .exclude(status=Call.Status.VOIDED))


# counted from call_month_figures_idx alone (an index-only scan: no column outside it)
FIRST_CONTACT = {"num": Count("outcome", filter=Q(outcome=Call.Outcome.RESOLVED)), "den": Count("*")}


def first_contact(start, end) -> dict:
    return _by_employee(_inbound(start, end).values_list("agent_id").annotate(**FIRST_CONTACT)
                        .values_list("agent_id", "num", "den"))


def first_contact_months(start, end) -> dict:
    return _by_month(_inbound(start, end).annotate(m=_month("received_at")).values_list("m")
                     .annotate(**FIRST_CONTACT).values_list("m", "num", "den"))


# --- reply on time: tickets' promised replies ------------------------------------------------------------
# a call with a due time for its reply (reply promised, or transferred) is met when it was closed by that time;
# the owner at the due time (the one handing it over after the due time, else its owner now); the month of the due
# time. Counted once met, or once due.


def _replies(start, end, now):
    met = Q(closed_at__isnull=False, closed_at__lte=F("reply_due_at"))
    owner_then = (CallEvent.objects.filter(call=OuterRef("pk"), kind=CallEvent.Kind.HANDOVER,
                                           at__gt=OuterRef("reply_due_at"))
                  .order_by("at", "id").values("from_owner_id")[:1])
    qs = (Call.objects.filter(reply_due_at__gte=start, reply_due_at__lt=end).exclude(status=Call.Status.VOIDED)
          .filter(met | Q(reply_due_at__lte=now)))
    return qs, met, owner_then


def reply_on_time(start, end, *, now=None) -> dict:
    qs, met, owner_then = _replies(start, end, now or timezone.now())
    return _by_employee(qs.annotate(who=Coalesce(Subquery(owner_then), F("owner_id"), output_field=BigIntegerField())).values_list("who")
                        .annotate(num=Count("id", filter=met), den=Count("id")).values_list("who", "num", "den"))


def reply_on_time_months(start, end, *, now=None) -> dict:
    qs, met, _owner = _replies(start, end, now or timezone.now())
    return _by_month(qs.annotate(m=_month("reply_due_at")).values_list("m")
                     .annotate(num=Count("id", filter=met), den=Count("id")).values_list("m", "num", "den"))


# --- complaint clocks met: complaints ------------------------------------------------------------------------
# clocks met / clocks decided, every kind; decided when met (its met time) or when it ran out (its due time: a
# clock missed is missed from that moment, so a month's figure does not change when it is met late); a clock set
# aside is not counted. For the team and department only: each clock under its usual owner (the one reminded: the
# plan's responsible person for the department's report, else the complaint's agent), None when nobody.


def _clocks(start, end, now):
    ran_out_by = min(end, now)
    met = Q(state=ClockState.MET, met_at__gte=start, met_at__lt=end)
    missed = (Q(state=ClockState.MISSED, due_at__gte=start, due_at__lt=end)
              | Q(state=ClockState.RUNNING, due_at__gte=start, due_at__lt=ran_out_by))
    return ComplaintClock.objects.filter(met | missed), Q(state=ClockState.MET)


def _decided_at():
    return Case(When(state=ClockState.MET, then=F("met_at")), default=F("due_at"))


def clocks_met(start, end, *, now=None) -> dict:
    qs, met = _clocks(start, end, now or timezone.now())
    owner = Coalesce(F("owner_id"), Case(When(kind=ClockKind.DEPT_REPORT,
                                              then=F("complaint__responsible_person_id")),
                                         default=F("complaint__agent_id"), output_field=BigIntegerField()),
                     output_field=BigIntegerField())
    return _by_employee(qs.annotate(who=owner).values_list("who")
                        .annotate(num=Count("id", filter=met), den=Count("id")).values_list("who", "num", "den"))


def clocks_met_months(start, end, *, now=None) -> dict:
    qs, met = _clocks(start, end, now or timezone.now())
    moment = TruncMonth(_decided_at(), output_field=DateField(), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return _by_month(qs.annotate(m=moment).values_list("m")
                     .annotate(num=Count("id", filter=met), den=Count("id")).values_list("m", "num", "den"))


# --- revisit rate: complaints --------------------------------------------------------------------------------
# complaints revisited within 7 days of their (last) response / complaints responded; who responded (the last
# "respond" move's author; the complaint's agent when it has no such move, e.g. imported); the month of the
# response. Counted once revisited, or once its 7 days have passed.


def _responded(start, end, now):
    within = Q(revisited_at__isnull=False, revisited_at__gte=F("responded_at"),
               revisited_at__lte=F("responded_at") + REVISIT_WITHIN)
    qs = Complaint.objects.filter(responded_at__gte=start, responded_at__lt=end).filter(
        within | Q(responded_at__lte=now - REVISIT_WITHIN))
    return qs, within


def revisit_rate(start, end, *, now=None) -> dict:
    qs, within = _responded(start, end, now or timezone.now())
    responder = (ComplaintEvent.objects.filter(complaint=OuterRef("pk"), action="respond")
                 .order_by("-at", "-id").values("by_id")[:1])
    return _by_employee(qs.annotate(who=Coalesce(Subquery(responder), F("agent_id"), output_field=BigIntegerField())).values_list("who")
                        .annotate(num=Count("id", filter=within), den=Count("id")).values_list("who", "num", "den"))


def revisit_rate_months(start, end, *, now=None) -> dict:
    qs, within = _responded(start, end, now or timezone.now())
    return _by_month(qs.annotate(m=_month("responded_at")).values_list("m")
                     .annotate(num=Count("id", filter=within), den=Count("id")).values_list("m", "num", "den"))


# --- satisfaction: complaints ---------------------------------------------------------------------------------
# the last revisit of each complaint closed (its answers on attitude and result, 1–5, averaged: one value per
# complaint, as one call revisit is one value); who handled it (the complaint's agent); the month of the close


def _closed(start, end):
    return Complaint.objects.filter(stage=Stage.CLOSED, closed_at__gte=start, closed_at__lt=end,
                                    satisfaction_attitude__isnull=False, satisfaction_result__isnull=False)


SATISFACTION = {"num": Sum(F("satisfaction_attitude") + F("satisfaction_result")), "den": Count("id")}


def _halve(rows: dict) -> dict:
    return {k: (Decimal(num) / 2, den) for k, (num, den) in rows.items()}


def satisfaction(start, end) -> dict:
    return _halve(_by_employee(_closed(start, end).values_list("agent_id").annotate(**SATISFACTION)
                               .values_list("agent_id", "num", "den")))


def satisfaction_months(start, end) -> dict:
    return _halve(_by_month(_closed(start, end).annotate(m=_month("closed_at")).values_list("m")
                            .annotate(**SATISFACTION).values_list("m", "num", "den")))


def register() -> None:
    from csmgmt.core.registry import FigureSource, register_figure_source

    for figure, name, per_employee, per_month in (
        ("first_contact", "calls", first_contact, first_contact_months),
        ("reply_on_time", "promised replies", reply_on_time, reply_on_time_months),
        ("clocks_met", "complaint clocks", clocks_met, clocks_met_months),
        ("revisit_rate", "complaints", revisit_rate, revisit_rate_months),
        ("satisfaction", "complaints", satisfaction, satisfaction_months),
    ):
        register_figure_source(FigureSource(figure=figure, name=name, per_employee=per_employee,
                                            per_month=per_month))
