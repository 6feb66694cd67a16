"""factory-boy factories for every app's models. Apps add theirs below, one section each."""

import factory
from django.contrib.auth import get_user_model

from staff.models import Department, Employee, Notification
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


# --- complaints ------------------------------------------------------------------------------------


# --- attendance ------------------------------------------------------------------------------------


# --- scoring ---------------------------------------------------------------------------------------


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
