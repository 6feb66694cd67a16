"""One realistic world for the security tests: the demo data (every app's ``demo.load``) plus the few
records the demo has no file for (an evidence file, a photo, a certificate, a signature, a monthly
report), and one logged-in employee without any role. ``url_kwargs(name, world)`` gives real ids."""

import importlib
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin", "none")


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


@dataclass
class World:
    users: dict = field(default_factory=dict)       # role -> User
    objects: dict = field(default_factory=dict)     # key -> model instance


def build_world() -> World:
    from complaints.models import Complaint, Evidence, Stage
    from csmgmt.models import MonthlyReport, Notification
    from lostfound.models import Claim, FoundItem, FoundItemPhoto, HandoverBatch, LostReport
    from staff.models import (Appeal, Correction, Department, DutyLogEntry, Employee, LeaveDeputy, LeaveRequest,
                              ManualCategory,
                              ManualEntry, PenaltyRecord, Rule, RuleSet, Shift)
    from tickets.models import Call, Customer, Holiday, Script

    for module in settings.DEMO_MODULES:
        importlib.import_module(module).load()
    User = get_user_model()
    w = World()
    for role in ROLES[:-1]:
        w.users[role] = User.objects.get(username=role)
    w.users["none"] = User.objects.get(username="finance")  # an employee (财务部) holding no role
    agent = w.users["agent"].employee
    handler = w.users["handler"].employee
    o = w.objects
    o["notification"] = Notification.objects.filter(recipient=agent).first() or Notification.objects.create(
        recipient=agent, text="demo", link="/")
    leave = LeaveRequest.objects.filter(employee=agent).order_by("-pk").first() or LeaveRequest.objects.first()
    leave.certificate.save("certificate.png", ContentFile(png_bytes()), save=True)
    o["leave"] = leave
    o["correction"] = Correction.objects.order_by("pk").first()
    o["deputy"] = LeaveDeputy.objects.order_by("pk").first()
    o["shift"] = Shift.objects.order_by("pk").first()
    o["duty"] = DutyLogEntry.objects.order_by("pk").first()
    o["employee"] = agent
    o["department"] = Department.objects.get(code="CS")
    from staff.models import CalendarException, PublicDay

    o["calendar_exception"] = CalendarException.objects.filter(voided_at__isnull=True).order_by("pk").first()
    o["public_day"] = PublicDay.objects.filter(voided_at__isnull=True).order_by("pk").first()
    entry = ManualEntry.objects.filter(employee=agent).first() or ManualEntry.objects.order_by("pk").first()
    entry.evidence.save("evidence.png", ContentFile(png_bytes()), save=True)
    o["manual_entry"] = entry
    o["record"] = PenaltyRecord.objects.filter(employee=agent).order_by("pk").first()
    o["appeal"] = Appeal.objects.order_by("pk").first()
    o["rule_set"] = RuleSet.objects.order_by("pk").first()
    o["rule"] = Rule.objects.filter(rule_set=o["rule_set"]).order_by("pk").first()
    o["category"] = ManualCategory.objects.order_by("pk").first()
    o["call"] = Call.objects.order_by("pk").first()
    qa_call = Call.objects.exclude(pk=o["call"].pk).order_by("pk").first()
    Call.objects.filter(pk=qa_call.pk).update(outcome=Call.Outcome.TRANSFERRED, department=handler.department,
                                             department_replied_at=None)
    o["call_qa"] = Call.objects.get(pk=qa_call.pk)  # handed over to the QA handler's department
    from tickets.models import CallRevisit

    o["revisit"] = CallRevisit.objects.order_by("pk").first()  # the demo's revisits (tickets.demo)
    o["customer"] = Customer.objects.order_by("pk").first()
    o["script"] = Script.objects.order_by("pk").first()
    o["holiday"] = Holiday.objects.order_by("pk").first()
    from csmgmt.api.models import ExchangeCall, Integration

    o["integration"] = Integration.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    o["exchange_call"] = ExchangeCall.objects.filter(answered_at__isnull=True).order_by("pk").first()  # a missed one
    # a complaint the QA handler may see (their department) and one in another department
    o["complaint"] = (Complaint.objects.filter(responsible_department=handler.department).order_by("pk").first()
                      or Complaint.objects.order_by("pk").first())
    o["complaint_other"] = Complaint.objects.exclude(responsible_department=handler.department).exclude(
        responsible_department=None).order_by("pk").first()
    o["complaint_analyse"] = Complaint.objects.filter(stage=Stage.ANALYSE).order_by("pk").first()
    evidence_file = default_storage.save("complaints/evidence/world.png", ContentFile(png_bytes()))
    display_file = default_storage.save("complaints/evidence-display/world.png", ContentFile(png_bytes()))
    o["evidence"] = Evidence.objects.create(complaint=o["complaint"], file=evidence_file, display=display_file,
                                            original_name="photo.png",
                                            content_type="image/png", size=len(png_bytes()),
                                            uploaded_by=w.users["agent"].employee)
    claim = Claim.objects.select_related("item").order_by("pk").first()
    if claim and not claim.signature:
        claim.signature = default_storage.save("lostfound/signatures/world.png", ContentFile(png_bytes()))
        claim.save(update_fields=["signature"])
    o["claimed_item"] = claim.item
    o["item"] = FoundItem.objects.filter(claim__isnull=True).order_by("pk").first()
    photo_name = default_storage.save("lostfound/photos/world.png", ContentFile(png_bytes()))
    o["photo"] = FoundItemPhoto.objects.create(item=o["item"], original=photo_name, display=photo_name,
                                               thumbnail=photo_name, uploaded_by=w.users["custodian"].employee)
    o["lost_report"] = LostReport.objects.order_by("pk").first()
    o["handover"] = HandoverBatch.objects.filter(status="prepared").order_by("pk").first()  # this month's (the
    # demo also has last month's, confirmed)
    report_file = default_storage.save("reports/world.xlsx", ContentFile(b"PK\x03\x04 not really a workbook"))
    import datetime
    o["report"] = MonthlyReport.objects.create(month=datetime.date(2026, 10, 1), language="en",
                                               status=MonthlyReport.Status.DONE, progress=100, file=report_file,
                                               size=10, requested_by=w.users["manager"].employee)
    from csmgmt.core.models import ImportJob

    import_file = default_storage.save("imports/world.csv", ContentFile(b"received_at,caller_phone\n"))
    o["import_job"] = ImportJob.objects.create(kind="calls", original_name="world.csv", file=import_file,
                                               status=ImportJob.Status.DONE, summary="Imported 0 calls.",
                                               requested_by=w.users["manager"].employee)
    from knowledge.models import Article

    o["article"] = Article.objects.filter(state="published").order_by("pk").first()
    from quality.models import Inspection, ItemScore

    o["inspection"] = Inspection.objects.filter(agent=agent).order_by("pk").first()  # scored, the agent's own
    o["item_score"] = ItemScore.objects.filter(inspection__agent=agent).order_by("pk").first()
    missing = [k for k, v in o.items() if v is None]
    assert not missing, f"the world lacks {missing}"
    return w


def _pk(key):
    return lambda w: {"pk": w.objects[key].pk}


# URL name -> {variant: kwargs from the world}. Names with no parameters need no entry.
KWARGS = {
    "knowledge:detail": _pk("article"),
    "knowledge:edit": _pk("article"),
    "knowledge:act": _pk("article"),
    "knowledge:mark_used": _pk("article"),
    "integrations:detail": _pk("integration"),
    "integrations:revoke": _pk("integration"),
    "telephony:take": _pk("exchange_call"),
    "telephony:link": _pk("exchange_call"),
    "api:call_read": lambda w: {"number": w.objects["call"].number},
    "api:complaint_read": lambda w: {"number": w.objects["complaint"].number},
    "staff:notification_read": _pk("notification"),
    "staff:attendance_leave_detail": _pk("leave"),
    "staff:attendance_leave_certificate": _pk("leave"),
    "staff:attendance_leave_decide": _pk("leave"),
    "staff:attendance_leave_cancel": _pk("leave"),
    "staff:attendance_leave_certificate_add": _pk("leave"),
    "staff:attendance_leave_certificate_decide": _pk("leave"),
    "staff:attendance_deputy_withdraw": _pk("deputy"),
    "staff:attendance_correction_decide": _pk("correction"),
    "staff:attendance_shift_edit": _pk("shift"),
    "staff:calendar_department": _pk("department"),
    "staff:calendar_exception_void": _pk("calendar_exception"),
    "staff:calendar_public_day_void": _pk("public_day"),
    "staff:attendance_duty_detail": _pk("duty"),
    "staff:attendance_duty_edit": _pk("duty"),
    "staff:attendance_duty_sign": _pk("duty"),
    "staff:attendance_duty_addendum": lambda w: {"addendum_to": w.objects["duty"].pk},
    "staff:scoring_employee_card": _pk("employee"),
    "quality:detail": _pk("inspection"),
    "quality:score": _pk("inspection"),
    "quality:swap": _pk("inspection"),
    "quality:appeal": _pk("inspection"),
    "quality:decide": _pk("inspection"),
    "quality:violation": _pk("item_score"),
    "staff:scoring_fund": _pk("department"),
    "staff:scoring_manual_void": _pk("manual_entry"),
    "staff:scoring_evidence": _pk("manual_entry"),
    "staff:scoring_appeal_new": _pk("record"),
    "staff:scoring_appeal_decide": _pk("appeal"),
    "staff:scoring_rule_set_edit": _pk("rule_set"),
    "staff:scoring_rule_set_copy": _pk("rule_set"),
    "staff:scoring_rule_set_activate": _pk("rule_set"),
    "staff:scoring_rule_new": _pk("rule_set"),
    "staff:scoring_rule_edit": lambda w: {"pk": w.objects["rule_set"].pk, "rule_pk": w.objects["rule"].pk},
    "staff:scoring_category_edit": _pk("category"),
    "tickets:detail": _pk("call"),
    "tickets:edit": _pk("call"),
    "tickets:note": _pk("call"),
    "tickets:close": _pk("call"),
    "tickets:hand_over": _pk("call"),
    "tickets:void": _pk("call"),
    "tickets:reply": _pk("call"),
    "tickets:valid_check": _pk("call"),
    "tickets:marking_violation": _pk("call"),
    "tickets:repair_on_site": _pk("call"),
    "tickets:repair_finished": _pk("call"),
    "tickets:repair_revisit": _pk("call"),
    "tickets:revisit_need": _pk("call"),
    "tickets:revisit_record": _pk("revisit"),
    "tickets:revisit_settle": _pk("revisit"),
    "tickets:customer_detail": _pk("customer"),
    "tickets:customer_edit": _pk("customer"),
    "tickets:customer_merge": _pk("customer"),
    "tickets:script_edit": _pk("script"),
    "complaints:create_from_call": lambda w: {"call_id": w.objects["call"].pk},
    "complaints:from_revisit": lambda w: {"revisit_id": w.objects["revisit"].pk},
    "complaints:detail": _pk("complaint"),
    "complaints:act": _pk("complaint"),
    "complaints:print": _pk("complaint"),
    "complaints:evidence_upload": _pk("complaint"),
    "complaints:evidence": lambda w: {"pk": w.objects["complaint"].pk, "evidence_id": w.objects["evidence"].pk},
    "complaints:evidence_image": lambda w: {"pk": w.objects["complaint"].pk, "evidence_id": w.objects["evidence"].pk},
    "lostfound:item": _pk("item"),
    "lostfound:item_photo_add": _pk("item"),
    "lostfound:item_receipt": _pk("item"),
    "lostfound:item_card": _pk("item"),
    "lostfound:claim_new": _pk("item"),
    "lostfound:claim": _pk("claimed_item"),
    "lostfound:claim_signature": _pk("claimed_item"),
    "lostfound:item_store": _pk("item"),
    "lostfound:item_dispose": _pk("item"),
    "lostfound:photo": lambda w: {"pk": w.objects["photo"].pk, "size": "display"},
    "lostfound:report": _pk("lost_report"),
    "lostfound:report_contacted": _pk("lost_report"),
    "lostfound:report_withdraw": _pk("lost_report"),
    "lostfound:handover": _pk("handover"),
    "reports:row": _pk("report"),
    "reports:download": _pk("report"),
    "imports:detail": _pk("import_job"),
    "imports:status": _pk("import_job"),
}

# Extra variants of a URL with another object (object-level rules): (name, variant) -> kwargs.
VARIANTS = {
    ("complaints:detail", "other department"): _pk("complaint_other"),
    ("complaints:print", "other department"): _pk("complaint_other"),
    ("complaints:act", "other department"): _pk("complaint_other"),
    ("complaints:detail", "at analysis"): _pk("complaint_analyse"),
    ("tickets:detail", "transferred to QA"): _pk("call_qa"),
    ("tickets:reply", "transferred to QA"): _pk("call_qa"),
    ("tickets:repair_on_site", "transferred to QA"): _pk("call_qa"),
    ("tickets:repair_finished", "transferred to QA"): _pk("call_qa"),
}
