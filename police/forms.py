from django import forms

from incidents.models import Force


class AccessLogForm(forms.Form):
    start = forms.DateField(label="From", help_text="For example, 2026-11-01", input_formats=["%Y-%m-%d"])
    end = forms.DateField(label="To", help_text="For example, 2026-11-30", input_formats=["%Y-%m-%d"])
    force = forms.ModelChoiceField(label="Force", queryset=Force.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_superuser:
            del self.fields["force"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "The last day must be on or after the first day")
        if "force" in self.fields and not cleaned.get("force"):
            self.add_error("force", "Select a force")
        return cleaned
