from django import forms
from django.db import models
from django.utils import timezone

from encompass.forms import date_field
from encompass.reauth import code_verify
from notifications.models import SupportType


class SupportActionForm(forms.Form):
    given_on = date_field(
        "Date the support was given",
        error_messages={"required": "Enter the date the support was given"},
    )
    kind = forms.ChoiceField(
        label="Type of support",
        choices=[("", "Choose a type of support"), *SupportType.choices],
        error_messages={"required": "Choose the type of support"},
    )
    note = forms.CharField(
        label="Note",
        help_text="What was done and by whom. Optional.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "Note must be 2,000 characters or fewer"},
    )

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("Date the support was given must be today or in the past")
        return given_on


class InboxSearchForm(forms.Form):
    name = forms.CharField(label="Search by child's name", max_length=100, required=False, strip=True)


class RejectionReason(models.TextChoices):
    NEVER_ON_ROLL = "never_on_roll", "The child has never been on our roll"
    LEFT = "left", "The child has left our school"
    DIFFERENT_CHILD = "different_child", "Our pupil is a different child (for example, another date of birth)"
    OTHER = "other", "Another reason"


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is this child not your pupil?",
        choices=RejectionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why this child is not your pupil"},
    )
    note = forms.CharField(
        label="Tell the police what you know",
        help_text="For example, the date the child left or the school they moved to. "
        "Required if you chose another reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
        error_messages={"max_length": "Note must be 500 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == RejectionReason.OTHER and not data.get("note"):
            self.add_error("note", "Tell the police why this child is not your pupil")
        return data


class ExportForm(forms.Form):
    """Exporting takes personal data out of the service, so it asks for a fresh code from the
    authenticator app, whatever the session already proved."""

    fmt = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF document"), ("csv", "CSV spreadsheet")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a format"},
    )
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        help_text="Enter a new 6-digit code. A code you used to sign in will not work.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "min_length": "The code must be 6 digits",
            "max_length": "The code must be 6 digits",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("The code must be 6 digits")
        if not code_verify(self.user, token):
            raise forms.ValidationError("The code is wrong or has been used already. Wait for a new one.")
        return token
