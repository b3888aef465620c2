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


@pytest.fixture
def notify(settings):
    """GOV.UK Notify as the backend, talking to a local stand-in (tests/notify_standin.py)."""
    from tests.notify_standin import NotifyStandIn

    standin = NotifyStandIn().start()
    for name, value in standin.settings().items():
        setattr(settings, name, value)
    yield standin
    standin.stop()


@pytest.fixture
def texts_any_hour(world):
    """Partnership A texts at any hour, so a test does not depend on the time it runs."""
    from datetime import time

    world.partnership_a.texts_from = world.partnership_a.texts_until = time(0, 0)
    world.partnership_a.save()
    return world.partnership_a
