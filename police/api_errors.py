"""One JSON shape for every API error:

    {"errors": [{"field": "children[0].dob", "message": "The date of birth must be ..."}]}

`field` names the offending field (a child's fields as children[i].name) or is null when
the error is about the request as a whole (authentication, rate limit, not found)."""

import logging

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


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
