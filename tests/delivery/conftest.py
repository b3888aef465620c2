import pytest


@pytest.fixture
def sending(eager_celery, django_capture_on_commit_callbacks, mailoutbox):
    """Run tasks in-process, on commit, into the test outbox (unit tests only). Errors are not
    propagated so that Celery runs a task's retries in place, as a worker would after the
    countdown; the tests assert on attempts and messages."""
    eager_celery.conf.task_eager_propagates = False

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
