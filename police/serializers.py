"""What the REST API reads and writes. The input serializers only parse; the rules are those of
incidents/validation.py, shared with the officer's forms and the daily download."""

from rest_framework import serializers

from incidents.models import IncidentKind, IncidentStatus, MatchStatus, PassOnMethod, RiskGrading
from incidents.validation import (
    CIRCUMSTANCES_MAX,
    IncidentInput,
    incident_input_problems,
    postcode_normalise,
)
from notifications.models import NotificationStatus
from schools.models import School


def _text(max_length: int, **kwargs):
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


class ChildInSerializer(serializers.Serializer):
    person_reference = _text(40, help_text="The police system's own id for this person, if any.")
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    dob = serializers.DateField(required=False, allow_null=True, default=None, help_text="YYYY-MM-DD")
    estimated_age = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=99, help_text="If no dob."
    )
    sex = serializers.ChoiceField(choices=["M", "F", ""], required=False, default="")
    present = serializers.BooleanField(default=True, help_text="Present at the incident.")
    relationship = _text(60, help_text="Relationship to the household.")
    upn = _text(13, help_text="Unique pupil number, if known.")
    known_school_urn = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=100000,
        max_value=999999,
        help_text="The school the police believe the child attends: a hint for matching, never the answer.",
    )

    def validate_known_school_urn(self, value):
        if value is None:
            return None
        school = School.objects.filter(urn=value).first()
        if school is None:
            raise serializers.ValidationError(f"No school has the URN {value}")
        return school

    def validate_upn(self, value):
        return value.strip().upper()


class IncidentInSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=40, help_text="The police reference, e.g. 42/123456/26.")
    occurred_at = serializers.DateTimeField(help_text="ISO 8601; without an offset it is UK time.")
    reported_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=IncidentKind.choices, default=IncidentKind.INCIDENT)
    risk = serializers.ChoiceField(
        choices=[*RiskGrading.choices, ("", "Not graded")],
        default="",
        help_text="Recorded only: every incident is shared whatever its grading.",
    )
    address_line1 = _text(200)
    address_line2 = _text(200)
    town = _text(100)
    postcode = _text(10)
    uprn = _text(12)
    welfare_check = serializers.BooleanField(default=False, help_text="Whether a welfare check was made.")
    voice_of_child = _text(5000)
    circumstances = _text(
        CIRCUMSTANCES_MAX,
        help_text="Brief circumstances for the school. Do not name adults or give the location.",
    )
    children = ChildInSerializer(
        many=True, allow_empty=False, error_messages={"empty": "Add at least one child"}
    )

    def validate_postcode(self, value):
        return postcode_normalise(value)

    def validate(self, attrs):
        data = self.incident_input(attrs)
        problems = incident_input_problems(self.context["force"], data)
        if problems:
            errors: dict[str, list[str]] = {}
            for p in problems:
                errors.setdefault(p.field, []).append(p.message)
            raise serializers.ValidationError(errors)
        return attrs

    @staticmethod
    def incident_input(attrs) -> IncidentInput:
        fields = {k: v for k, v in attrs.items() if k not in ("reference", "children")}
        children = [
            {**{k: v for k, v in c.items() if k != "known_school_urn"}, "known_school": c["known_school_urn"]}
            for c in attrs["children"]
        ]
        return IncidentInput(attrs["reference"], fields, children)


class SchoolOutSerializer(serializers.Serializer):
    urn = serializers.IntegerField()
    name = serializers.CharField()


class NotificationOutSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*NotificationStatus.choices, ("viewed", "Viewed"), ("none", "No notification")],
        source="notification_status",
        help_text="How far the school's notification has got: pending, delivered, viewed, "
        "acknowledged; or withdrawn, rejected ('not our pupil'), none.",
    )
    delivered_at = serializers.DateTimeField(allow_null=True)
    viewed_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class PassedOnOutSerializer(serializers.Serializer):
    to = serializers.CharField(help_text="Who the partnership's coordinator passed the child on to.")
    how = serializers.ChoiceField(choices=PassOnMethod.choices)
    at = serializers.DateTimeField()
    by = serializers.CharField(help_text="The partnership that passed the child on.")


class ChildOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="child.pk")
    person_reference = serializers.CharField(source="child.person_reference")
    first_name = serializers.CharField(source="child.first_name")
    last_name = serializers.CharField(source="child.last_name")
    dob = serializers.DateField(source="child.dob", allow_null=True)
    match_status = serializers.ChoiceField(choices=MatchStatus.choices)
    school = SchoolOutSerializer(source="child.school", allow_null=True)
    notification = NotificationOutSerializer(source="*")
    passed_on = PassedOnOutSerializer(
        allow_null=True, help_text="Set when a coordinator passed the child on."
    )


class IncidentOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=IncidentStatus.choices)
    occurred_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    withdrawn_reason = serializers.CharField(allow_blank=True)
    children = ChildOutSerializer(many=True, source="progress")


class ErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="children[i].name for a child's field.")
    message = serializers.CharField()


class ErrorsSerializer(serializers.Serializer):
    errors = ErrorSerializer(many=True)
