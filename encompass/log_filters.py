"""Log lines carry ids, never personal data. Django logs every 4xx and 5xx answer with the
request's path, and a path can hold a police reference (/api/v1/incidents/42/123456/26/):
the path is replaced by the route it matched, with only the whole-number ids filled in."""

import logging

from django.urls import Resolver404, resolve

UNMATCHED = "(a path that matches no route)"


def request_route(request) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return UNMATCHED
    route = "/" + match.route
    for name, value in match.kwargs.items():
        if isinstance(value, int):
            route = route.replace(f"<int:{name}>", str(value))
    return route


class RouteNotPath(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple) and path in record.args:
            route = request_route(request)
            record.args = tuple(route if arg == path else arg for arg in record.args)
        return True
