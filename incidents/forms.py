from django import forms


class HandledForm(forms.Form):
    note = forms.CharField(label="What was done", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
