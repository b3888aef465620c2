import pytest


@pytest.fixture
def sending(eager_celery, django_capture_on_commit_callbacks, mailoutbox):
    """Run tasks in-process, on commit, into the test outbox (unit tests only)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
