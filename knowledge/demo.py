"""Demo articles for ``load_demo`` (after ``tickets.demo``): a dozen answers to the department's frequent questions
across the call categories, written by the supervisors, most published, one draft, one published seven months ago
and so due for review (the daily job moves it), and a few marked as the answer of the demo's calls. Idempotent:
articles are keyed by their question, links by (call, article)."""

import datetime as dt

from django.utils import timezone

from staff.models import Employee
from tickets.models import Call

from . import services
from .models import Article, CallArticle

# (question, category, tags, answer, writer no, state: "draft" | "published" | "old")
ARTICLES = [
    ("退款流程：客户要求退款怎么办？", "enquiry", "退款 退货 订单",
     "1. 核对订单号和购买渠道；\n2. 未发货订单可直接在系统中取消，款项3个工作日内原路退回；\n"
     "3. 已发货订单请客户拒收或寄回，仓库签收后3个工作日内退款；\n4. 告知客户退款进度可凭订单号来电查询。",
     "CS002", "published"),
    ("发票补开：客户没有收到发票或需要补开", "enquiry", "发票 补开 开票",
     "电子发票在订单完成后24小时内发送到预留邮箱。需要补开的，登记客户单位名称、税号、邮箱和订单号，"
     "转财务部，3个工作日内补开；纸质发票按月统一邮寄。", "CS002", "published"),
    ("物流查询：包裹到哪里了？", "enquiry", "物流 快递 配送",
     "用订单号在物流系统查询运单；显示已签收但客户未收到的，先请客户询问家人、门卫和快递柜，"
     "仍未找到的登记后转物流配送部核实，承诺24小时内回复。", "CS003", "published"),
    ("报修预约：热水器、空调等上门维修怎么约？", "repair", "报修 维修 上门",
     "记录地址、联系电话、故障现象和方便上门的时间，转工程部派单。20分钟内无人到场的，"
     "由接听客服回电客户说明情况；维修完成后回访客户满意度。", "CS002", "published"),
    ("失物招领：客户在园区丢了东西", "lost_property", "失物 丢失 招领",
     "先查失物招领登记（按物品类别和时间），有匹配的请客户带身份证件到游客中心认领；"
     "没有的登记失物报失，留下联系电话，有消息主动联系客户。", "CS003", "published"),
    ("会员积分兑换规则", "enquiry", "会员 积分 兑换",
     "积分自获得之日起一年有效，100积分可抵扣1元，可在下单时直接使用；积分不可转让，不可兑换现金。",
     "CS002", "published"),
    ("订单延迟发货如何答复客户？", "complaint", "延迟 发货 订单",
     "先致歉，查询订单状态并告知预计发货时间；超过承诺时间的，登记投诉并转物流配送部，"
     "约定回复时间，按时回复客户处理结果。", "CS003", "published"),
    ("商品质量问题：收到的商品有破损或异味", "complaint", "质量 破损 退换",
     "请客户保留商品和包装并拍照，登记投诉转质量管理部；食品类请客户暂停食用。"
     "可按客户意愿退货或换货，运费由公司承担。", "CS002", "published"),
    ("客户对服务不满意、情绪激动时怎么处理？", "grumble", "抱怨 情绪 安抚",
     "耐心倾听，不打断，不争辩；先致歉再说明，可以说“非常理解您的心情”；"
     "不说“这不是我的工作”“我不知道”；当场不能解决的，约定回复时间。", "CS002", "published"),
    ("客户的建议如何登记和反馈？", "suggestion", "建议 反馈",
     "感谢客户，完整记录建议内容和联系方式，转市场营销部；每月汇总，采纳的建议由客服回访告知客户。",
     "CS003", "draft"),
    ("周末和节假日的配送安排", "enquiry", "配送 周末 节假日",
     "周六正常配送，周日和法定节假日只配送生鲜订单；春节期间的安排以官网公告为准。", "CS003", "old"),
    ("修改收货地址", "enquiry", "地址 修改 订单",
     "未发货订单可直接修改地址；已发货的请客户联系快递员改派，或转物流配送部协助处理。", "CS002", "published"),
]

# articles edited after publishing: the new answer
EDITS = {
    "退款流程：客户要求退款怎么办？":
        "1. 核对订单号和购买渠道；\n2. 未发货订单可直接在系统中取消，款项3个工作日内原路退回；\n"
        "3. 已发货订单请客户拒收或寄回，仓库签收后3个工作日内退款；\n"
        "4. 使用优惠券的订单，优惠券在退款完成后退回账户；\n5. 告知客户退款进度可凭订单号来电查询。",
}

# demo calls (tickets.demo, by summary) and the article that answered each
USED = [
    ("询问发票补开流程", "发票补开：客户没有收到发票或需要补开"),
    ("咨询会员积分兑换规则", "会员积分兑换规则"),
    ("热水器不出热水，要求上门维修", "报修预约：热水器、空调等上门维修怎么约？"),
    ("快递包裹丢失", "物流查询：包裹到哪里了？"),
    ("批量订单延迟发货", "订单延迟发货如何答复客户？"),
]


def load(stdout=None):
    people = {e.employee_no: e for e in Employee.objects.filter(employee_no__in=["CS002", "CS003"])}
    if len(people) < 2:
        return
    made = 0
    for question, category, tags, answer, writer, state in ARTICLES:
        if Article.objects.filter(question=question).exists():
            continue
        by = people[writer]
        article = services.article_create(by=by, question=question, answer=answer, category=category, tags=tags)
        made += 1
        if state == "published":
            services.article_publish(article=article, by=by)
        if question in EDITS:  # a later edit by the other supervisor: the page shows two versions
            other = people["CS003" if writer == "CS002" else "CS002"]
            services.article_edit(article=article, by=other, question=question, answer=EDITS[question],
                                  category=category, tags=tags)
        elif state == "old":  # published seven months ago: due for review now
            services.article_publish(article=article, by=by, now=timezone.now() - dt.timedelta(days=213))
    services.articles_mark_due()
    marked = 0
    for summary, question in USED:
        call = Call.objects.filter(summary=summary).exclude(status=Call.Status.VOIDED).order_by("pk").first()
        article = Article.objects.filter(question=question).first()
        if call is None or article is None or CallArticle.objects.filter(call=call, article=article).exists():
            continue
        services.call_article_mark(call=call, article=article, by=call.agent)
        marked += 1
    if stdout is not None:
        stdout.write(f"knowledge: {made} articles, {marked} marked on calls")
