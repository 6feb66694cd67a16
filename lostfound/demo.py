"""Demo lost-and-found records for ``load_demo``: found items in every status, open lost reports
(one matching an item), a claim, and an unconfirmed finance handover. Idempotent: records are keyed
by their description and run only once each."""

import datetime as dt

from django.utils import timezone

from staff.models import Employee

from . import services
from .models import FoundItem, LostReport

# (days ago, hour, source, category, description, features, place, finder, finder phone)
ITEMS = [
    (0, 10, "visitor", "phone", "黑色苹果手机", "手机壳上有白色小猫贴纸", "东门游客中心", "李先生", "13912345678"),
    (0, 14, "employee", "cash", "棕色皮夹，内有现金约三百元", "皮夹内有一张超市会员卡", "餐厅二楼", "", ""),
    (1, 16, "on_site", "keys", "丰田汽车钥匙", "蓝色挂件", "停车场B区", "赵女士", "13700001111"),
    (3, 11, "visitor", "bag", "黑色双肩包", "内有笔记本电脑和充电器", "观景台", "周先生", "13600002222"),
    (5, 9, "visitor", "clothing", "儿童蓝色羽绒服", "", "儿童乐园", "孙女士", "13500003333"),
    (9, 15, "employee", "camera", "佳能单反相机", "黑色相机包", "西门售票处", "", ""),
    (35, 13, "visitor", "other", "红色折叠雨伞", "", "东门游客中心", "吴先生", "13400004444"),
    (40, 17, "visitor", "cards", "身份证一张", "姓名：陈某", "西门售票处", "郑女士", "13300005555"),
]

# (days ago, hour, owner, phone, category, description, features, place)
REPORTS = [
    (0, 12, "王女士", "13988887777", "phone", "苹果手机 黑色", "手机壳有猫咪贴纸", "东门"),
    (2, 10, "刘先生", "13877776666", "bag", "灰色手提电脑包", "", "观景台附近"),
    (6, 18, "陈女士", "13766665555", "cards", "银行卡和身份证", "棕色卡包", "停车场"),
]


def _at(days_ago, hour):
    """That hour of a day some days ago; today's items found "later today" move back to before now (the
    demo may be loaded at 2 a.m.), each a minute apart by its hour so that they keep their order."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    latest = timezone.now() - dt.timedelta(minutes=30 - hour)
    return min(at, latest)


def load(stdout=None):
    agent = Employee.objects.get(employee_no="CS101")
    custodian = Employee.objects.get(employee_no="CS301")
    items = {}
    for days, hour, source, category, description, features, place, finder, phone in ITEMS:
        item = FoundItem.objects.filter(description=description).first()
        if item is None:
            extra = {"team_lead": "李秀梅", "witness": "刘洋"} if source == "on_site" else {}
            item = services.found_item_register(
                by=agent, source=source, category=category, description=description, features=features,
                found_place=place, found_at=_at(days, hour), finder_name=finder, finder_phone=phone,
                finder_employee=Employee.objects.get(employee_no="CS102") if source == "employee" else None,
                **extra,
            )
        items[description] = item
    for days, hour, owner, phone, category, description, features, place in REPORTS:
        if not LostReport.objects.filter(description=description).exists():
            services.lost_report_register(by=agent, owner_name=owner, owner_phone=phone, category=category,
                                          description=description, features=features, lost_place=place,
                                          lost_at=_at(days, hour))
    # the camera is in custody; the keys were claimed; the jacket is stored
    for description, place in (("佳能单反相机", "贵重物品保险柜 A-1"), ("儿童蓝色羽绒服", "失物柜 3 号"),
                               ("红色折叠雨伞", "失物柜 5 号")):
        if items[description].status == FoundItem.Status.REGISTERED:
            services.found_item_store(item=items[description], by=custodian, storage_place=place,
                                      handover_person=agent.name)
    keys = items["丰田汽车钥匙"]
    if keys.status != FoundItem.Status.CLAIMED:
        services.claim_release(item_id=keys.pk, by=agent, claimant_name="赵女士", id_type="resident_id",
                               id_number="110101198805061234", phone="13700001111",
                               description_given="丰田车钥匙，挂着蓝色小熊挂件", verified_by=agent,
                               witness="刘洋", signed_on_paper=True)
    batch = services.handover_prepare(period=timezone.localdate().strftime("%Y%m"))
    if stdout:
        stdout.write(f"  lostfound: {FoundItem.objects.count()} found items, {LostReport.objects.count()} lost reports"
                     f"{', handover ' + batch.number if batch else ''}")
