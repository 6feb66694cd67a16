"""Calls: ~2,000 a day spread over the months, business-hour peaks, weekday-heavy, repeat callers."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from csmgmt.models import Counter
from staff.models import Department
from tickets.models import Call

from .base import ORGS, analyze, copy_rows, indexes_deferred, mobile, person_name

HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 10, 40, 70, 80, 75, 45, 55, 70, 70, 60, 45, 25, 15, 10, 6, 3, 2]
CATEGORIES = [("enquiry", 55), ("complaint", 8), ("suggestion", 5), ("repair", 12), ("grumble", 6),
              ("praise", 3), ("lost_property", 4), ("other", 7)]
CHANNELS = [("phone", 80), ("email", 8), ("walk_in", 5), ("chat", 6), ("other", 1)]
OUTCOMES = [("resolved", 70), ("reply_promised", 15), ("transferred", 12), ("complaint", 3)]
SUMMARIES = {
    "enquiry": ["咨询产品价格", "询问营业时间", "咨询订单配送进度", "咨询发票开具", "询问会员积分", "咨询退换货政策"],
    "complaint": ["投诉送货延迟", "投诉产品质量问题", "投诉客服态度差", "投诉安装人员迟到", "投诉多扣费用"],
    "suggestion": ["建议增加周末配送", "建议延长客服时间", "建议改进包装"],
    "repair": ["报修空调不制冷", "报修热水器漏水", "报修门锁损坏", "报修电梯异响"],
    "grumble": ["抱怨排队时间长", "抱怨电话难打通"],
    "praise": ["表扬送货师傅服务热情", "表扬客服耐心解答"],
    "lost_property": ["遗失手机一部", "遗失钱包", "捡到钥匙一串"],
    "other": ["其他事项", "打错电话"],
}


def _weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)


def generate(ctx, n, *, batch_label="calls"):
    rng = ctx.rng
    tz = ZoneInfo(settings.TIME_ZONE)
    agents = ctx.ids.get("agents")
    if not agents:
        raise SystemExit("no employees: generate some with --employees")
    departments = list(Department.objects.exclude(kind=Department.Kind.CUSTOMER_SERVICE).values_list("pk", flat=True))
    today = timezone.localdate()
    days = max(1, ctx.days)
    first_day = today - dt.timedelta(days=days - 1)
    # Share of each day (weekdays busier), then hour.
    day_weights = [(1.0 if (first_day + dt.timedelta(d)).weekday() < 5 else 0.6) for d in range(days)]
    day_choices = rng.choices(range(days), day_weights, k=n)
    day_choices.sort()
    hours = rng.choices(range(24), HOUR_WEIGHTS, k=n)
    # Callers: a pool where a fifth of the numbers make most of the calls.
    pool = [mobile(rng) for _ in range(max(100, n // 10))]
    names = {p: person_name(rng) for p in pool[: min(len(pool), 200000)]}
    ctx.ids["phones"] = pool[:5000]  # the frequent callers: complaints and found items come from them too
    cats = _weighted(rng, CATEGORIES)
    base_counters = {}
    existing = dict(Counter.objects.filter(key__startswith="LD-").values_list("key", "value"))

    def rows():
        seq = {}
        now = timezone.now()
        for i in range(n):
            day = first_day + dt.timedelta(days=day_choices[i])
            key = f"LD-{day:%Y%m%d}"
            seq[key] = seq.get(key, existing.get(key, 0)) + 1
            received = dt.datetime(day.year, day.month, day.day, hours[i], rng.randrange(60), rng.randrange(60), tzinfo=tz)
            if received > now:
                received = now - dt.timedelta(seconds=rng.randrange(3600))
            cat = rng.choices(*zip(*CATEGORIES))[0]
            channel = rng.choices(*zip(*CHANNELS))[0]
            outcome = rng.choices(*zip(*OUTCOMES))[0]
            phone = pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)] if rng.random() < 0.7 else rng.choice(pool)
            agent = rng.choice(agents)
            dept = rng.choice(departments) if outcome == "transferred" and departments else None
            reply_due = received + dt.timedelta(hours=2 if channel == "phone" else 24) if outcome == "reply_promised" else None
            old = (now - received).days > 3
            status = "closed" if (outcome == "resolved" or old) else "open"
            if rng.random() < 0.003:
                status = "voided"
            closed = received + dt.timedelta(minutes=rng.randrange(3, 600)) if status == "closed" else None
            yield (f"{key}-{seq[key]:04d}", received.isoformat(), channel, "in" if rng.random() < 0.92 else "out", phone,
                   names.get(phone, ""), rng.choice(["", "mr", "ms"]), rng.choice(ORGS), None, cat,
                   rng.choice(SUMMARIES[cat]), "", "normal", "normal", outcome, dept,
                   reply_due.isoformat() if reply_due else None, agent, agent, status,
                   closed.isoformat() if closed else None, "作废：重复登记" if status == "voided" else "",
                   received.isoformat(), received.isoformat())
        base_counters.update(seq)

    columns = ["number", "received_at", "channel", "direction", "caller_phone", "caller_name", "address_form",
               "organisation", "customer_id", "category", "summary", "details", "importance", "urgency", "outcome",
               "department_id", "reply_due_at", "agent_id", "owner_id", "status", "closed_at", "void_reason",
               "created_at", "updated_at"]
    with indexes_deferred(Call, when=n >= 100_000):
        count = copy_rows(Call, columns, rows())
    for key, value in base_counters.items():
        Counter.objects.update_or_create(key=key, defaults={"value": value})
    analyze(Call)
    ctx.say(f"  {batch_label}: {count}")
    return count
