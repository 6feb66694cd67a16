# The staff app's tables, one module per area. Each area's module is imported here.
from .people import Department, Employee, Notification  # noqa: F401

# attendance (shifts, rosters, punches, leave, corrections, duty log): staff/models/attendance.py
from .attendance import (  # noqa: F401,E402
    Correction, DayStatus, DutyDaySignoff, DutyLogEntry, LeaveEvent, LeaveRequest, Punch, RosterEntry, Shift,
)

# scoring (rule sets, penalty/reward records, appeals, fund ledger): staff/models/scoring.py
from .scoring import (  # noqa: F401,E402
    Appeal, DepartmentBracket, FundEntry, ManualCategory, ManualEntry, PenaltyRecord, Rule, RuleSet, ScoreCard,
    ScoreFlag, ScoreMonth, ScoreMonthEvent, Threshold, Tier,
)
