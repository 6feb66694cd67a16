"""import_calls: every bad row reported with its number and reason; nothing written unless all are good."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from tests.factories import DepartmentFactory
from tickets.models import Call, Customer

HEADER = "received_at,caller_phone,caller_name,category,summary,agent_no,channel,outcome,department,reply_due_at\n"


@pytest.fixture
def staff(make_employee):
    DepartmentFactory(name="工程部", code="ENG")
    return make_employee("agent", employee_no="CS101")


def write(tmp_path, text, name="calls.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_csv_is_imported_with_normalised_numbers_and_profiles(tmp_path, staff, capsys, english):
    path = write(tmp_path, HEADER
                 + "2026-11-01 09:30,138 0013 8000,陈建华,咨询,咨询积分,CS101,电话,当场解决,,\n"
                 + "2026-11-01 10:00,+86 13800138000,陈建华,报修,热水器坏了,CS101,phone,transferred,工程部,\n"
                 + "2026/11/02 14:05,021-6888 9999,王经理,complaint,发货延迟,cs101,email,reply_promised,,"
                 + "2026-11-03 14:05\n")
    call_command("import_calls", str(path))
    assert "imported 3 calls" in capsys.readouterr().out
    calls = list(Call.objects.order_by("received_at"))
    assert [c.caller_phone for c in calls] == ["13800138000", "13800138000", "02168889999"]
    assert [c.category for c in calls] == ["enquiry", "repair", "complaint"]
    assert [c.status for c in calls] == ["closed", "open", "open"]
    assert calls[1].department.code == "ENG"
    assert calls[1].reply_due_at is not None  # default by channel
    assert calls[0].number == "LD-20261101-0001" and calls[1].number == "LD-20261101-0002"
    assert calls[2].number == "LD-20261102-0001"
    assert Customer.objects.count() == 2
    assert all(c.agent == staff and c.owner == staff for c in calls)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path, staff, capsys, english):
    path = write(tmp_path, HEADER
                 + "2026-11-01 09:30,13800138000,甲,咨询,好的一行,CS101,,,,\n"
                 + "昨天,13800138000,乙,咨询,时间不对,CS101,,,,\n"
                 + "2026-11-01 09:30,12,丙,咨询,号码不对,CS101,,,,\n"
                 + "2026-11-01 09:30,13800138000,丁,闲聊,类别不对,CS101,,,,\n"
                 + "2026-11-01 09:30,13800138000,戊,咨询,,NOBODY,,,,\n"
                 + "2026-11-01 09:30,13800138000,己,报修,没有部门,CS101,,transferred,,\n"
                 + "2026-11-01 09:30,13800138000,庚,报修,部门不存在,CS101,,transferred,火星部,\n")
    with pytest.raises(CommandError):
        call_command("import_calls", str(path))
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 6
    assert [int(re.search(r"\d+", line).group()) for line in err] == [3, 4, 5, 6, 7, 8]
    assert "received_at" in err[0]
    assert "caller_phone" in err[1]
    assert "category" in err[2]
    assert "summary" in err[3] and "agent_no" in err[3]
    assert "department" in err[4]
    assert "火星部" in err[5]
    assert Call.objects.count() == 0 and Customer.objects.count() == 0


def test_a_missing_column_is_reported(tmp_path, staff, capsys):
    path = write(tmp_path, "received_at,caller_phone,summary\n2026-11-01 09:30,13800138000,x\n")
    with pytest.raises(CommandError):
        call_command("import_calls", str(path))
    assert "category" in capsys.readouterr().err
    assert Call.objects.count() == 0


def test_xlsx_works_too(tmp_path, staff):
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.append(["received_at", "caller_phone", "category", "summary", "agent_no"])
    ws.append([dt.datetime(2026, 11, 5, 8, 0), 13800138000, "建议", "建议延长营业时间", "CS101"])
    path = tmp_path / "calls.xlsx"
    wb.save(path)
    call_command("import_calls", str(path))
    call = Call.objects.get()
    assert (call.category, call.caller_phone, call.summary) == ("suggestion", "13800138000", "建议延长营业时间")


def test_the_manager_page_imports_and_shows_bad_rows(client_for, staff):
    c = client_for("manager", language="en")
    bad = io.BytesIO((HEADER + "2026-11-01 09:30,13800138000,甲,咨询,x,CS101,,,,\n"
                      "2026-11-01 09:30,13800138000,乙,错误,x,CS101,,,,\n").encode())
    bad.name = "calls.csv"
    response = c.post(reverse("tickets:import"), {"file": bad})
    assert response.status_code == 200
    assert [str(e).split(":")[0] for e in response.context["errors"]] == ["Row 3"]
    assert Call.objects.count() == 0
    good = io.BytesIO((HEADER + "2026-11-01 09:30,13800138000,甲,咨询,x,CS101,,,,\n").encode("gb18030"))
    good.name = "calls.csv"
    response = c.post(reverse("tickets:import"), {"file": good})
    assert response.status_code == 302
    assert Call.objects.count() == 1


def test_a_missing_file_is_a_clear_error(tmp_path, db, english):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_calls", str(tmp_path / "nope.csv"))


def test_the_command_speaks_chinese_in_a_chinese_locale(tmp_path, staff):
    from django.utils import translation

    path = write(tmp_path, HEADER + "2026-11-01 09:30,13800138000,甲,咨询,好的一行,CS101,,,,\n"
                 + "昨天,13800138000,乙,咨询,时间不对,CS101,,,,\n")
    with translation.override("zh-hans"):
        with pytest.raises(CommandError, match="未导入任何记录：1 行有错误"):
            call_command("import_calls", str(path), stderr=io.StringIO())
        with pytest.raises(CommandError, match="找不到文件"):
            call_command("import_calls", str(tmp_path / "nope.csv"))
        with pytest.raises(CommandError, match="没有工号为 NOBODY 的员工"):
            call_command("import_calls", str(path), "--by", "NOBODY")
        good = write(tmp_path, HEADER + "2026-11-01 09:30,13800138000,甲,咨询,好的一行,CS101,,,,\n", "good.csv")
        call_command("import_calls", str(good), stdout=(out := io.StringIO()))
    assert out.getvalue().strip() == "已导入 1 条来电记录"
    assert Call.objects.count() == 1
