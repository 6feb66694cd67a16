import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.core.management import call_command as django_call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from csmgmt.core.permissions import roles_of
from csmgmt.core.roles import Role
from staff.models import Department, Employee
from tests.factories import DepartmentFactory, EmployeeFactory

User = get_user_model()
HEADER = "employee_no,name,department,team,roles,supervisor_no,phone\n"


def call_command(*args, **kwargs):
    with translation.override("en"):
        return django_call_command(*args, **kwargs)


def write(tmp_path, text, name="people.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def departments(db):
    return DepartmentFactory(name="客服部", code="CS"), DepartmentFactory(name="质量管理部", code="QA")


def snapshot():
    return (Employee.objects.count(), User.objects.count(), Department.objects.count())


def test_a_five_row_file_with_one_bad_row_writes_nothing_and_names_the_row(tmp_path, departments):
    path = write(tmp_path, HEADER
                 + "CS100,王芳,客服部,一组,supervisor,,13800000100\n"
                 + "CS101,李雷,CS,一组,agent,CS100,13800000101\n"
                 + "CS102,韩梅梅,客服部,一组,agent,CS100,\n"
                 + "CS103,陈晨,售后部,二组,agent,CS100,\n"
                 + "QA100,赵敏,质量管理部,,handler,,\n")
    before = snapshot()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_employees", str(path), stderr=(err := io.StringIO()))
    assert err.getvalue().strip() == "Row 5: unknown department “售后部” (use --create-departments to create it)"
    assert snapshot() == before


def test_a_good_file_creates_employees_logins_roles_and_supervisors(tmp_path, departments):
    path = write(tmp_path, HEADER
                 + "CS100,王芳,客服部,一组,supervisor,,13800000100\n"
                 + "CS101,李雷,CS,一组,agent;custodian,CS100,13800000101\n"
                 + "QA100,赵敏,qa,,handler,,\n")
    call_command("import_employees", str(path), "--initial-password", "s3cret-Pass", stdout=(out := io.StringIO()))
    assert "3 created, 0 updated, 0 departments created" in out.getvalue()
    li = Employee.objects.select_related("user", "supervisor", "department").get(employee_no="CS101")
    assert (li.name, li.department.code, li.team, li.supervisor.employee_no, li.phone) == (
        "李雷", "CS", "一组", "CS100", "13800000101")
    assert li.user.username == "cs101"
    assert li.user.check_password("s3cret-Pass")
    assert roles_of(li.user) == {Role.AGENT, Role.CUSTODIAN}
    assert roles_of(Employee.objects.get(employee_no="CS100").user) == {Role.SUPERVISOR, Role.AGENT}
    assert Employee.objects.get(employee_no="QA100").department.name == "质量管理部"


def test_importing_again_updates_by_employee_number_and_keeps_the_trail(tmp_path, departments):
    call_command("import_employees", str(write(tmp_path, HEADER + "CS100,王芳,客服部,一组,agent,,\n")))
    call_command("import_employees", str(write(tmp_path, HEADER + "CS100,王芳芳,客服部,二组,supervisor,,139\n")))
    e = Employee.objects.get(employee_no="CS100")
    assert (e.name, e.team, e.phone, Employee.objects.count()) == ("王芳芳", "二组", "139", 1)
    assert roles_of(e.user) == {Role.SUPERVISOR, Role.AGENT}
    old = e.history.order_by("history_date")[0]
    assert (old.name, old.team) == ("王芳", "一组")
    assert not e.user.has_usable_password()


def test_every_kind_of_bad_row_is_reported_with_its_number(tmp_path, departments):
    path = write(tmp_path, HEADER
                 + "CS100,,客服部,,agent,,\n"
                 + "CS101,李雷,客服部,,agent;boss,,\n"
                 + "CS101,李雷,客服部,,agent,,\n"
                 + ",无号,客服部,,agent,,\n"
                 + "CS104,周,客服部,,agent,CS999,\n")
    before = snapshot()
    with pytest.raises(CommandError, match="5 problem"):
        call_command("import_employees", str(path), stderr=(err := io.StringIO()))
    assert err.getvalue().splitlines() == [
        "Row 2: name is missing",
        "Row 3: unknown role(s): boss (known: agent, supervisor, manager, handler, custodian, admin)",
        "Row 4: employee number CS101 is already used on row 3",
        "Row 5: employee number is missing",
        "Row 6: supervisor CS999 is not a known employee",
    ]
    assert snapshot() == before


def test_create_departments_option_creates_the_unknown_ones(tmp_path, departments):
    path = write(tmp_path, HEADER + "SH001,孙丽,售后部,,handler,,\n")
    call_command("import_employees", str(path), "--create-departments", stdout=io.StringIO())
    assert Employee.objects.get(employee_no="SH001").department.name == "售后部"


def test_xlsx_and_gbk_csv_are_read(tmp_path, departments):
    wb = Workbook()
    ws = wb.active
    ws.append(["employee_no", "name", "department", "team", "roles", "supervisor_no", "phone"])
    ws.append(["CS200", "钱多多", "客服部", "一组", "agent", None, 13800138000])
    wb.save(tmp_path / "p.xlsx")
    call_command("import_employees", str(tmp_path / "p.xlsx"), stdout=io.StringIO())
    assert Employee.objects.get(employee_no="CS200").phone == "13800138000"
    call_command("import_employees", str(write(tmp_path, HEADER + "CS201,孙悟空,客服部,,agent,,\n", "g.csv", "gbk")),
                 stdout=io.StringIO())
    assert Employee.objects.get(employee_no="CS201").name == "孙悟空"


def test_a_login_name_already_taken_is_a_bad_row(tmp_path, departments):
    EmployeeFactory(user__username="cs300", employee_no="OLD1")
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("import_employees", str(write(tmp_path, HEADER + "CS300,新人,客服部,,agent,,\n")),
                     stderr=(err := io.StringIO()))
    assert "Row 2: a login named “cs300” already exists" in err.getvalue()
    assert snapshot() == before


def test_the_admin_page_imports_and_shows_bad_rows(client_for, departments):
    admin = client_for("admin")
    bad = io.BytesIO((HEADER + "CS100,王芳,客服部,,agent,,\nCS101,,客服部,,agent,,\n").encode())
    bad.name = "p.csv"
    before = snapshot()
    response = admin.post("/staff/import/employees/", {"file": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Row 3: name is missing" in response.content.decode()
    assert snapshot() == before
    good = io.BytesIO((HEADER + "CS100,王芳,客服部,,agent,,\n").encode())
    good.name = "p.csv"
    response = admin.post("/staff/import/employees/", {"file": good})
    assert response.status_code == 302
    assert Employee.objects.filter(employee_no="CS100").exists()


@pytest.mark.parametrize("role", ["agent", "supervisor", "manager", "handler", "custodian"])
def test_only_administrators_may_use_the_import_page(client_for, departments, role):
    c = client_for(role)
    upload = io.BytesIO((HEADER + "CS100,王芳,客服部,,agent,,\n").encode())
    upload.name = "p.csv"
    before = snapshot()
    assert c.get("/staff/import/employees/").status_code == 403
    assert c.post("/staff/import/employees/", {"file": upload}).status_code == 403
    assert snapshot() == before


def test_the_command_speaks_chinese_in_a_chinese_locale(tmp_path, departments):
    bad = write(tmp_path, HEADER + "CS100,,客服部,,agent,,\n")
    with translation.override("zh-hans"):
        with pytest.raises(CommandError, match="未导入任何记录：共 1 个问题。"):
            django_call_command("import_employees", str(bad), stderr=io.StringIO())
        with pytest.raises(CommandError, match="找不到文件"):
            django_call_command("import_employees", str(tmp_path / "nope.csv"))
        good = write(tmp_path, HEADER + "CS100,王芳,客服部,一组,agent,,\n", "good.csv")
        django_call_command("import_employees", str(good), stdout=(out := io.StringIO()))
    assert "导入完成：新建 1 人，更新 0 人，新建部门 0 个。" in out.getvalue()


def test_by_puts_the_importer_in_the_trail_of_every_row_written(tmp_path, departments):
    importer = EmployeeFactory(employee_no="IT900", roles=["admin"])
    call_command("import_employees", str(write(tmp_path, HEADER + "CS100,王芳,客服部,一组,agent,,\n")),
                 "--by", "IT900", stdout=io.StringIO())
    path = write(tmp_path, HEADER + "CS100,王芳芳,客服部,二组,supervisor,,\nSH001,孙丽,售后部,,handler,CS100,\n",
                 "second.csv")
    call_command("import_employees", str(path), "--by", "IT900", "--create-departments", stdout=io.StringIO())
    wang, sun = Employee.objects.get(employee_no="CS100"), Employee.objects.get(employee_no="SH001")
    assert wang.history.count() == 2 and sun.history.count() == 2  # sun: created, then given a supervisor
    assert {h.history_user for h in [*wang.history.all(), *sun.history.all()]} == {importer.user}
    assert Department.objects.get(name="售后部").history.get().history_user == importer.user


def test_without_by_the_trail_names_nobody_and_an_unknown_by_writes_nothing(tmp_path, departments):
    path = write(tmp_path, HEADER + "CS100,王芳,客服部,一组,agent,,\n")
    before = snapshot()
    with pytest.raises(CommandError, match="no employee with number NOBODY"):
        call_command("import_employees", str(path), "--by", "NOBODY")
    assert snapshot() == before
    call_command("import_employees", str(path), stdout=io.StringIO())
    assert Employee.objects.get(employee_no="CS100").history.get().history_user is None


def test_the_service_records_the_employee_it_is_given(tmp_path, departments, make_employee):
    from staff.services import employees_import

    admin = make_employee("admin")
    employees_import(file=str(write(tmp_path, HEADER + "CS100,王芳,客服部,一组,agent,,\n")), by=admin)
    assert Employee.objects.get(employee_no="CS100").history.get().history_user == admin.user


def test_the_admin_page_puts_the_administrator_in_the_trail(client_for, departments):
    admin = client_for("admin")
    upload = io.BytesIO((HEADER + "CS100,王芳,客服部,,agent,,\n").encode())
    upload.name = "p.csv"
    assert admin.post("/staff/import/employees/", {"file": upload}).status_code == 302
    assert Employee.objects.get(employee_no="CS100").history.get().history_user == admin.employee.user


# --- optional columns: email, joined_on, left_on (issue 15; REGULATIONS §4 pro-rating) ----------------------

OPTIONAL_HEADER = "employee_no,name,department,team,roles,supervisor_no,phone,email,joined_on,left_on\n"


def test_import_employees_takes_optional_email_joined_on_and_left_on(tmp_path, departments):
    path = write(tmp_path, OPTIONAL_HEADER
                 + "CS100,王芳,客服部,一组,supervisor,,,wangfang@example.com,2026-03-16,\n"
                 + "CS101,李雷,客服部,一组,agent,CS100,,,2024-01-02,2026-03-10\n")
    call_command("import_employees", str(path))
    wang = Employee.objects.select_related("user").get(employee_no="CS100")
    li = Employee.objects.select_related("user").get(employee_no="CS101")
    assert (wang.user.email, wang.joined_on, wang.left_on) == ("wangfang@example.com", dt.date(2026, 3, 16), None)
    assert (li.user.email, li.joined_on, li.left_on) == ("", dt.date(2024, 1, 2), dt.date(2026, 3, 10))


def test_import_employees_optional_columns_from_an_xlsx_date_cell(tmp_path, departments):
    wb = Workbook()
    ws = wb.active
    ws.append(["employee_no", "name", "department", "joined_on"])
    ws.append(["CS100", "王芳", "客服部", dt.datetime(2026, 3, 16)])
    path = tmp_path / "people.xlsx"
    wb.save(path)
    call_command("import_employees", str(path))
    assert Employee.objects.get(employee_no="CS100").joined_on == dt.date(2026, 3, 16)


def test_import_employees_without_the_optional_columns_leaves_them_as_they_are(tmp_path, departments):
    EmployeeFactory(employee_no="CS100", name="王芳", department=departments[0], joined_on=dt.date(2025, 5, 1))
    path = write(tmp_path, HEADER + "CS100,王芳,客服部,一组,,,\n")
    call_command("import_employees", str(path))
    assert Employee.objects.get(employee_no="CS100").joined_on == dt.date(2025, 5, 1)


@pytest.mark.parametrize(("cells", "message"), [
    ("not-an-email,,", "Row 2: “not-an-email” is not an e-mail address"),
    (",2026-13-01,", "Row 2: joined on “2026-13-01” is not a date (YYYY-MM-DD)"),
    (",2026-03-16,2026-03-01", "Row 2: left on is before joined on"),
])
def test_import_employees_refuses_a_bad_optional_cell_and_writes_nothing(tmp_path, departments, cells, message):
    path = write(tmp_path, OPTIONAL_HEADER + f"CS100,王芳,客服部,一组,agent,,,{cells}\n")
    before = snapshot()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_employees", str(path), stderr=(err := io.StringIO()))
    assert err.getvalue().strip() == message
    assert snapshot() == before


def test_import_employees_page_takes_the_optional_columns(client, departments):
    admin = EmployeeFactory(roles=["admin"], department=departments[0])
    client.force_login(admin.user)
    upload = SimpleUploadedFile("people.csv", (OPTIONAL_HEADER + "CS100,王芳,客服部,一组,agent,,,wf@example.com,"
                                                "2026-03-16,\n").encode())
    response = client.post(reverse("staff:import_employees"), {"file": upload})
    assert response.status_code == 302
    wang = Employee.objects.select_related("user").get(employee_no="CS100")
    assert (wang.user.email, wang.joined_on) == ("wf@example.com", dt.date(2026, 3, 16))
