from django.apps import AppConfig


class PoliceConfig(AppConfig):
    """The police's side of the service: the officer's interface, the API, the daily download,
    the review queue, the force's record of access, and an incident's path to the schools."""

    name = "police"
