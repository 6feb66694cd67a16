"""Pages of the knowledge base: the list (search, category), an article (its versions, usage and calls, the moves
it may make), writing and editing, the review setting, and the intake page's panel (matches as the agent types
the summary; the article that answered the call)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import can, require
from csmgmt.core.posted import requires
from tickets.models import Call

from . import selectors, services
from .forms import ArticleCreateForm, ArticleFilterForm, ArticleForm, MarkUsedForm, SettingsForm
from .models import Article, KnowledgeSettings
from .workflow import KnowledgeError, available_actions

PAGE_SIZE = 20


def _page(qs, number: int, size: int = PAGE_SIZE) -> dict:
    """One row more than a page: next/previous without counting the table."""
    rows = list(qs[(number - 1) * size: number * size + 1])
    for row in rows:
        row.rate = selectors.resolution_rate(row.used, row.resolved)
    return {"rows": rows[:size], "number": number, "has_next": len(rows) > size, "has_previous": number > 1,
            "next": number + 1, "previous": number - 1}


def _article_or_404(request, pk) -> Article:
    article = selectors.article_for(request.user, pk)
    if article is None:
        raise Http404
    return article


@require("knowledge.read")
@reads(Param.text("q"), Param.choice("category", lambda: Call.Category.values, label=gettext_lazy("category")),
       Param.choice("state", lambda: Article.State.values, label=gettext_lazy("state")), Param.page())
def article_list(request):
    p = request.params
    writer = can(request.user, "knowledge.write")
    qs = selectors.article_list(request.user, q=p["q"], category=p["category"], state=p["state"] if writer else "")
    return render(request, "knowledge/article_list.html", {
        "page": _page(qs, p["page"]), "form": ArticleFilterForm(p.form_data() or None), "query": p.query(),
        "may_write": writer, "filtered": bool(p["q"] or p["category"] or p["state"]),
    })


@require("knowledge.read")
def article_detail(request, pk):
    article = _article_or_404(request, pk)
    return render(request, "knowledge/article_detail.html", {
        "article": article, "usage": selectors.article_usage(article),
        "versions": selectors.article_versions(article), "calls": selectors.article_calls(article),
        "events": list(article.events.select_related("by").order_by("at", "pk")),
        "actions": available_actions(article, request.user), "may_write": can(request.user, "knowledge.write"),
        "mark_form": MarkUsedForm() if article.state in selectors.OFFERED else None,
    })


@require("knowledge.write")
def article_create(request):
    form = ArticleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        by = request.user.employee
        try:
            article = once(form, by=by, create=lambda: services.article_create(by=by, **form.cleaned_data),
                           url=lambda a: reverse("knowledge:detail", args=[a.pk]), label=lambda a: a.number)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except KnowledgeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Article %(number)s saved as a draft.") % {"number": article.number})
            return redirect("knowledge:detail", article.pk)
    return render(request, "knowledge/article_form.html", {"form": form, "article": None})


@require("knowledge.write")
def article_edit(request, pk):
    article = _article_or_404(request, pk)
    initial = {"question": article.question, "answer": article.answer, "category": article.category,
               "tags": article.tags}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_edit(article=article, by=request.user.employee, **form.cleaned_data)
        except KnowledgeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Article %(number)s saved.") % {"number": article.number})
            return redirect("knowledge:detail", article.pk)
    return render(request, "knowledge/article_form.html", {"form": form, "article": article})


MOVES = {"publish": services.article_publish, "review": services.article_review}


@require("knowledge.write")
@require_POST
@requires("action")
def article_act(request, pk):
    """Publish or review (the moves the page offers; the service checks again)."""
    article = _article_or_404(request, pk)
    action = request.POST.get("action", "")
    service = MOVES.get(action)
    if service is None:
        messages.error(request, _("Unknown action."))
        return redirect("knowledge:detail", article.pk)
    try:
        service(article=article, by=request.user.employee, comment=request.POST.get("comment", "")[:1000])
    except KnowledgeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Article %(number)s is now “%(state)s”.") % {
            "number": article.number, "state": Article.objects.get(pk=article.pk).get_state_display()})
    return redirect("knowledge:detail", article.pk)


@require("knowledge.read")
@require_POST
@requires("call")
def article_mark_used(request, pk):
    """Mark the article as the one that answered a call, by the call's number (the page's way without the intake
    panel, e.g. after the call)."""
    article = _article_or_404(request, pk)
    form = MarkUsedForm(request.POST)
    if form.is_valid():
        call = Call.objects.filter(number=form.cleaned_data["call"].strip().upper()).first()
        if call is None:
            messages.error(request, _("No call numbered %(number)s.") % {"number": form.cleaned_data["call"]})
        else:
            try:
                services.call_article_mark(call=call, article=article, by=request.user.employee)
            except KnowledgeError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Call %(number)s marked as answered by this article.") % {
                    "number": call.number})
    else:
        messages.error(request, _("Type a call number."))
    return redirect("knowledge:detail", article.pk)


@require("knowledge.configure")
def knowledge_settings(request):
    current = KnowledgeSettings.current()
    form = SettingsForm(request.POST or None, initial={"review_after_months": current.review_after_months})
    if request.method == "POST" and form.is_valid():
        try:
            services.knowledge_settings_save(by=request.user.employee, **form.cleaned_data)
        except KnowledgeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Knowledge base settings saved."))
            return redirect("knowledge:settings")
    return render(request, "knowledge/settings.html", {"form": form})


# --- the intake page's panel ------------------------------------------------------------------------------


def intake_panel_context(request, form) -> dict:
    """The panel as the intake page renders it (``csmgmt.core.registry.IntakePanel``): after a refused save, the
    matches of the summary typed and the article marked."""
    summary = form["summary"].value() if form.is_bound else ""
    marked = None
    if form.is_bound:
        raw = (form.data.get("kb_article") or "").strip()
        if raw.isdigit() and len(raw) <= 12:
            marked = Article.objects.filter(pk=int(raw), state__in=selectors.OFFERED).first()
    return {"matches": selectors.intake_matches(summary or ""), "summary": summary or "", "marked": marked}


@require("knowledge.read")
@require_GET
@reads(Param.text("summary", label=gettext_lazy("summary"), max_length=200), announce=False)
def intake_search(request):
    """The htmx fragment: the articles matching the summary as the agent types it."""
    summary = request.params["summary"]
    return render(request, "knowledge/partials/intake_results.html",
                  {"panel": {"matches": selectors.intake_matches(summary), "summary": summary}})


@require("knowledge.read")
@require_GET
@reads(Param.integer("article", label=gettext_lazy("article")), announce=False)
def intake_mark(request):
    """The htmx fragment holding the article marked as the one that answered (its hidden input joins the intake
    form); without an article, the mark is cleared. Nothing is stored until the call is saved."""
    pk = request.params["article"]
    marked = Article.objects.filter(pk=pk, state__in=selectors.OFFERED).first() if pk else None
    return render(request, "knowledge/partials/intake_marked.html", {"panel": {"marked": marked}})
