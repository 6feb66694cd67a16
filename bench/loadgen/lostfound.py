"""Found items and lost reports: a few a day, valuables in custody, most claimed or handed to finance once
their retention is over, recent ones still held."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from csmgmt.models import Counter
from lostfound.models import VALUABLE_CATEGORIES, FoundItem, LostReport

from .base import analyze, copy_rows, mobile, person_name

ITEMS = {
    "phone": ["黑色苹果手机", "白色华为手机", "小米手机，蓝色手机壳"], "cash": ["现金约两百元", "红色钱包，内有现金"],
    "camera": ["佳能相机", "索尼微单相机"], "bag": ["黑色双肩包", "灰色手提袋", "儿童书包"],
    "cards": ["身份证一张", "银行卡两张", "公交卡"], "keys": ["汽车钥匙", "一串家门钥匙"],
    "clothing": ["蓝色羽绒服", "儿童外套", "灰色围巾"], "other": ["折叠雨伞", "保温杯", "眼镜盒"],
}
PLACES = ["东门游客中心", "西门售票处", "餐厅二楼", "停车场B区", "观景台", "儿童乐园", "一号候车厅", "服务台"]


def generate(ctx, n):
    rng = ctx.rng
    tz = ZoneInfo(settings.TIME_ZONE)
    staff = ctx.ids.get("agents")
    if not staff:
        raise SystemExit("no employees: generate some with --employees")
    now = timezone.now()
    days = max(1, ctx.days)
    start = now - dt.timedelta(days=days)
    found = sorted(start + dt.timedelta(seconds=rng.randrange(days * 86400)) for _ in range(n))
    counters = dict(Counter.objects.filter(key__regex=r"^(SW|GS)-").values_list("key", "value"))
    seq = {}

    def number(prefix, at):
        key = f"{prefix}-{at.astimezone(tz):%Y%m}"
        seq[key] = seq.get(key, counters.get(key, 0)) + 1
        return f"{key}-{seq[key]:04d}"

    def item_rows():
        for at in found:
            category = rng.choice(list(ITEMS))
            valuable = category in VALUABLE_CATEGORIES
            age = (now - at).days
            if age > 30:
                status = rng.choices(["claimed", "finance", "disposed"], [55, 40, 5])[0]
            elif age > 1:
                status = rng.choices(["claimed", "stored"], [50, 50])[0]
            else:
                status = rng.choices(["registered", "stored", "claimed"], [50, 30, 20])[0]
            stored = status in ("stored", "finance", "disposed") or (status == "claimed" and valuable)
            clerk = rng.choice(staff)
            yield (number("SW", at), "visitor", category, rng.choice(ITEMS[category]), "", rng.choice(PLACES),
                   at.isoformat(), person_name(rng), mobile(rng), None, clerk, valuable, "", "", False, status,
                   "失物柜" if stored else "", person_name(rng) if stored else "", clerk if stored else None,
                   (at + dt.timedelta(hours=8)).isoformat() if stored else None, None, at.isoformat(),
                   at.isoformat())

    columns = ["number", "source", "category", "description", "features", "found_place", "found_at",
               "finder_name", "finder_phone", "finder_employee_id", "received_by_id", "valuable", "team_lead",
               "witness", "late_record", "status", "storage_place", "custody_handover_person", "custody_by_id",
               "custody_at", "handover_batch_id", "registered_at", "updated_at"]
    count = copy_rows(FoundItem, columns, item_rows())

    def report_rows():
        for at in found[::3]:  # a lost report for about a third as many
            category = rng.choice(list(ITEMS))
            old = (now - at).days > 20
            yield (number("GS", at), person_name(rng), mobile(rng), category, rng.choice(ITEMS[category]), "",
                   rng.choice(PLACES), at.isoformat(), rng.choice(staff), "withdrawn" if old else "open", None, None,
                   None, "", at.isoformat(), at.isoformat())

    reports = copy_rows(LostReport, ["number", "owner_name", "owner_phone", "category", "description", "features",
                                     "lost_place", "lost_at", "received_by_id", "status", "matched_item_id",
                                     "contacted_at", "contacted_by_id", "closing_note", "registered_at",
                                     "updated_at"], report_rows())
    for key, value in seq.items():
        Counter.objects.update_or_create(key=key, defaults={"value": value})
    analyze(FoundItem, LostReport)
    ctx.say(f"  lost and found: {count} found items, {reports} lost reports")
    return count
