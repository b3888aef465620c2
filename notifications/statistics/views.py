from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from encompass.events import client_ip, event_record
from notifications.statistics import selectors
from notifications.statistics.charts import figure_chart, trend_chart
from notifications.statistics.csv import figure_csv
from notifications.statistics.filters import Scope, scope_from_request
from notifications.statistics.overview import MORE_FIGURES, SORTS, statistics_overview

TRENDS = {"notifications_by_month": "month", "notifications_by_week": "week"}


def index(request):
    scope, form = scope_from_request(request, request.GET)
    context = {"scope": scope, "form": form, "years": _years(), **_queries(scope)}
    if scope:
        context["overview"] = statistics_overview(
            scope, sort=request.GET.get("sort", ""), order=request.GET.get("order", "")
        )
        context["more_figures"] = MORE_FIGURES
        context["sorts"] = _sort_links(scope, context["overview"].schools)
    return render(request, "statistics/index.html", context, status=200 if scope else 400)


def figure(request, key: str):
    if key not in selectors.FIGURES:
        raise Http404
    scope, form = scope_from_request(request, request.GET)
    context = {"scope": scope, "form": form, "key": key, **_queries(scope)}
    if scope:
        context["figure"] = shown = selectors.statistics_figure(scope, key)
        if key in TRENDS:
            step = TRENDS[key]
            context["trend_chart"] = trend_chart(shown, selectors.periods(scope.start, scope.end, step), step)
        else:
            context["chart"] = figure_chart(shown)
    return render(request, "statistics/figure.html", context, status=200 if scope else 400)


def figure_download(request, key: str):
    scope, form = scope_from_request(request, request.GET)
    if scope is None:
        return HttpResponse(
            "Check the filters: " + form.errors.as_text(), status=400, content_type="text/plain"
        )
    figure = selectors.statistics_figure(scope, key)
    _record_export(request, scope, key)
    response = HttpResponse(figure_csv(figure), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{scope.start}-{scope.end}.csv"'
    return response


def summary(request, year: int):
    scope, form = scope_from_request(request, request.GET, year=year)
    figures = selectors.statistics_figures(scope) if scope else []
    context = {"scope": scope, "form": form, "figures": _with_charts(figures), "year": year}
    return render(request, "statistics/summary.html", context, status=200 if scope else 400)


def _queries(scope: Scope | None) -> dict:
    """The filters as a query string, for links that keep them (figure pages, CSV)."""
    return {"download_query": urlencode(scope.as_query()) if scope else None}


def _sort_links(scope: Scope, table) -> dict[str, dict]:
    """For each sortable column: the link that sorts by it (the other way round when it is
    the current order) and its aria-sort value."""
    links = {}
    for name in SORTS:
        current = name == table.sort
        descending = not table.descending if current else name != "school"
        query = urlencode({**scope.as_query(), "sort": name, "order": "desc" if descending else "asc"})
        aria = ("descending" if table.descending else "ascending") if current else "none"
        links[name] = {"query": query, "aria_sort": aria}
    return links


def _with_charts(figures):
    return [(figure, figure_chart(figure)) for figure in figures]


def _years() -> list[int]:
    today = timezone.localdate()
    latest = today.year if today.month >= 9 else today.year - 1
    return list(range(latest, latest - 5, -1))


def _record_export(request, scope: Scope, key: str) -> None:
    event_record(
        verb="statistics.exported",
        obj=scope.partnership or request.user,
        actor=request.user,
        ip_address=client_ip(request),
        figure=key,
        **{k: str(v) for k, v in scope.as_query().items()},
    )
