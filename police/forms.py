"""The officer's forms. The rules live in incidents/validation.py; these forms only put each
problem next to the field it is about."""

from django import forms
from django.forms.models import BaseInlineFormSet

from encompass.forms import date_field
from incidents.models import INCIDENT_FIELDS, Force, Incident, WithdrawalReason
from incidents.validation import (
    child_problems,
    children_problems,
    incident_problems,
    postcode_normalise,
    reference_in_use_problems,
)


def _add_problems(form, problems) -> None:
    for problem in problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


class IncidentForm(forms.ModelForm):
    force: Force | None = None  # set per request by the admin

    class Meta:
        model = Incident
        fields = INCIDENT_FIELDS
        labels = {"address_line1": "Address line 1", "address_line2": "Address line 2"}
        help_texts = {
            "circumstances": "What the school needs to know to support the child. Do not name or "
            "describe the adults. Where the partnership shares in full, the school sees this, the "
            'police reference, the address (as "Location") and the voice of the child.'
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's date and time pair has one label for two boxes: name each box.
        for field in self.fields.values():
            if isinstance(field.widget, forms.MultiWidget) and len(field.widget.widgets) == 2:
                date_box, time_box = field.widget.widgets
                date_box.attrs["aria-label"] = f"{field.label}: date"
                time_box.attrs["aria-label"] = f"{field.label}: time"

    def full_clean(self):
        super().full_clean()
        # Django ties a field's errors to its input with aria-describedby, but not for the
        # date and time pair: tie both halves to the message too.
        for name in self.errors:
            if isinstance(self.fields.get(name) and self.fields[name].widget, forms.MultiWidget):
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_error"

    def clean_postcode(self):
        return postcode_normalise(self.cleaned_data.get("postcode", ""))

    def clean(self):
        data = super().clean()
        if self.force is None:
            raise forms.ValidationError("Your account is not linked to a police force: ask an administrator.")
        _add_problems(
            self,
            incident_problems(
                force=self.force,
                reference=data.get("reference", self.instance.reference),
                occurred_at=data.get("occurred_at"),
                reported_at=data.get("reported_at"),
                address_line1=data.get("address_line1", ""),
                postcode=data.get("postcode", ""),
                uprn=data.get("uprn", ""),
                circumstances=data.get("circumstances", ""),
            ),
        )
        _add_problems(
            self,
            reference_in_use_problems(
                force=self.force, reference=data.get("reference"), incident=self.instance
            ),
        )
        return data


class ChildFormSet(BaseInlineFormSet):
    """Checks each child against the incident's date, and that there is at least one."""

    def clean(self):
        super().clean()
        kept = 0
        occurred_at = self.instance.occurred_at
        for form in self.forms:
            empty = form.instance.pk is None and not form.has_changed()
            if empty or self._should_delete_form(form):
                continue
            kept += 1
            if form.errors:
                continue
            data = form.cleaned_data
            _add_problems(
                form,
                child_problems(
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                    dob=data.get("dob"),
                    estimated_age=data.get("estimated_age"),
                    occurred_at=occurred_at,
                    upn=data.get("upn", ""),
                ),
            )
        for problem in children_problems(kept):
            raise forms.ValidationError(problem.message)


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(
        choices=WithdrawalReason.choices,
        widget=forms.RadioSelect,
        label="Why is the incident being withdrawn?",
        error_messages={"required": "Choose why the incident is being withdrawn"},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Daily download (CSV)",
        help_text="One row per child per incident, with a header row: see the README for the columns.",
        error_messages={"required": "Choose the CSV file to upload"},
    )


class AccessLogForm(forms.Form):
    start = date_field("Start date", hint="For example, 1/11/2026")
    end = date_field("End date", hint="For example, 30/11/2026")
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


NONE = "none"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Which pupil is this child?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the pupil this child is, or none of these pupils"},
    )
    reason = forms.CharField(
        label="Why",
        error_messages={"required": "Say why you decided this: it is kept with the decision"},
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Kept with the decision.",
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(value, f"Candidate {n}") for n, value in enumerate(choices, 1)]
        self.fields["decision"].choices = [*choices, (NONE, "None of these pupils")]
