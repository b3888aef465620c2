from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Register the Celery tasks, which services enqueue by name (encompass/queue.py).
        from notifications import tasks  # noqa: F401
