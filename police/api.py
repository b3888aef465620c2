"""REST API v1 for police systems (Athena, Niche...): file an incident, and read how far each
child's notification has got. One view per operation; callers are per-force API clients
(police/api_auth.py); errors have one shape (police/api_errors.py)."""

import time

from django.db import OperationalError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.selectors import incident_for_force
from incidents.services import IncidentWithdrawn
from police.api_auth import ApiClientAuthentication, ApiClientThrottle
from police.api_errors import BoundedJSONParser, database_is_locked
from police.selectors import child_progress
from police.serializers import ErrorsSerializer, IncidentInSerializer, IncidentOutSerializer
from police.services import incident_upsert

ERRORS = {
    401: OpenApiResponse(ErrorsSerializer, description="No token, or a revoked or unknown one."),
    404: OpenApiResponse(ErrorsSerializer, description="Your force has no incident with this reference."),
    429: OpenApiResponse(ErrorsSerializer, description="Too many requests: wait and try again."),
}


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT


class ApiView(APIView):
    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ApiClientThrottle]
    parser_classes = [BoundedJSONParser]


# SQLite lets one writer in at a time; a request that finds it busy tries again a few times
# (the upsert is one transaction, so a failed try left nothing), then answers 503.
LOCKED_TRIES = 3


def _retrying_when_locked(write):
    for attempt in range(LOCKED_TRIES):
        try:
            return write()
        except OperationalError as exc:
            if not database_is_locked(exc) or attempt == LOCKED_TRIES - 1:
                raise
            time.sleep(0.2 * 2**attempt)


def _out(incident) -> dict:
    incident.progress = child_progress(incident)
    return IncidentOutSerializer(incident).data


class IncidentUpsertApi(ApiView):
    @extend_schema(
        operation_id="incident_upsert",
        summary="File an incident, or update it",
        description=(
            "Creates the incident with its children, keyed by your force and the police reference "
            "(201), or brings it up to date (200). Sending the same body again changes nothing. "
            "Children are recognised by person_reference when given, else by name and date of birth; "
            "a child missing from a later send is kept (withdraw the incident to take it back). "
            "A new incident is submitted at once: its children are matched and their schools told."
        ),
        request=IncidentInSerializer,
        responses={
            201: IncidentOutSerializer,
            200: IncidentOutSerializer,
            400: OpenApiResponse(
                ErrorsSerializer, description="The incident has problems; nothing was saved."
            ),
            409: OpenApiResponse(
                ErrorsSerializer, description="The incident was withdrawn: it cannot change."
            ),
            401: ERRORS[401],
            429: ERRORS[429],
        },
        examples=[
            OpenApiExample(
                "An incident with one child",
                request_only=True,
                value={
                    "reference": "42/123456/26",
                    "occurred_at": "2026-11-27T21:30:00Z",
                    "postcode": "SS1 1AA",
                    "welfare_check": True,
                    "children": [{"first_name": "Amelia", "last_name": "Smith", "dob": "2016-05-14"}],
                },
            )
        ],
    )
    def post(self, request):
        force = request.auth.force
        serializer = IncidentInSerializer(data=request.data, context={"force": force})
        serializer.is_valid(raise_exception=True)
        data = serializer.incident_input(serializer.validated_data)
        try:
            incident, outcome = _retrying_when_locked(
                lambda: incident_upsert(force=force, data=data, source="api", api_client=request.auth.pk)
            )
        except IncidentWithdrawn as exc:
            raise Conflict(str(exc))
        created = outcome == "created"
        return Response(_out(incident), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class IncidentDetailApi(ApiView):
    @extend_schema(
        operation_id="incident_status",
        summary="How far each child's notification has got",
        description=(
            "The police reference goes in the path as it is, slashes included: "
            "GET /api/v1/incidents/42/123456/26/ (or percent-encoded, 42%2F123456%2F26)."
        ),
        parameters=[
            OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="42/123456/26")
        ],
        responses={200: IncidentOutSerializer, 401: ERRORS[401], 404: ERRORS[404], 429: ERRORS[429]},
    )
    def get(self, request, reference: str):
        incident = incident_for_force(force=request.auth.force, reference=reference)
        if incident is None:
            raise NotFound("Your force has no incident with this police reference")
        return Response(_out(incident))
