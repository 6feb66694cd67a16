# The staff app's tables, one module per area. Each area's module is imported here.
# attendance (shifts, rosters, punches, leave, corrections, duty log): staff/models/attendance.py
from .attendance import (AttendanceSettings, LeaveDeputy, Correction, CorrectionEvent, DayStatus, DutyDaySignoff, DutyLogEntry,  # noqa: F401,E402
                         DutyLogEvent, LeaveEvent, LeaveRequest, Punch, RosterEntry, Shift)
from .people import Department, Employee  # noqa: F401
# scoring (rule sets, penalty/reward records, appeals, fund ledger): staff/models/scoring.py
from .scoring import (Appeal, AppealEvent, DepartmentBracket, FundEntry, ManualCategory, ManualEntry,  # noqa: F401,E402
                      PenaltyRecord, PenaltyRecordEvent, Rule, RuleSet, ScoreCard, ScoreFlag, ScoreMonth,
                      ScoreMonthEvent, Threshold, Tier)
# working calendars (REGULATIONS §9): staff/models/calendar.py
from .calendar import CalendarException, DepartmentCalendar, PublicDay  # noqa: F401,E402
