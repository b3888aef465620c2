from django import forms
from two_factor.forms import AuthenticationTokenForm

from encompass.reauth import code_already_used

# One date pattern on every page: one box, day/month/year as people in the UK write a date
# (27/3/2026, the hint everywhere). Also accepted: 27 3 2026, 27-3-2026, and 2026-03-27 (what
# the statistics' links and the CSV files carry).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_HINT = "For example, 27/3/2026"


def date_field(label: str, *, required: bool = True, hint: str = DATE_HINT, **kwargs) -> forms.DateField:
    """A date input in the one pattern. Its messages name the field (templatetags/govuk.py)."""
    return forms.DateField(
        label=label,
        help_text=hint,
        input_formats=DATE_INPUT_FORMATS,
        required=required,
        widget=forms.DateInput(format="%d/%m/%Y"),
        **kwargs,
    )


CODE_ALREADY_USED = (
    "That code has already been used to sign in. Wait for your authenticator app to show the "
    "next code (a new one appears every 30 seconds) and enter that."
)


class SignInTokenForm(AuthenticationTokenForm):
    """The second sign-in step, saying when a right code was refused for being used already."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            code = self.cleaned_data.get("otp_token") or ""
            if code and code_already_used(self.user, code):
                raise forms.ValidationError(CODE_ALREADY_USED, code="already_used") from error
            raise


class ReauthForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
