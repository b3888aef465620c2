from django.apps import AppConfig


class EncompassConfig(AppConfig):
    name = "encompass"
    verbose_name = "Accounts and audit"

    def ready(self):
        from encompass import checks  # noqa: F401 (registers system checks)
