"""Employees: agents in teams of about 20 under supervisors, in 客服部."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from csmgmt.core.roles import Role
from staff.models import Department, Employee
from staff.services import roles_set

from .base import analyze, person_name


def generate(ctx, n):
    User = get_user_model()
    cs, _ = Department.objects.get_or_create(code="CS", defaults={"name": "客服部", "kind": Department.Kind.CUSTOMER_SERVICE})
    generated = Employee.objects.filter(employee_no__regex=r"^LT[0-9]{5}$")  # LT: load test (LG001 is a demo login)
    existing = generated.count()
    password = make_password("demo")
    created = []
    supervisors = []
    for i in range(existing, n):
        no = f"LT{i:05d}"
        team = f"{i // 20 + 1}组"
        user = User(username=no.lower(), password=password, first_name="")
        created.append((no, team, user))
    User.objects.bulk_create([u for _no, _t, u in created], batch_size=2000)
    users = {u.username: u for u in User.objects.filter(username__in=[no.lower() for no, _t, _u in created])}
    employees = [Employee(user=users[no.lower()], employee_no=no, name=person_name(ctx.rng), department=cs, team=team)
                 for no, team, _u in created]
    Employee.objects.bulk_create(employees, batch_size=2000)
    # The first of each team of 20 is its supervisor.
    all_lg = list(generated.select_related("user").order_by("employee_no"))
    for idx, e in enumerate(all_lg):
        if idx % 20 == 0:
            supervisors.append(e)
    sup_ids = {e.pk for e in supervisors}
    for idx, e in enumerate(all_lg):
        boss = supervisors[idx // 20]
        if e.pk != boss.pk and e.supervisor_id != boss.pk:
            Employee.objects.filter(pk=e.pk).update(supervisor=boss)
    for e in all_lg[existing:]:
        roles_set(user=e.user, roles=[Role.SUPERVISOR] if e.pk in sup_ids else [Role.AGENT])
    ctx.ids["agents"] = [e.pk for e in all_lg if e.pk not in sup_ids] or [e.pk for e in all_lg]
    ctx.ids["employees"] = [e.pk for e in all_lg]
    ctx.ids["supervisors"] = sorted(sup_ids)
    analyze(Employee)  # as autovacuum would soon: unanalysed, the planner took 200 employees for one
    ctx.say(f"  employees: {len(all_lg)} (created {len(created)})")
    return len(created)
