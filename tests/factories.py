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


# --- lost and found --------------------------------------------------------------------------------
