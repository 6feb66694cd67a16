"""factory-boy factories for every app's models. Apps add theirs below, one section each."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from csmgmt.core.models import Notification
from staff.models import Department, Employee
from staff.services import roles_set


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"部门{n}")
    code = factory.Sequence(lambda n: f"D{n}")
    kind = Department.Kind.RESPONSIBLE


def cs_department():
    return DepartmentFactory(name="客服部", code="CS", kind=Department.Kind.CUSTOMER_SERVICE)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = ""
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    department = factory.LazyFunction(cs_department)
    team = "一组"
    phone = ""

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            roles_set(user=obj.user, roles=extracted)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(EmployeeFactory)
    text = factory.Sequence(lambda n: f"通知 {n}")
    link = ""


# --- tickets (call intake) -------------------------------------------------------------------------
# (add below; keep one blank line before the next section marker)

def _now():
    from django.utils import timezone

    return timezone.now()


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tickets.Customer"

    name = factory.Sequence(lambda n: f"客户{n}")


class CustomerPhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tickets.CustomerPhone"

    customer = factory.SubFactory(CustomerFactory)
    number = factory.Sequence(lambda n: f"139{n:08d}")


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tickets.Call"

    number = factory.Sequence(lambda n: f"LD-TEST-{n + 1:05d}")
    received_at = factory.LazyFunction(_now)
    caller_phone = factory.Sequence(lambda n: f"138{n:08d}")
    caller_name = factory.Sequence(lambda n: f"来电人{n}")
    category = "enquiry"
    summary = factory.Sequence(lambda n: f"咨询事项{n}")
    outcome = "resolved"
    status = "closed"
    agent = factory.SubFactory(EmployeeFactory, roles=["agent"])
    owner = factory.SelfAttribute("agent")


class CallRevisitFactory(factory.django.DjangoModelFactory):
    """A pending revisit of a call (issue 20), due ``due_at`` (two calendar days after the call by default)."""

    class Meta:
        model = "tickets.CallRevisit"

    call = factory.SubFactory(CallFactory)
    due_from = factory.LazyAttribute(lambda o: o.call.received_at)
    due_at = factory.LazyAttribute(lambda o: o.due_from + dt.timedelta(days=2))
    due_days = 2
    due_unit = "calendar"


# --- complaints ------------------------------------------------------------------------------------
from django.utils import timezone as _complaints_tz  # noqa: E402


class ComplaintCallFactory(CallFactory):
    """An open complaint call with a promised reply, to open complaints from."""

    number = factory.Sequence(lambda n: f"LD-202611-{n:04d}")
    received_at = factory.LazyFunction(lambda: _complaints_tz.now())
    channel = "phone"
    caller_phone = "13812345678"
    caller_name = "林女士"
    category = "complaint"
    summary = "快递包裹破损"
    details = "收到的商品外包装破损，里面的杯子碎了两个。"
    outcome = "reply_promised"
    status = "open"
    reply_due_at = factory.LazyAttribute(lambda o: o.received_at + _complaints_tz.timedelta(hours=2))
    agent = factory.SubFactory(EmployeeFactory)


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint put straight at ``stage`` (tests only: the app moves stages through the service)."""

    class Meta:
        model = "complaints.Complaint"

    number = factory.Sequence(lambda n: f"TS-202611-{n + 1:04d}")
    received_at = factory.LazyFunction(lambda: _complaints_tz.now())
    channel = "phone"
    complainant_name = factory.Sequence(lambda n: f"客户{n}")
    complainant_phone = "13812345678"
    content = "送货员态度恶劣，包裹破损。"
    demand = "apology"
    agent = factory.SubFactory(EmployeeFactory)
    stage = "analyse"


class ComplaintEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "complaints.ComplaintEvent"

    complaint = factory.SubFactory(ComplaintFactory)
    action = "receive"
    from_stage = ""
    to_stage = "analyse"
    by = factory.SelfAttribute("complaint.agent")
    at = factory.LazyFunction(lambda: _complaints_tz.now())



# --- attendance ------------------------------------------------------------------------------------
from django.utils import timezone  # noqa: E402


def shift(code):
    """One of the shifts the data migration seeds (A, B, W, N, REST). A transactional test (e2e,
    races) flushes the tables, data-migration rows included, so they are seeded again when missing."""
    import importlib

    from django.apps import apps

    from staff.models import Shift

    found = Shift.objects.filter(code=code).first()
    if found is None:
        importlib.import_module("staff.migrations.0004_attendance_default_shifts").create_shifts(apps, None)
        found = Shift.objects.get(code=code)
    return found


class RosterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.RosterEntry"

    employee = factory.SubFactory(EmployeeFactory)
    date = factory.LazyFunction(lambda: timezone.localdate())
    shift = factory.LazyFunction(lambda: shift("A"))


class PunchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.Punch"

    employee = factory.SubFactory(EmployeeFactory)
    at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0))
    source = "import"


class LeaveRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.LeaveRequest"

    employee = factory.SubFactory(EmployeeFactory)
    kind = "annual"
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    end_date = factory.SelfAttribute("start_date")
    reason = "家里有事"


class DutyLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.DutyLogEntry"

    date = factory.LazyFunction(lambda: timezone.localdate())
    shift = factory.LazyFunction(lambda: shift("A"))
    outgoing = factory.SubFactory(EmployeeFactory)
    events = "早班无异常"
    outgoing_signed_at = None
    incoming_signed_at = None
    state = factory.LazyAttribute(  # what its signatures say
        lambda o: "signed_by_both" if o.incoming_signed_at else "signed_by_outgoing" if o.outgoing_signed_at else "draft")


# --- scoring ---------------------------------------------------------------------------------------


class ManualCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.ManualCategory"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    kind = "violation"


class ManualEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.ManualEntry"

    employee = factory.SubFactory(EmployeeFactory)
    category = factory.SubFactory(ManualCategoryFactory, code="conduct")
    date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 11, 2))
    note = "与同事争吵"
    recorded_by = factory.SubFactory(EmployeeFactory)


class ScoreMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.ScoreMonth"
        django_get_or_create = ("year", "month")

    year = 2026
    month = 11


def _points_rule(code):
    from staff.models import Rule

    return Rule.objects.get(rule_set__code="points", code=code)


class PenaltyRecordFactory(factory.django.DjangoModelFactory):
    """An absence (−5 points) of the points preset (installed by its migration) in 2026-11."""

    class Meta:
        model = "staff.PenaltyRecord"

    score_month = factory.SubFactory(ScoreMonthFactory)
    employee = factory.SubFactory(EmployeeFactory)
    department = factory.SelfAttribute("employee.department")
    rule = factory.LazyFunction(lambda: _points_rule("absent"))
    kind = "occurrence"
    key = factory.Sequence(lambda n: f"attendance:day:{n + 1}")
    source = factory.SelfAttribute("key")
    occurrence = 1
    tier = "1+"
    date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 11, 3))
    points = factory.LazyFunction(lambda: __import__("decimal").Decimal("-5"))


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.Appeal"

    record = factory.SubFactory(PenaltyRecordFactory)
    employee = factory.SelfAttribute("record.employee")
    reason = "那天我请了病假"


# --- lost and found --------------------------------------------------------------------------------


def _now():
    from django.utils import timezone

    return timezone.now()


class FoundItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "lostfound.FoundItem"

    number = factory.Sequence(lambda n: f"SW-202611-{n + 1:04d}")
    source = "visitor"
    category = "phone"
    description = "黑色苹果手机"
    found_place = "一号门"
    found_at = factory.LazyFunction(_now)
    finder_name = "游客"
    received_by = factory.SubFactory(EmployeeFactory)
    valuable = factory.LazyAttribute(lambda o: o.category in ("cash", "phone", "camera"))


class LostReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "lostfound.LostReport"

    number = factory.Sequence(lambda n: f"GS-202611-{n + 1:04d}")
    owner_name = "王女士"
    owner_phone = "13912345678"
    category = "phone"
    description = "黑色苹果手机"
    lost_place = "一号门"
    lost_at = factory.LazyFunction(_now)
    received_by = factory.SubFactory(EmployeeFactory)


# --- knowledge ---------------------------------------------------------------------------------------


class ArticleFactory(factory.django.DjangoModelFactory):
    """An article saved directly in the state asked for (the workflow's tests then move it through the services)."""

    class Meta:
        model = "knowledge.Article"

    question = factory.Sequence(lambda n: f"常见问题{n}")
    answer = "按流程处理，并告知客户结果。"
    category = "enquiry"
    tags = ""
    state = "published"
    created_by = factory.SubFactory(EmployeeFactory, roles=["supervisor"])
    reviewed_by = factory.LazyAttribute(lambda o: o.created_by if o.state != "draft" else None)
    reviewed_at = factory.LazyAttribute(lambda o: _now() if o.state != "draft" else None)
