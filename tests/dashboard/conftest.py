import pytest

from tests.dashboard.helpers import notification_for


@pytest.fixture
def notification(world):
    """A new notification about Amelia Smith, the pupil of school A."""
    return notification_for(world.school_a, pupil=world.pupil)
