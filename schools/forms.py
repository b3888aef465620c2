from django import forms
from django.utils import timezone

from encompass.forms import date_field
from schools.mobiles import mobile_normalise
from schools.models import AlertChannels, KeyAdultRole
from schools.selectors import is_generic_mailbox


def _date_field(label: str, *, required: bool = True) -> forms.DateField:
    return date_field(label, required=required)


def _not_in_future(value, label: str):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")
    return value


class SignUpForm(forms.Form):
    accepted_by_name = forms.CharField(label="Name of the person who accepted the agreement", max_length=150)
    accepted_by_role = forms.CharField(label="Their role at the school", max_length=150, required=False)
    accepted_on = _date_field("Date the agreement was accepted")
    joined_on = _date_field("Date the school joins the scheme")

    def clean_accepted_on(self):
        return _not_in_future(self.cleaned_data["accepted_on"], "Date the agreement was accepted")

    def clean(self):
        data = super().clean()
        if data.get("accepted_on") and data.get("joined_on") and data["joined_on"] < data["accepted_on"]:
            self.add_error("joined_on", "The school can only join on or after accepting the agreement")
        return data


ACTIVE_CHOICES = [("yes", "Active: receives alerts"), ("no", "Not active")]


class KeyAdultChangeForm(forms.Form):
    """A shared mailbox (office@) is refused until the coordinator ticks `confirm_shared`:
    anyone in the office would read the alerts, and nobody owns acknowledging them."""

    email = forms.EmailField(
        label="Email address",
        help_text="A personal work address, not a shared one such as office@",
    )
    confirm_shared = forms.BooleanField(label="Yes, alerts should go to this shared mailbox", required=False)
    role = forms.ChoiceField(label="Role", choices=KeyAdultRole.choices)
    is_active = forms.TypedChoiceField(
        label="Receives alerts", choices=ACTIVE_CHOICES, coerce=lambda value: value == "yes"
    )
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    alert_by = forms.ChoiceField(
        label="Alerts by",
        choices=AlertChannels.choices,
        initial=AlertChannels.EMAIL,
        required=False,
        widget=forms.RadioSelect,
        help_text="Text messages go at the hours the partnership sets; e-mail at any hour.",
    )
    mobile = forms.CharField(
        label="Mobile number for text alerts",
        max_length=30,
        required=False,
        help_text="A UK mobile, for example 07700 900123",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    trained_on = _date_field("Date of the latest Operation Encompass training", required=False)

    def clean_trained_on(self):
        return _not_in_future(self.cleaned_data["trained_on"], "Date of the latest training")

    def clean_alert_by(self):
        return self.cleaned_data["alert_by"] or AlertChannels.EMAIL

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        return mobile_normalise(mobile) if mobile else ""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    needs_shared_confirmation = False

    def clean(self):
        data = super().clean()
        email = data.get("email", "")
        unchanged = email == (self.initial.get("email") or "").lower()
        self.needs_shared_confirmation = bool(email) and is_generic_mailbox(email) and not unchanged
        if self.needs_shared_confirmation and not data.get("confirm_shared"):
            self.add_error(
                "email",
                f"{data['email']} is a shared mailbox: give a named person's address, "
                "or confirm below that alerts should go to this mailbox",
            )
        data.pop("confirm_shared", None)
        if data.get("alert_by") in (AlertChannels.SMS, AlertChannels.BOTH) and not data.get("mobile"):
            if "mobile" not in self.errors:
                self.add_error("mobile", "Enter a mobile number, or choose alerts by e-mail only")
        return data


class KeyAdultAddForm(KeyAdultChangeForm):
    full_name = forms.CharField(label="Full name", max_length=150)
    field_order = [
        "full_name",
        "email",
        "confirm_shared",
        "role",
        "phone",
        "alert_by",
        "mobile",
        "trained_on",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]


class ImportForm(forms.Form):
    file = forms.FileField()
    skip_invalid = forms.BooleanField(required=False, label="Import the good rows and skip the bad ones")
    dry_run = forms.BooleanField(required=False, label="Validate only: save nothing")


class SchoolImportForm(ImportForm):
    la_codes = forms.CharField(required=False, label="Only these LA codes (space separated)")


class TermDatesImportForm(ImportForm):
    la_code = forms.CharField(required=False, label="iCalendar only: the LA code it is for")
    school_urn = forms.IntegerField(required=False, label="iCalendar only: the URN of the school it is for")
