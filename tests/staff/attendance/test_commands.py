import io

import pytest
from django.core.management import CommandError, call_command

from staff.models import Punch, RosterEntry

pytestmark = pytest.mark.django_db


def test_import_roster_command(team, past_monday, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(f"employee_no,date,shift_code\n{team.agent.employee_no},{past_monday},N\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_roster", str(path), stdout=out)
    assert "Imported 1 roster cells." in out.getvalue()
    assert RosterEntry.objects.get().shift.code == "N"


def test_import_roster_command_reports_bad_rows_and_writes_nothing(team, past_monday, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(f"employee_no,date,shift_code\n{team.agent.employee_no},{past_monday},A\nX9,{past_monday},A\n",
                    encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_roster", str(path), stderr=err)
    assert "Row 3" in err.getvalue() or "第 3 行" in err.getvalue()
    assert RosterEntry.objects.count() == 0


def test_import_punches_command_twice_stores_once(team, past_monday, tmp_path):
    path = tmp_path / "clock.csv"
    path.write_text(f"employee_no,timestamp,direction\n{team.agent.employee_no},{past_monday} 07:59:02,in\n"
                    f"{team.agent.employee_no},{past_monday} 17:00:40,out\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_punches", str(path), stdout=out)
    call_command("import_punches", str(path), stdout=out)
    assert "Imported 2 punches; 0 were already stored." in out.getvalue()
    assert "Imported 0 punches; 2 were already stored." in out.getvalue()
    assert Punch.objects.count() == 2
