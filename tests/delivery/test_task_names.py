"""Services enqueue tasks by name (so they never import the tasks that call them): each name
must be a task the worker knows."""

from celery import current_app

from notifications import tasks
from notifications.services import SEND_TASK


def test_the_send_task_named_by_the_services_is_the_registered_send_task():
    assert current_app.tasks[SEND_TASK].name == tasks.send.name == SEND_TASK
