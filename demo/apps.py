from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`: on top of every other app, and imported by none."""

    name = "demo"
