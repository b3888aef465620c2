from django import forms
from django.utils import timezone

from notifications.models import SupportType


class SupportActionForm(forms.Form):
    given_on = forms.DateField(
        label="Date the support was given",
        help_text="For example, 27 11 2026. Use the format YYYY-MM-DD.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
    )
    kind = forms.ChoiceField(label="Type of support", choices=SupportType.choices)
    note = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("Date the support was given must be today or in the past")
        return given_on
