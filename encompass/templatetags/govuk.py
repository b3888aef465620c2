"""Helpers for our hand-written GOV.UK form fields (templates/includes/field.html and
error_summary.html): one way to write a field's value and its error messages.

An error message names its field, in the summary at the top of the page and beside the field
alike (the GOV.UK pattern): Django's generic messages ("This field is required.", "Enter a
valid date.") become "Enter the start date", "Start date must be a real date, like 27/3/2026".
A form's own, specific messages are kept as they are."""

from django import forms, template

register = template.Library()

DATE_EXAMPLE = "27/3/2026"


@register.filter
def input_value(field) -> str:
    """A field's value as its widget writes it, so that a pre-filled date reads in the format
    the field accepts back (the template's own date format would be refused)."""
    value = field.field.widget.format_value(field.value())
    return "" if value is None else value


@register.filter
def field_errors(field) -> list[str]:
    """The field's error messages, each naming the field."""
    return field_messages(field.form, field.name)


@register.filter
def error_summary_items(form) -> list[tuple[str, str]]:
    """(link target, message) for every error of the form, in the order of its fields, each
    linking to the field it is about (its first radio, for radios)."""
    items = [(_first_input_id(form), message) for message in form.non_field_errors()]
    for field in form:
        target = f"{field.auto_id}_0" if field.widget_type == "radioselect" else field.id_for_label
        items += [(target, message) for message in field_messages(form, field.name)]
    return items


def field_messages(form, name: str) -> list[str]:
    field = form.fields[name]
    errors = form.errors.as_data().get(name, [])
    return [_named(field, error) for error in errors]


def _named(field: forms.Field, error: forms.ValidationError) -> str:
    message = error.message % error.params if error.params else error.message
    if error.code is None or _django_default(field, error.code) != error.message:
        return str(message)  # the form's own wording
    if error.code == "required":
        return f"{_verb(field)} {_lower(field.label)}"
    if error.code == "invalid" and isinstance(field, forms.DateField):
        return f"{field.label} must be a real date, like {DATE_EXAMPLE}"
    if error.code == "invalid" and isinstance(field, forms.EmailField):
        return f"Enter {_lower(field.label)} in the correct format, like name@example.com"
    if error.code == "invalid" and isinstance(
        field, forms.IntegerField | forms.DecimalField | forms.FloatField
    ):
        return f"{field.label} must be a number"
    if error.code == "invalid_choice":
        return "Choose " + _lower(field.label) + " from the list"
    return f"{field.label}: {str(message)[0].lower()}{str(message)[1:]}"


def _django_default(field: forms.Field, code: str):
    """Django's own message for `code` on this kind of field (not one the form set)."""
    for cls in type(field).__mro__:
        if code in getattr(cls, "default_error_messages", {}):
            return cls.default_error_messages[code]
    return None


def _verb(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(widget, forms.Select | forms.RadioSelect | forms.CheckboxInput | forms.ClearableFileInput):
        return "Select" if not isinstance(widget, forms.ClearableFileInput) else "Choose"
    return "Enter"


def _lower(label) -> str:
    label = str(label or "a value")
    # An initialism stays as it is ("URN", "DSL's e-mail address").
    if len(label) > 1 and label[1].isupper():
        return label
    return label[0].lower() + label[1:]


def _first_input_id(form) -> str:
    fields = form.visible_fields()
    return fields[0].id_for_label if fields else ""
