"""Filters for our hand-written GOV.UK form fields."""

from django import template

register = template.Library()


@register.filter
def input_value(field) -> str:
    """A field's value as its widget writes it, so that a pre-filled date reads in the format
    the field accepts back (the template's own date format would be refused)."""
    value = field.field.widget.format_value(field.value())
    return "" if value is None else value
