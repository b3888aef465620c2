"""The officer's forms. The rules live in incidents/validation.py; these forms only put each
problem next to the field it is about."""

from django import forms
from django.forms.models import BaseInlineFormSet

from incidents.models import INCIDENT_FIELDS, Force, Incident, WithdrawalReason
from incidents.validation import child_problems, children_problems, incident_problems, postcode_normalise


def _add_problems(form, problems) -> None:
    for problem in problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


class IncidentForm(forms.ModelForm):
    force: Force | None = None  # set per request by the admin

    class Meta:
        model = Incident
        fields = INCIDENT_FIELDS

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
        reference = data.get("reference")
        if (
            reference
            and Incident.objects.filter(force=self.force, reference=reference)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "reference",
                "An incident with this police reference already exists: open it and amend it instead "
                "of logging it as a separate incident",
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
