"""The targets pages (REGULATIONS §10): "my month" for an agent, the team for a supervisor, the department with
its 12-month trend for a manager, and the manager's targets. Thin: a selector reads, one service writes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import require

from . import selectors
from .forms import TargetForm
from .services import TargetError, target_set

MONTH = Param.month(default=selectors.this_month)
AGENTS_PER_PAGE = 50  # the department's agents, a page at a time (its teams and trend above them)


def _month_nav(period) -> dict:
    prev, nxt = selectors.month_shift(period, -1), selectors.month_shift(period, 1)
    return {"month": f"{period.year:04d}-{period.month:02d}", "prev_month": f"{prev.year:04d}-{prev.month:02d}",
            "next_month": f"{nxt.year:04d}-{nxt.month:02d}"}


def _context(board) -> dict:
    return {"board": board, "figures": selectors.figure_labels(), "met_label": _("target met"),
            "below_label": _("below target"), **_month_nav(board.period)}


@require("targets.view_own")
@require_GET
@reads(MONTH)
def my_month(request):
    board = selectors.board(request.params["month"], employees=selectors.own_employee(request.user.employee),
                            department=False)
    return render(request, "targets/my_month.html", {**_context(board), "row": board.agents[0]})


@require("targets.view_team")
@require_GET
@reads(MONTH)
def team(request):
    board = selectors.board(request.params["month"], employees=selectors.team_employees(request.user.employee),
                            department=False)
    return render(request, "targets/team.html", _context(board))


@require("targets.view_department")
@require_GET
@reads(MONTH, Param.page())
def department(request):
    period = request.params["month"]
    board = selectors.board(period, employees=selectors.department_employees(request.user.employee),
                            department=True)
    months = selectors.trend(period, board=board)
    page = Paginator(board.agents, AGENTS_PER_PAGE).get_page(request.params["page"])
    return render(request, "targets/department.html", {
        **_context(board), "trend": months, "chart": selectors.chart(months), "page": page,
        "query": request.params.query(),
        "satisfaction_chart": selectors.satisfaction_chart(months), "stored_at": selectors.stored_at(),
    })


@require("targets.set")
def settings_page(request):
    form = TargetForm(request.POST or None, initial={"month": _month_nav(selectors.this_month())["month"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = once(form, by=request.user.employee,
                          create=lambda: target_set(figure=data["figure"], month=data["month"], value=data["value"],
                                                    by=request.user.employee),
                          url=lambda t: reverse("targets:settings"), label=lambda t: str(t.get_figure_display()))
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except TargetError as exc:
            form.add_error(None, str(exc))
            form.renew_token()
        else:
            messages.success(request, _("Target saved: %(figure)s %(value)s from %(month)s.") % {
                "figure": target.get_figure_display(), "value": target.value,
                "month": f"{target.applies_from:%Y-%m}"})
            return redirect("targets:settings")
    return render(request, "targets/settings.html", {"form": form, "targets": selectors.targets_current()})
