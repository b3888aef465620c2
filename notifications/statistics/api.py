"""The partnership figures for analysts' own tools: the same figures, scope and suppression
as the pages. Session sign-in with a verified second factor; anybody who is not an analyst
or coordinator (or an administrator) gets 404."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.statistics import selectors
from notifications.statistics.filters import scope_from_request


class VerifiedUser(BasePermission):
    """Signed in, with the second factor verified in this session."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if not request.user.is_verified():
            raise PermissionDenied("Sign in with your second factor first.")
        return True


class CellSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="Null when suppressed or not applicable.")
    display = serializers.CharField(help_text='As shown on the page, e.g. "12", "fewer than 5", "not shown".')
    suppressed = serializers.ChoiceField(
        choices=["", "primary", "secondary"],
        help_text='"primary": a count from 1 to 4; "secondary": hidden so a total cannot reveal one.',
    )


class RowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = CellSerializer(many=True)
    is_total = serializers.BooleanField()
    share = CellSerializer(
        allow_null=True, help_text="Share of the total, in per cent, when the figure has shares."
    )


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    row_heading = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    unit = serializers.CharField()
    rows = RowSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class ScopeSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    partnership = serializers.IntegerField(source="partnership.pk", allow_null=True, default=None)
    la = serializers.CharField(source="local_authority.code", allow_null=True, default=None)
    phase = serializers.CharField(allow_blank=True)
    school = serializers.IntegerField(source="school.urn", allow_null=True, default=None)


class FiguresSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    figures = FigureSerializer(many=True)


class FilterErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


FILTERS = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="First incident date (default: 11 months ago, 1st)."
    ),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last incident date (default: today)."),
    OpenApiParameter("la", OpenApiTypes.STR, description="Local authority code, e.g. 882."),
    OpenApiParameter("phase", OpenApiTypes.STR, description="School phase, e.g. Primary."),
    OpenApiParameter("school", OpenApiTypes.INT, description="School URN."),
    OpenApiParameter("partnership", OpenApiTypes.INT, description="Administrators only: a partnership id."),
]
RESPONSES = {
    400: OpenApiResponse(FilterErrorSerializer, description="A filter is not valid."),
    403: OpenApiResponse(description="Not signed in, or second factor not verified."),
    404: OpenApiResponse(
        description="Not an analyst or coordinator, or a school or area outside the partnership."
    ),
}


class StatisticsView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [VerifiedUser]

    def scope_or_error(self, request):
        scope, form = scope_from_request(request, request.query_params)
        if scope is None:
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return None, Response({"detail": "A filter is not valid.", "errors": errors}, status=400)
        return scope, None


class FigureListApi(StatisticsView):
    @extend_schema(
        operation_id="statistics_figures",
        summary="All partnership figures",
        parameters=FILTERS,
        responses={200: FiguresSerializer, **RESPONSES},
        tags=["statistics"],
    )
    def get(self, request):
        scope, error = self.scope_or_error(request)
        if error:
            return error
        data = {"scope": scope, "figures": selectors.statistics_figures(scope)}
        return Response(FiguresSerializer(data).data)


class FigureDetailApi(StatisticsView):
    @extend_schema(
        operation_id="statistics_figure",
        summary="One partnership figure",
        parameters=FILTERS,
        responses={200: FigureSerializer, **RESPONSES},
        tags=["statistics"],
    )
    def get(self, request, key: str):
        scope, error = self.scope_or_error(request)
        if error:
            return error
        return Response(FigureSerializer(selectors.statistics_figure(scope, key)).data)
