from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render

from encompass.events import client_ip, event_record
from notifications.statistics import selectors
from notifications.statistics.charts import figure_chart
from notifications.statistics.csv import figure_csv
from notifications.statistics.filters import Scope, scope_from_request


def index(request):
    scope, form = scope_from_request(request, request.GET)
    figures = selectors.statistics_figures(scope) if scope else []
    context = {
        "scope": scope,
        "form": form,
        "figures": _with_charts(figures),
        "years": _years(),
        "download_query": urlencode(scope.as_query()) if scope else None,
    }
    return render(request, "statistics/index.html", context, status=200 if scope else 400)


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


def _with_charts(figures):
    return [(figure, figure_chart(figure)) for figure in figures]


def _years() -> list[int]:
    from django.utils import timezone

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
