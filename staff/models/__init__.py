# The staff app's tables, one module per area. Each area's module is imported here.
from .people import Department, Employee, Notification  # noqa: F401

# attendance (shifts, rosters, punches, leave, corrections, duty log): staff/models/attendance.py

# scoring (rule sets, penalty/reward records, appeals, fund ledger): staff/models/scoring.py
from .scoring import (  # noqa: F401,E402
    Appeal, DepartmentBracket, FundEntry, ManualCategory, ManualEntry, PenaltyRecord, Rule, RuleSet, ScoreCard,
    ScoreFlag, ScoreMonth, ScoreMonthEvent, Threshold, Tier,
)
