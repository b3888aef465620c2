"""One JSON shape for every API error:

    {"errors": [{"field": "children[0].dob", "message": "The date of birth must be ..."}]}

`field` names the offending field (a child's fields as children[i].name) or is null when
the error is about the request as a whole (authentication, rate limit, not found)."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

# How long a caller should wait when SQLite is busy with another write (seconds).
BUSY_RETRY_AFTER = 2


def database_is_locked(exc: BaseException) -> bool:
    """SQLite's answer when another process holds the write lock longer than its timeout."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


class BoundedJSONParser(JSONParser):
    """JSON nested deeper than Python can follow is a bad request, not a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("The JSON is nested too deeply: send the incident as documented") from None


def _error(message: str, code: int, **headers) -> Response:
    return Response({"errors": [{"field": None, "message": message}]}, status=code, headers=headers)


def _path(prefix: str | None, key) -> str | None:
    if key in ("non_field_errors", "detail"):
        return prefix
    if isinstance(key, int):  # DRF reports a list's item errors by index
        return f"{prefix}[{key}]" if prefix else f"[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def errors_flatten(detail, prefix: str | None = None) -> list[dict]:
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            items += errors_flatten(value, _path(prefix, key))
        return items
    if isinstance(detail, list):
        if detail and all(isinstance(d, dict) for d in detail):
            return [item for i, d in enumerate(detail) for item in errors_flatten(d, _path(prefix, i))]
        return [item for d in detail for item in errors_flatten(d, prefix)]
    return [{"field": prefix, "message": str(detail)}]


def api_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        return _error("The body is too large: send one incident at a time", 413)
    if database_is_locked(exc):
        logger.warning("Database busy in %s: answered 503", type(context.get("view")).__name__)
        return _error(
            "The service is busy: try again in a few seconds", 503, **{"Retry-After": str(BUSY_RETRY_AFTER)}
        )
    response = exception_handler(exc, context)
    if response is None:
        view = context.get("view")
        logger.exception("API error in %s", type(view).__name__ if view else "unknown view")
        return Response(
            {"errors": [{"field": None, "message": "Something went wrong on our side: try again later"}]},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    response.data = {"errors": errors_flatten(response.data)}
    return response
