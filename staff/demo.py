"""Demo people for ``load_demo``: the departments, about 20 employees and the six demo logins."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from csmgmt.core.roles import Role

from .models import Department, Employee
from .services import roles_set

DEPARTMENTS = [
    ("客服部", "CS", Department.Kind.CUSTOMER_SERVICE),
    ("生产部", "PROD", Department.Kind.RESPONSIBLE),
    ("质量管理部", "QA", Department.Kind.RESPONSIBLE),
    ("物流配送部", "LOG", Department.Kind.RESPONSIBLE),
    ("市场营销部", "MKT", Department.Kind.RESPONSIBLE),
    ("工程部", "ENG", Department.Kind.RESPONSIBLE),
    ("财务部", "FIN", Department.Kind.FINANCE),
]

# (username, employee_no, name, department code, team, roles, supervisor_no, phone, email)
PEOPLE = [
    ("manager", "CS001", "王建国", "CS", "", [Role.MANAGER], "", "13800000001", "manager@example.com"),
    ("supervisor", "CS002", "李秀梅", "CS", "一组", [Role.SUPERVISOR], "CS001", "13800000002", ""),
    ("supervisor2", "CS003", "赵志强", "CS", "二组", [Role.SUPERVISOR], "CS001", "13800000003", ""),
    ("agent", "CS101", "张伟", "CS", "一组", [Role.AGENT], "CS002", "13800000101", ""),
    ("cs102", "CS102", "刘洋", "CS", "一组", [Role.AGENT], "CS002", "13800000102", ""),
    ("cs103", "CS103", "陈静", "CS", "一组", [Role.AGENT], "CS002", "13800000103", ""),
    ("cs104", "CS104", "杨帆", "CS", "一组", [Role.AGENT], "CS002", "13800000104", ""),
    ("cs105", "CS105", "黄丽", "CS", "一组", [Role.AGENT], "CS002", "13800000105", ""),
    ("cs201", "CS201", "周敏", "CS", "二组", [Role.AGENT], "CS003", "13800000201", ""),
    ("cs202", "CS202", "吴磊", "CS", "二组", [Role.AGENT], "CS003", "13800000202", ""),
    ("cs203", "CS203", "徐娜", "CS", "二组", [Role.AGENT], "CS003", "13800000203", ""),
    ("cs204", "CS204", "孙浩", "CS", "二组", [Role.AGENT], "CS003", "13800000204", ""),
    ("custodian", "CS301", "马芳", "CS", "一组", [Role.CUSTODIAN, Role.AGENT], "CS002", "13800000301", ""),
    ("handler", "QA001", "胡军", "QA", "", [Role.HANDLER], "", "13900000001", "handler@example.com"),
    ("prod_handler", "PR001", "郭强", "PROD", "", [Role.HANDLER], "", "13900000002", ""),
    ("log_handler", "LG001", "何平", "LOG", "", [Role.HANDLER], "", "13900000003", ""),
    ("mkt_handler", "MK001", "高颖", "MKT", "", [Role.HANDLER], "", "13900000004", ""),
    ("eng_handler", "EN001", "林涛", "ENG", "", [Role.HANDLER], "", "13900000005", ""),
    ("finance", "FN001", "罗红", "FIN", "", [], "", "13900000006", ""),
    ("admin", "IT001", "郑凯", "CS", "", [Role.ADMIN], "", "13900000007", ""),
]

HEADS = {"CS": "CS001", "QA": "QA001", "PROD": "PR001", "LOG": "LG001", "MKT": "MK001", "ENG": "EN001",
         "FIN": "FN001"}


def load(stdout=None):
    User = get_user_model()
    departments = {}
    for name, code, kind in DEPARTMENTS:
        departments[code], _ = Department.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    employees = {}
    demo_password = None  # hashed once: every demo login has the same password, and hashing is slow on purpose
    for username, no, name, dept, team, roles, sup, phone, email in PEOPLE:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name, "email": email})
        if created:
            demo_password = demo_password or make_password("demo")
            user.password = demo_password
            user.save(update_fields=["password"])
        employee, _ = Employee.objects.update_or_create(
            employee_no=no,
            defaults={"user": user, "name": name, "department": departments[dept], "team": team, "phone": phone},
        )
        employees[no] = employee
        roles_set(user=user, roles=roles)
    for username, no, *_rest, sup, _phone, _email in PEOPLE:
        if sup and employees[no].supervisor_id != employees[sup].pk:
            employees[no].supervisor = employees[sup]
            employees[no].save(update_fields=["supervisor"])
    for code, head in HEADS.items():
        if departments[code].head_id != employees[head].pk:
            departments[code].head = employees[head]
            departments[code].save(update_fields=["head"])
    if stdout:
        stdout.write(f"  staff: {len(departments)} departments, {len(employees)} employees")
