"""Demo lost-and-found records for ``load_demo``: found items in every status (one with a photo, one
disposed, one handed to finance in last month's confirmed handover, a late on-site record), open lost
reports (one matching an item, its owner contacted), claims (signed on paper, and drawn on screen),
and this month's unconfirmed finance handover. Idempotent: records are keyed by their description
and each step runs only once. Nothing lies in the future (the demo may be loaded at 2 a.m.)."""

import base64
import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from staff.models import Employee

from . import services
from .models import FoundItem, HandoverBatch, LostReport

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
    (2, 15, "visitor", "bag", "米色帆布手提袋", "袋内有一本《三体》", "游客中心休息区", "黄女士", "13200006666"),
    (1, 12, "visitor", "other", "未开封的生日蛋糕", "蛋糕盒上写着“生日快乐”", "餐厅一楼", "马先生", "13100007777"),
    (2, 19, "on_site", "cards", "学生证一张", "姓名：黄某", "游乐场入口", "黄同学", "13000008888"),
    (100, 10, "visitor", "clothing", "灰色羊毛围巾", "", "观景台", "冯女士", "13900009999"),
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


def _jpeg(name: str) -> ContentFile:
    """A small generated photo (a dark phone on a light table)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (240, 180), (230, 226, 218))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((85, 25, 155, 155), radius=12, fill=(30, 30, 34))
    draw.rectangle((92, 38, 148, 140), fill=(70, 90, 120))
    draw.ellipse((112, 80, 128, 96), fill=(250, 250, 250))  # the white cat sticker
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85)
    return ContentFile(buf.getvalue(), name=name)


def _signature() -> str:
    """A drawn signature as the claim page sends it: a PNG data URL."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.line([(20, 70), (60, 30), (90, 75), (130, 35), (170, 70), (210, 40), (270, 60)], fill=(20, 20, 60, 255),
              width=4)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _previous_month(today: dt.date) -> tuple[str, dt.datetime]:
    """Last month's period (YYYYMM) and the moment its handover was prepared: the 1st at 08:00."""
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return first.strftime("%Y%m"), timezone.make_aware(dt.datetime.combine(first, dt.time(8, 0)))


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
    # the camera, the jacket and the umbrella are in custody; the keys were claimed (the on-site witness signs)
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
    phone = items["黑色苹果手机"]
    if not phone.photos.exists():
        services.found_item_add_photo(item=phone, photo=_jpeg("phone.jpg"), by=agent)
    report = LostReport.objects.get(description="苹果手机 黑色")
    if report.contacted_at is None and report.is_open:
        services.lost_report_mark_contacted(report=report, item=phone, by=agent)
    bag = items["米色帆布手提袋"]
    if bag.status != FoundItem.Status.CLAIMED:
        services.claim_release(item_id=bag.pk, by=agent, claimant_name="何先生", id_type="passport",
                               id_number="E12345678", phone="13811112222",
                               description_given="米色帆布袋，里面有一本《三体》", verified_by=agent,
                               signature_data=_signature())
    cake = items["未开封的生日蛋糕"]
    if cake.is_open:
        services.found_item_dispose(item=cake, by=custodian, reason="食品无法保存，经负责人同意按规定处理")
    # last month's handover, confirmed: prepared as on its 1st (only the scarf was due then)
    period, prepared = _previous_month(timezone.localdate())
    scarf = items["灰色羊毛围巾"]
    if scarf.handover_batch_id is None and scarf.is_open:
        past = services.handover_prepare(period=period, now=prepared)
        if past is not None and past.status == HandoverBatch.Status.PREPARED:
            services.handover_confirm(batch=past, by=custodian, finance_receiver="罗红（财务部）",
                                      note="上月未认领物品")
    batch = services.handover_prepare(period=timezone.localdate().strftime("%Y%m"))
    if stdout:
        stdout.write(f"  lostfound: {FoundItem.objects.count()} found items, {LostReport.objects.count()} lost reports"
                     f"{', handover ' + batch.number if batch else ''}")
