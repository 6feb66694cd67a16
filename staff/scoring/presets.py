"""The two rule sets REGULATIONS §5 ships, as plain data.

Installed by the data migration ``0004_scoring_presets`` (which copies what it needs through
``apps.get_model``) and turned into engine rule sets by :func:`preset_rule_set` for tests.
Amounts are seen from the employee: deductions and fines negative, rewards positive.
Tier rows are (first, last or None, points, money[, exempt]); threshold rows (at, points, money, flag).
An exempt tier's occurrences are allowed: no record, not a violation (the first 4 调休 days).
"""

from decimal import Decimal as D

from staff import rules

# (code, Chinese name, English name, kind)
MANUAL_CATEGORIES = [
    ("unfinished_work", "当日工作未完成", "Day's work not finished", "violation"),
    ("conduct", "行为规范违规", "Conduct violation", "violation"),
    ("phone_rule", "电话接听规范违规", "Phone-handling rule broken", "violation"),
    ("order_entry", "订单录入更正", "Order-entry correction", "violation"),
    ("private_order", "私自下订单", "Unauthorised order under own name", "violation"),
    ("wrong_marking", "有效/无效来电标记错误", "Wrong valid/invalid call marking", "violation"),
    # recorded by a supervisor: nothing else produces this event (migration 0007 points the rule at it)
    ("missed_call_complaint", "漏接电话/留言引起投诉", "Missed call or message that drew a complaint", "violation"),
]

_ATTENDANCE = [("late", "迟到 ≤ 30 分钟"), ("late_over_30", "迟到 > 30 分钟"), ("early", "早退 ≤ 30 分钟"),
               ("early_over_30", "早退 > 30 分钟"), ("missed_punch", "漏签 (月底未补卡)"), ("absent", "旷工 (每天)")]
_SPOILS = {"spoils_clean_month": True}

_FINE_TIERS = [(1, 2, D("0"), D("-20")), (3, 4, D("0"), D("-50")), (5, 7, D("0"), D("-100"))]
_DISMISS_AT_8 = [(8, D("0"), D("0"), rules.Flag.DISMISSAL)]

# rule set: code, name, base points, description, active, rules, brackets
# rule: (code, name, event kind, counts as violation, tiers, thresholds[, options]); options: other fields
# of the rule, such as {"spoils_clean_month": True}
PRESETS = [
    {
        "code": "points",
        "name": "扣分制 (10 分)",
        "description": "每月基础分 10 分（依据《001》篇三）。",
        "base_points": D("10"),
        "active": True,
        "rules": [
            ("late", "迟到 ≤ 30 分钟", "late", True, [(1, None, D("-0.5"), D("0"))], []),
            ("late_over_30", "迟到 > 30 分钟 (按缺勤)", "late_over_30", True, [(1, None, D("-2"), D("0"))], []),
            ("early", "早退 ≤ 30 分钟", "early", True, [(1, None, D("-0.5"), D("0"))], []),
            ("early_over_30", "早退 > 30 分钟", "early_over_30", True, [(1, None, D("-2"), D("0"))], []),
            ("missed_punch", "漏签 (月底未补卡)", "missed_punch", True, [(1, None, D("-0.5"), D("0"))], []),
            ("absent", "旷工 (每天)", "absent", True, [(1, None, D("-5"), D("0"))], []),
            ("comp_leave_day", "调休超过 4 天", "comp_leave_day", True,
             [(1, 4, D("0"), D("0"), True), (5, None, D("-2"), D("0"))], []),
            ("complaint_general_fault", "服务态度投诉 (一般过失)", "complaint_general_fault", True,
             [(1, None, D("-1"), D("0"))], [(3, D("-2"), D("0"), ""), (5, D("-3"), D("0"), "")]),
            ("complaint_serious_fault", "投诉 (严重过失)", "complaint_serious_fault", True,
             [(1, None, D("-5"), D("0"))], []),
            ("complaint_missed_call", "漏接电话/留言引起投诉", "manual:missed_call_complaint", True,
             [(1, None, D("0"), D("0"))], [(3, D("-5"), D("0"), ""), (5, D("-5"), D("0"), "")]),
            ("unfinished_work", "当日工作未完成", "manual:unfinished_work", True, [(1, None, D("-0.5"), D("0"))], []),
        ],
        "brackets": [],
    },
    {
        "code": "fines",
        "name": "罚款制 (元)",
        "description": "按人民币罚款，计入部门基金（依据《000 民众康健》第 748–846 行）。",
        "base_points": D("10"),
        "active": False,
        "rules": [
            ("conduct", "行为规范违规", "manual:conduct", True, _FINE_TIERS, _DISMISS_AT_8),
            ("phone_rule", "电话接听规范违规", "manual:phone_rule", True, _FINE_TIERS, _DISMISS_AT_8),
            ("order_entry", "订单录入更正", "manual:order_entry", True,
             [(1, 2, D("0"), D("0")), (3, 5, D("0"), D("-20")), (6, 8, D("0"), D("-50")),
              (9, None, D("0"), D("-100"))], []),
            ("private_order", "私自下订单", "manual:private_order", True, [(1, 1, D("0"), D("-500"))],
             [(2, D("0"), D("0"), rules.Flag.SUSPENSION), (3, D("0"), D("0"), rules.Flag.DISMISSAL)]),
            ("wrong_marking", "有效/无效来电标记错误", "manual:wrong_marking", True,
             [(1, 1, D("0"), D("-200")), (2, 2, D("0"), D("-500"))],
             [(3, D("0"), D("0"), rules.Flag.DISMISSAL)]),
            ("clean_month", "当月无违规奖励", rules.MONTH_CLEAN, False, [(1, None, D("0"), D("100"))], []),
            # attendance is not fined here, but a month with one of these is not "no violation all month";
            # they do not count towards the department's violations (migration 0008)
            *[(code, name, code, False, [(1, None, D("0"), D("0"))], [], _SPOILS) for code, name in _ATTENDANCE],
        ],
        # (first, last, money into the fund, flag)
        "brackets": [(0, 20, D("600"), ""), (21, 26, D("-300"), ""), (27, 33, D("-600"), ""),
                     (34, None, D("0"), rules.Flag.MANAGEMENT)],
    },
]


def preset_rule_set(code: str) -> rules.RuleSet:
    """The preset as an engine rule set (no database): what the migration installs."""
    preset = next(p for p in PRESETS if p["code"] == code)
    return rules.RuleSet(
        base_points=preset["base_points"],
        rules=tuple(
            rules.Rule(
                code=rcode, name=name, event_kind=kind, counts_as_violation=violation,
                tiers=tuple(rules.Tier(first=t[0], last=t[1], points=t[2], money=t[3], exempt=_exempt(t))
                            for t in tiers),
                thresholds=tuple(rules.Threshold(at=a, points=p, money=m, flag=flag) for a, p, m, flag in extras),
                **(options[0] if options else {}),
            )
            for rcode, name, kind, violation, tiers, extras, *options in preset["rules"]
        ),
        brackets=tuple(rules.Bracket(first=f, last=last, money=m, flag=flag) for f, last, m, flag in preset["brackets"]),
    )


def _exempt(tier_row) -> bool:
    return len(tier_row) > 4 and bool(tier_row[4])


def presets_install(apps=None) -> None:
    """Create the presets and their manual categories where missing (the data migration and tests)."""
    if apps is None:
        from django.apps import apps
    RuleSet = apps.get_model("staff", "RuleSet")
    Rule = apps.get_model("staff", "Rule")
    Tier = apps.get_model("staff", "Tier")
    Threshold = apps.get_model("staff", "Threshold")
    DepartmentBracket = apps.get_model("staff", "DepartmentBracket")
    ManualCategory = apps.get_model("staff", "ManualCategory")
    has_exempt = any(f.name == "exempt" for f in Tier._meta.get_fields())
    rule_fields = {f.name for f in Rule._meta.get_fields()}  # the fields this migration state has
    for code, name, _english, kind in MANUAL_CATEGORIES:
        ManualCategory.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    any_active = RuleSet.objects.filter(active=True).exists()
    for preset in PRESETS:
        if RuleSet.objects.filter(code=preset["code"]).exists():
            continue
        rule_set = RuleSet.objects.create(
            code=preset["code"], name=preset["name"], description=preset["description"],
            base_points=preset["base_points"], active=preset["active"] and not any_active,
        )
        for order, (code, name, kind, violation, tiers, extras, *options) in enumerate(preset["rules"], start=1):
            fields = {k: v for k, v in (options[0] if options else {}).items() if k in rule_fields}
            rule = Rule.objects.create(rule_set=rule_set, code=code, name=name, event_kind=kind,
                                       counts_as_violation=violation, order=order, **fields)
            for row in tiers:
                first, last, points, money = row[:4]
                # the field arrived in 0006 (which marks this tier exempt when it runs after 0004)
                extra = {"exempt": _exempt(row)} if has_exempt else {}
                Tier.objects.create(rule=rule, first=first, last=last, points=points, money=money, **extra)
            for at, points, money, flag in extras:
                Threshold.objects.create(rule=rule, at=at, points=points, money=money, flag=flag)
        for first, last, money, flag in preset["brackets"]:
            DepartmentBracket.objects.create(rule_set=rule_set, first=first, last=last, money=money, flag=flag)
