"""Views: data queries (list, thread, raise, answer, close, re-open) and the source-data verification page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from screening import roles, verdicts
from screening.eligibility import InvalidRecord
from screening.forms_monitoring import AnswerForm, CloseForm, MessageForm, QueryFilter, RaiseForm
from screening.models import Query
from screening.selectors import candidates as candidate_selectors
from screening.selectors import queries as selectors
from screening.selectors.sdv import item_rows
from screening.services import queries as services
from screening.services import sdv
from screening.services.refusals import ReasonRequired, Refused, StaleCandidate
from screening.source_items import items_of

ANSWERERS = (*Query.ASSIGNABLE, roles.ADMIN)
PER_PAGE = 50


@roles.role_required(roles.READERS)
def query_list(request):
    filterset = QueryFilter(request.GET or None, queryset=selectors.query_list())
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "screening/queries/list.html", {"filter": filterset, "page": page, "now": timezone.now()})


def _query(pk):
    return selectors.get_query(pk)


def _detail(request, query, *, answer_form=None, close_form=None, reopen_form=None, status=200):
    user = request.user
    candidate = candidate_selectors.get_candidate_for(user, query.candidate.screening_number, with_rows=True)
    items = {item.key: item for item in items_of(candidate)}
    can_answer = query.state == Query.State.OPEN and services.can_answer(user, query)
    can_close = roles.has_role(user, services.RAISERS) and services.can_close(user, query)
    return render(request, "screening/queries/detail.html", {
        "query": query,
        "candidate": candidate,
        "thread": selectors.thread(query),
        "item": items.get(query.item),
        "answer_form": (answer_form or AnswerForm(query=query, candidate=candidate)) if can_answer else None,
        "close_form": (close_form or CloseForm()) if can_close and query.state != Query.State.CLOSED else None,
        "reopen_form": (reopen_form or MessageForm()) if can_close and query.state != Query.State.OPEN else None,
    }, status=status)


@roles.role_required(roles.READERS)
def query_detail(request, pk):
    return _detail(request, _query(pk))


def _act(request, query, form, form_name, perform):
    if form.is_valid():
        try:
            message = perform(form)
        except Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, message)
            return redirect("screening:query_detail", pk=query.pk)
    return _detail(request, query, status=400, **{form_name: form})


@roles.role_required(ANSWERERS)
@require_POST
def query_answer(request, pk):
    query = _query(pk)
    candidate = candidate_selectors.get_candidate_for(request.user, query.candidate.screening_number, with_rows=True)
    form = AnswerForm(request.POST, query=query, candidate=candidate)

    def perform(form):
        record = form.correction()
        services.answer(query=query, user=request.user, text=form.cleaned_data["text"], record=record,
                        expected_version=form.cleaned_data["version"])
        if record:
            return _("Query #%(number)s answered and the value corrected.") % {"number": query.pk}
        return _("Query #%(number)s answered.") % {"number": query.pk}

    try:
        return _act(request, query, form, "answer_form", perform)
    except InvalidRecord as error:
        form.add_error("value" if "value" in form.fields else None, verdicts.invalid_record(error))
    except (StaleCandidate, ReasonRequired) as error:
        form.add_error(None, str(error))
    return _detail(request, query, status=400, answer_form=form)


def raiser_action(service, form_class, form_name, done):
    """A raiser's POST on a query (close, re-open): the form, the service, back to the thread."""

    @roles.role_required(services.RAISERS)
    @require_POST
    def view(request, pk):
        query = _query(pk)

        def perform(form):
            service(query=query, user=request.user, text=form.cleaned_data["text"])
            return done % {"number": query.pk}

        return _act(request, query, form_class(request.POST), form_name, perform)

    return view


query_close = raiser_action(services.close, CloseForm, "close_form", gettext_lazy("Query #%(number)s closed."))
query_reopen = raiser_action(services.reopen, MessageForm, "reopen_form", gettext_lazy("Query #%(number)s re-opened."))


def source_url(candidate):
    return reverse("screening:candidate_source", args=[candidate.screening_number])


@roles.role_required(services.RAISERS)
def query_raise(request, screening_number):
    candidate = candidate_selectors.get_candidate_for(request.user, screening_number, with_rows=True)
    key = request.POST.get("item") or request.GET.get("item", "")
    item = {item.key: item for item in items_of(candidate)}.get(key)
    form = RaiseForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                query = services.raise_query(candidate=candidate, item=key, user=request.user, **form.cleaned_data)
            except Refused as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("Query #%(number)s raised on %(item)s.")
                                 % {"number": query.pk, "item": query.label})
                return redirect(source_url(candidate) + f"#item-{query.item.replace(':', '-')}")
        status = 400
    elif item is None:
        status = 404
    return render(request, "screening/queries/raise.html",
                  {"candidate": candidate, "item": item, "key": key, "form": form}, status=status)


@roles.role_required(roles.READERS)
def candidate_source(request, screening_number):
    candidate = candidate_selectors.get_candidate_for(request.user, screening_number, with_rows=True)
    rows, progress = item_rows(candidate, selectors.for_candidate(candidate), with_source=True)
    return render(request, "screening/sdv/source.html", {
        "candidate": candidate, "rows": rows, "progress": progress,
        "can_verify": roles.has_role(request.user, sdv.VERIFIERS),
        "can_raise": roles.has_role(request.user, services.RAISERS),
    })


@roles.role_required(sdv.VERIFIERS)
@require_POST
def candidate_verify(request, screening_number):
    candidate = candidate_selectors.get_candidate_for(request.user, screening_number)
    prints = {key.removeprefix("fp:"): value for key, value in request.POST.items() if key.startswith("fp:")}
    if "only" in request.POST:
        chosen = [request.POST["only"]]
    elif "all" in request.POST:
        chosen = list(prints)
    else:
        chosen = request.POST.getlist("item")
    try:
        marks = sdv.verify(candidate=candidate, user=request.user,
                           shown={key: prints.get(key, "") for key in chosen})
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, ngettext("%(count)d item marked verified against source.",
                                           "%(count)d items marked verified against source.", len(marks))
                         % {"count": len(marks)} if marks
                         else _("Those items were already verified at their current values."))
    return redirect(source_url(candidate))


urlpatterns = [
    path("queries/", query_list, name="query_list"),
    path("queries/<int:pk>/", query_detail, name="query_detail"),
    path("queries/<int:pk>/answer/", query_answer, name="query_answer"),
    path("queries/<int:pk>/close/", query_close, name="query_close"),
    path("queries/<int:pk>/reopen/", query_reopen, name="query_reopen"),
    path("candidates/<str:screening_number>/queries/new/", query_raise, name="query_raise"),
    path("candidates/<str:screening_number>/source/", candidate_source, name="candidate_source"),
    path("candidates/<str:screening_number>/source/verify/", candidate_verify, name="candidate_verify"),
]
