"""``import_calls``: bring in an existing call register (CSV or XLSX). Every row is checked first;
one bad row and nothing is written. Columns are documented in ``docs/tickets.md``."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from csmgmt.core.numbering import number_next
from csmgmt.core.tabular import ImportRejected, RowError, read_table
from staff.models import Department, Employee

from .models import AddressForm, Call
from .phones import normalize_phone
from .services import call_registered, customer_for_phone

REQUIRED = ("received_at", "caller_phone", "category", "summary", "agent_no")
OPTIONAL = ("channel", "direction", "caller_name", "address_form", "organisation", "details", "importance",
            "urgency", "outcome", "department", "reply_due_at", "status")

DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d",
                    "%Y/%m/%d")


def _choice_map(choices, extra=None) -> dict:
    """Accept the code (``phone``), the English or the Chinese label (``电话``, ``Phone (电话)``)."""
    out = {}
    for value, label in choices:
        label = str(label)
        out[value.lower()] = value
        out[label.lower()] = value
        if "(" in label:
            english, chinese = label.split("(", 1)
            out[english.strip().lower()] = value
            out[chinese.rstrip(")").strip()] = value
    out.update(extra or {})
    return out


CHANNELS = _choice_map(Call.Channel.choices, {"电话": "phone", "邮件": "email", "email": "email", "微信": "chat"})
DIRECTIONS = _choice_map(Call.Direction.choices, {"": "in"})
CATEGORIES = _choice_map(Call.Category.choices)
OUTCOMES = _choice_map(Call.Outcome.choices, {"已解决": "resolved", "待回复": "reply_promised",
                                              "转部门": "transferred", "转投诉": "complaint"})
LEVELS = _choice_map(Call.Level.choices, {"低": "low", "中": "normal", "一般": "normal", "普通": "normal",
                                          "高": "high", "紧急": "high", "重要": "high"})
ADDRESS = {"": "", "先生": "mr", "女士": "ms", "mr": "mr", "ms": "ms", "mrs": "ms", "miss": "ms"}
STATUSES = {"": None, "open": "open", "closed": "closed", "未结": "open", "已结": "closed", "已结束": "closed"}


def _parse_dt(text: str) -> dt.datetime | None:
    for fmt in DATETIME_FORMATS:
        try:
            return timezone.make_aware(dt.datetime.strptime(text.strip(), fmt))
        except ValueError:
            continue
    return None


@dataclass
class CallImportResult:
    created: int
    numbers: list


def calls_import(*, file, by: Employee | None, name: str | None = None) -> CallImportResult:
    rows = read_table(file, name=name, required=REQUIRED, max_rows=settings.IMPORT_MAX_ROWS_CALLS)
    agents = {e.employee_no.lower(): e for e in Employee.objects.select_related("user")}
    departments = {}
    for d in Department.objects.all():
        departments[d.code.lower()] = d
        departments[d.name.lower()] = d
    errors: list[RowError] = []
    parsed = []
    now = timezone.now()
    for row in rows:
        v = {k: (row.values.get(k) or "").strip() for k in (*REQUIRED, *OPTIONAL)}
        problems = []

        received_at = _parse_dt(v["received_at"])
        if received_at is None:
            problems.append(_("received_at %(value)r is not a date and time like 2026-11-23 09:30.")
                            % {"value": v["received_at"]})
        elif received_at > now:
            problems.append(_("received_at is in the future."))
        phone = normalize_phone(v["caller_phone"])
        if v["caller_phone"] and len(phone) < 5:
            problems.append(_("caller_phone %(value)r is not a phone number.") % {"value": v["caller_phone"]})

        def pick(column, mapping, default=None):
            raw = v[column]
            if not raw and default is not None:
                return default
            value = mapping.get(raw.lower())
            if value is None:
                problems.append(_("%(column)s %(value)r is not one of the allowed values.")
                                % {"column": column, "value": raw})
            return value

        channel = pick("channel", CHANNELS, "phone")
        direction = pick("direction", DIRECTIONS, "in")
        category = pick("category", CATEGORIES)
        outcome = pick("outcome", OUTCOMES, "resolved")
        importance = pick("importance", LEVELS, "normal")
        urgency = pick("urgency", LEVELS, "normal")
        address_form = pick("address_form", ADDRESS, "")
        status = pick("status", STATUSES, "") if v["status"] else None
        if not v["summary"]:
            problems.append(_("summary is empty."))
        elif len(v["summary"]) > 200:
            problems.append(_("summary is longer than 200 characters."))
        agent = agents.get(v["agent_no"].lower())
        if agent is None:
            problems.append(_("agent_no %(value)r is not an employee number.") % {"value": v["agent_no"]})
        department = None
        if v["department"]:
            department = departments.get(v["department"].lower())
            if department is None:
                problems.append(_("department %(value)r is unknown.") % {"value": v["department"]})
        if outcome == "transferred" and department is None and not v["department"]:
            problems.append(_("a transferred call needs its department."))
        reply_due_at = None
        if v["reply_due_at"]:
            reply_due_at = _parse_dt(v["reply_due_at"])
            if reply_due_at is None:
                problems.append(_("reply_due_at %(value)r is not a date and time.") % {"value": v["reply_due_at"]})
        for column, limit in (("caller_name", 100), ("organisation", 200)):
            if len(v[column]) > limit:
                problems.append(_("%(column)s is longer than %(n)s characters.") % {"column": column, "n": limit})
        if problems:
            errors.append(RowError(row.number, " ".join(problems)))
            continue
        # a missing promised-reply time starts on the settings' rule in ``call_registered``
        if status is None:
            status = "closed" if outcome == "resolved" else "open"
        parsed.append(dict(
            received_at=received_at, channel=channel, direction=direction, caller_phone=phone,
            caller_name=v["caller_name"], address_form=address_form, organisation=v["organisation"],
            category=category, summary=v["summary"], details=v["details"], importance=importance, urgency=urgency,
            outcome=outcome, department=department if outcome == "transferred" else None,
            reply_due_at=reply_due_at if outcome != "resolved" else None, agent=agent, owner=agent,
            closed=status == "closed",
        ))
    if not rows:
        errors.append(RowError(1, _("The file has no rows to import.")))
    if errors:
        raise ImportRejected(errors)
    numbers = []
    with transaction.atomic():
        for fields in parsed:
            closed = fields.pop("closed")
            customer = customer_for_phone(number=fields["caller_phone"], name=fields["caller_name"],
                                          organisation=fields["organisation"], address_form=fields["address_form"],
                                          by=by)
            number = number_next(prefix="LD", period=timezone.localtime(fields["received_at"]).strftime("%Y%m%d"))
            call = Call(number=number, customer=customer, **fields)
            call._change_reason = "import_calls"
            call_registered(call=call, by=by, closed_at=call.received_at if closed else None)
            numbers.append(number)
    return CallImportResult(created=len(numbers), numbers=numbers)


assert set(ADDRESS.values()) <= set(AddressForm.values)


def calls_import_run(file, name, by, options) -> str:
    """The background-import entry (csmgmt.imports): import and say what happened."""
    result = calls_import(file=file, by=by, name=name)
    return gettext("Imported %(n)s calls.") % {"n": result.created}
