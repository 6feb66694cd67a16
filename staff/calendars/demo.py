"""Demo calendars for ``load_demo`` (REGULATIONS §9): 工程部 keeps office hours with a lunch break and one closed day
of its own; 客服部 keeps §9's default (every day 08:00–01:00). The public holidays and make-up days are the shipped
notices (2026 and before); 2027's notice is not in the package, so the managers' home page asks for it in December."""

import datetime as dt

from ..models import CalendarException, Department, DepartmentCalendar


def load(stdout=None):
    eng = Department.objects.filter(code="ENG").first()
    if eng is None:
        return
    DepartmentCalendar.objects.update_or_create(department=eng, defaults={
        "weekly": [[["08:30", "12:00"], ["13:00", "17:30"]]] * 5 + [[], []], "observes_holidays": True})
    day = dt.date(2026, 12, 18)
    if not CalendarException.objects.filter(department=eng, date=day, voided_at__isnull=True).exists():
        CalendarException.objects.create(department=eng, date=day, spans=[], note="部门年会，全天不办公")
    if stdout:
        stdout.write("  calendars: 工程部 office hours with lunch break, one closed day")
