from django import forms

from incidents.models import PassOnMethod


class HandledForm(forms.Form):
    note = forms.CharField(label="What was done", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class PassOnForm(forms.Form):
    """A coordinator passing a routed child on to whoever should know (another area's
    Encompass lead, a school not on Encompass, a local authority team)."""

    passed_to = forms.CharField(
        label="Who did you pass it on to?",
        help_text="The organisation and the team or role, for example Kent County Council, "
        "Operation Encompass lead",
        max_length=200,
        error_messages={"required": "Enter who you passed it on to"},
    )
    passed_how = forms.ChoiceField(
        label="How?",
        choices=PassOnMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you passed it on"},
    )
    note = forms.CharField(
        label="Anything else (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_passed_to(self):
        value = " ".join(self.cleaned_data["passed_to"].split())
        if len(value) < 3:
            raise forms.ValidationError("Enter who you passed it on to: the organisation and team or role")
        return value
