"""Called from ``StaffConfig.ready()``: register nav entries, home panels and jobs here."""

from django.utils.translation import gettext_lazy as _


def _pending_appeals(user) -> int | None:
    from staff.models import Appeal

    return Appeal.objects.filter(status=Appeal.Status.PENDING).count() or None


def _home_context(request):
    from django.utils import timezone

    from .selectors import card_of, score_month_find

    today = timezone.localdate()
    employee = getattr(request.user, "employee", None)
    score_month = score_month_find(today.year, today.month)
    card = card_of(employee, score_month) if employee is not None and score_month is not None else None
    return {"card": card, "month": f"{today.year:04d}-{today.month:02d}"}


def ready():
    from csmgmt.core.registry import HomeWidget, Job, NavItem, register_home, register_job, register_nav

    register_nav(NavItem("staff:scoring_card", _("My scorecard"), "scoring.view_own", icon="award", section="me",
                         order=40))
    register_nav(NavItem("staff:scoring_month", _("Scores"), "scoring.view_team", icon="award", section="manage",
                         order=40))
    register_nav(NavItem("staff:scoring_manual_list", _("Violations and praise"), "scoring.record_manual",
                         icon="journal-check", section="manage", order=41))
    register_nav(NavItem("staff:scoring_appeals", _("Appeals"), "scoring.decide_appeal", icon="chat-left-quote",
                         section="manage", order=42, badge=_pending_appeals))
    register_nav(NavItem("staff:scoring_rule_sets", _("Scoring rules"), "scoring.configure", icon="sliders2",
                         section="manage", order=43))
    register_home(HomeWidget("staff/scoring/partials/home_card.html", "scoring.view_own", _home_context, order=60))
    register_job(Job("scoring-materialise-recent", "staff.scoring.tasks.scoring_materialise_recent",
                     _("Compute this month's and last month's penalty and reward records"),
                     crontab={"minute": "30", "hour": "1"}, title=_("Penalty and reward records")))
