"""Writes for people, roles and notifications."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from csmgmt.core.roles import Role
from csmgmt.core.tabular import ImportRejected, RowError, read_table

from .models import Department, Employee

User = get_user_model()

EMPLOYEE_COLUMNS = ("employee_no", "name", "department", "team", "roles", "supervisor_no", "phone", "email",
                    "joined_on", "left_on")
OPTIONAL_COLUMNS = ("email", "joined_on", "left_on")  # a column the file lacks leaves the value as it is


def _import_date(value: str) -> dt.date:
    """A date cell: ``YYYY-MM-DD`` (a spreadsheet's date cell reads as that, with or without 00:00:00)."""
    value = value.strip()
    if len(value) == 19 and value.endswith(" 00:00:00"):
        value = value[:10]
    return dt.date.fromisoformat(value)


def _optional_values(v: dict) -> tuple[dict, list[str]]:
    """The optional columns the row's file has: ``{"email": …, "joined_on": date|None, "left_on": …}`` (a blank cell
    clears the value), and the row's problems with them."""
    out, problems = {}, []
    if "email" in v:
        email = v["email"].strip()
        try:
            if email:
                validate_email(email)
        except ValidationError:
            problems.append(_("“%(email)s” is not an e-mail address") % {"email": email})
        out["email"] = email
    for column, label in (("joined_on", _("joined on")), ("left_on", _("left on"))):
        if column not in v:
            continue
        raw = v[column].strip()
        try:
            out[column] = _import_date(raw) if raw else None
        except ValueError:
            problems.append(_("%(column)s “%(value)s” is not a date (YYYY-MM-DD)") % {"column": label, "value": raw})
    if out.get("joined_on") and out.get("left_on") and out["left_on"] < out["joined_on"]:
        problems.append(_("left on is before joined on"))
    return out, problems


# --- employees ------------------------------------------------------------------------------------


def employee_set_language(*, employee: Employee, language: str) -> None:
    if language not in Employee.Language.values:
        raise ValueError(language)
    employee.language = language
    employee.save(update_fields=["language"])


def roles_set(*, user, roles) -> None:
    """Make ``user``'s role groups exactly ``roles`` (other groups are left alone)."""
    wanted = {Role(r).value for r in roles}
    role_groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    for name in Role.values:
        if name not in role_groups:
            role_groups[name], _created = Group.objects.get_or_create(name=name)
    current = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    user.groups.remove(*[role_groups[n] for n in current - wanted])
    user.groups.add(*[role_groups[n] for n in wanted - current])
    # Administrators use the Django admin for users and departments.
    user.is_staff = user.is_superuser = Role.ADMIN.value in wanted
    user.save(update_fields=["is_staff", "is_superuser"])
    if hasattr(user, "_csmgmt_roles"):
        del user._csmgmt_roles


def employee_deactivate(*, employee: Employee) -> None:
    """People are never deleted: the login and the employee are switched off."""
    with transaction.atomic():
        employee.active = False
        employee.save(update_fields=["active"])
        employee.user.is_active = False
        employee.user.save(update_fields=["is_active"])


@dataclass
class ImportResult:
    created: int
    updated: int
    departments_created: int


@dataclass(frozen=True)
class EmployeeRow:
    """One row of an employees file, read and checked, before anything is written."""

    number: int  # the row's number in the file, for its errors
    employee_no: str
    name: str
    department: str
    team: str
    roles: list[str]
    supervisor_no: str
    phone: str
    optional: dict  # the optional columns the file has (email, joined_on, left_on): see _optional_values


def _find_department(value: str, departments: dict) -> Department | None:
    return departments.get(value) or departments.get(value.lower())


def employees_import(*, file, name: str | None = None, create_departments: bool = False,
                     initial_password: str | None = None, initial_password_hash: str | None = None,
                     by: Employee | None = None) -> ImportResult:
    """Create or update employees from a CSV/XLSX file, all or nothing.

    Every bad row is reported (row number and reason) in :class:`ImportRejected` and nothing is
    written. New employees get a login named by their employee number (lower case), with
    ``initial_password`` or an unusable password that an administrator sets later. ``by`` (the page passes
    the administrator, the command its ``--by``) is who the edit trail of every employee and department
    written shows. A background import gets ``initial_password_hash`` (the job stores no password)."""
    history_user = by.user if by is not None else None
    rows = read_table(file, name=name, required=("employee_no", "name", "department"))
    departments = {}
    for d in Department.objects.all():
        departments[d.name] = d
        departments[d.code] = d
        departments[d.code.lower()] = d
    existing_nos = set(Employee.objects.values_list("employee_no", flat=True))
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    new_departments: set[str] = set()
    parsed: list[EmployeeRow] = []
    for row in rows:
        v = row.values
        no = v.get("employee_no", "").strip()
        name_ = v.get("name", "").strip()
        dept = v.get("department", "").strip()
        roles_raw = [r.strip().lower() for r in v.get("roles", "").replace("；", ";").split(";") if r.strip()]
        row_errors = []
        if not no:
            row_errors.append(_("employee number is missing"))
        elif no in seen:
            row_errors.append(
                _("employee number %(no)s is already used on row %(row)s") % {"no": no, "row": seen[no]}
            )
        else:
            seen[no] = row.number
        if len(no) > 30:
            row_errors.append(_("employee number is longer than 30 characters"))
        if not name_:
            row_errors.append(_("name is missing"))
        if not dept:
            row_errors.append(_("department is missing"))
        elif _find_department(dept, departments) is None:
            if create_departments:
                new_departments.add(dept)
            else:
                row_errors.append(
                    _("unknown department “%(dept)s” (use --create-departments to create it)") % {"dept": dept}
                )
        bad_roles = [r for r in roles_raw if r not in Role.values]
        if bad_roles:
            row_errors.append(
                _("unknown role(s): %(roles)s (known: %(known)s)")
                % {"roles": ", ".join(bad_roles), "known": ", ".join(Role.values)}
            )
        optional, problems = _optional_values(v)
        row_errors += problems
        for message in row_errors:
            errors.append(RowError(row.number, message))
        parsed.append(EmployeeRow(number=row.number, employee_no=no, name=name_, department=dept,
                                  team=v.get("team", "").strip(), roles=roles_raw,
                                  supervisor_no=v.get("supervisor_no", "").strip(),
                                  phone=v.get("phone", "").strip(), optional=optional))
    stored_dates = {no: (joined, left) for no, joined, left in Employee.objects.filter(employee_no__in=seen)
                    .values_list("employee_no", "joined_on", "left_on")}
    for p in parsed:
        number, no, sup_no, optional = p.number, p.employee_no, p.supervisor_no, p.optional
        joined, left = stored_dates.get(no, (None, None))
        joined, left = optional.get("joined_on", joined), optional.get("left_on", left)
        if joined and left and left < joined and not ("joined_on" in optional and "left_on" in optional):
            errors.append(RowError(number, _("left on is before joined on")))
        if sup_no and sup_no not in seen and sup_no not in existing_nos:
            errors.append(RowError(number, _("supervisor %(no)s is not a known employee") % {"no": sup_no}))
        if sup_no and sup_no == no:
            errors.append(RowError(number, _("an employee cannot be their own supervisor")))
    new_logins = {p.employee_no.lower(): p.number for p in parsed
                  if p.employee_no and p.employee_no not in existing_nos}
    for username in User.objects.filter(username__in=new_logins).values_list("username", flat=True):
        errors.append(RowError(new_logins[username], _("a login named “%(u)s” already exists") % {"u": username}))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))

    created = updated = 0
    with transaction.atomic():
        for dept in sorted(new_departments):
            department = Department(name=dept, code=dept[:30])
            department._history_user = history_user
            department.save()
            departments[dept] = department
        by_no = {e.employee_no: e for e in Employee.objects.select_related("user").filter(employee_no__in=seen)}
        for p in parsed:
            no, name_, team, roles, phone, optional = p.employee_no, p.name, p.team, p.roles, p.phone, p.optional
            department = _find_department(p.department, departments)
            employee = by_no.get(no)
            dates = {k: optional[k] for k in ("joined_on", "left_on") if k in optional}
            if employee is None:
                user = User(username=no.lower(), first_name=name_[:150], email=optional.get("email", ""))
                if initial_password:
                    user.set_password(initial_password)
                elif initial_password_hash:
                    user.password = initial_password_hash
                else:
                    user.set_unusable_password()
                user.save()
                employee = Employee(user=user, employee_no=no, name=name_, department=department, team=team,
                                    phone=phone, **dates)
                employee._history_user = history_user
                employee.save()
                by_no[no] = employee
                created += 1
            else:
                changed = False
                for attr, value in (("name", name_), ("department", department), ("team", team), ("phone", phone),
                                    *dates.items()):
                    if getattr(employee, attr) != value:
                        setattr(employee, attr, value)
                        changed = True
                if changed:
                    employee._history_user = history_user
                    employee.save()
                if "email" in optional and employee.user.email != optional["email"]:
                    employee.user.email = optional["email"]
                    employee.user.save(update_fields=["email"])
                updated += 1
            if roles:
                roles_set(user=employee.user, roles=roles)
        for p in parsed:
            employee, sup_no = by_no[p.employee_no], p.supervisor_no
            supervisor = by_no.get(sup_no) or (Employee.objects.get(employee_no=sup_no) if sup_no else None)
            if employee.supervisor_id != (supervisor.pk if supervisor else None):
                employee.supervisor = supervisor
                employee._history_user = history_user
                employee.save()
    return ImportResult(created=created, updated=updated, departments_created=len(new_departments))

