from django import forms
from two_factor.forms import AuthenticationTokenForm

from encompass.reauth import code_already_used

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
