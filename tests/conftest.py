"""Personas and helpers shared by the whole suite.

Personas: an officer of force A and of force B, a police reviewer, Key Adults of school A
and of school B, a partnership coordinator and analyst, an analyst of another partnership,
and an administrator. `signed_in(client, user)` signs a persona in with a verified second
factor, as the real sign-in would."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY

from encompass.models import Role
from tests.factories import (
    EnrolmentFactory,
    ForceFactory,
    KeyAdultFactory,
    LocalAuthorityFactory,
    PartnershipFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The rate limit counts in the cache: one test's calls must not count against the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_match_weights(settings, tmp_path):
    """Each test starts with the built-in weights, never those a demo run left under var/."""
    settings.MATCH_WEIGHTS_FILE = str(tmp_path / "match_weights.json")


def signed_in(client, user, *, verified: bool = True):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if verified:
        device = user.totpdevice_set.first()
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def reauthenticated(client):
    """As if the person had just entered a fresh code at /account/confirm/."""
    import time

    from encompass.reauth import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = time.time()
    session.save()
    return client


@pytest.fixture
def world(db):
    """Two forces, two partnerships, two participating schools in partnership A (school A
    and school B) and one in partnership B, each with a DSL; one pupil enrolled at school A."""
    return world_build()


def world_build():
    """The `world` fixture's records, also for a process the test starts on its own database."""

    class World:
        pass

    w = World()
    w.force_a = ForceFactory(name="Essex Police", code="ESX")
    w.force_b = ForceFactory(name="Kent Police", code="KNT")
    w.partnership_a = PartnershipFactory(name="Southend Safeguarding Partnership")
    w.partnership_b = PartnershipFactory(name="Thurrock Partnership")
    w.la_a = LocalAuthorityFactory(code="882", name="Southend-on-Sea", partnership=w.partnership_a)
    w.la_b = LocalAuthorityFactory(code="883", name="Thurrock", partnership=w.partnership_b)
    w.school_a = SchoolFactory(name="Chalkwell Primary School", local_authority=w.la_a)
    w.school_b = SchoolFactory(name="Leigh Primary School", local_authority=w.la_a)
    w.school_c = SchoolFactory(name="Grays Primary School", local_authority=w.la_b)
    w.key_adult_a = KeyAdultFactory(school=w.school_a).user
    w.key_adult_b = KeyAdultFactory(school=w.school_b).user
    w.officer_a = UserFactory(role=Role.OFFICER, force=w.force_a)
    w.officer_b = UserFactory(role=Role.OFFICER, force=w.force_b)
    w.reviewer_a = UserFactory(role=Role.REVIEWER, force=w.force_a)
    w.coordinator_a = UserFactory(role=Role.COORDINATOR, partnership=w.partnership_a)
    w.analyst_a = UserFactory(role=Role.ANALYST, partnership=w.partnership_a)
    w.analyst_b = UserFactory(role=Role.ANALYST, partnership=w.partnership_b)
    w.admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    w.pupil = PupilFactory(first_name="Amelia", last_name="Smith")
    EnrolmentFactory(pupil=w.pupil, school=w.school_a)
    return w


@pytest.fixture
def eager_celery():
    """Run Celery tasks in-process. Unit tests only: integration tests use a real worker."""
    from encompass.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture
def postgres(transactional_db):
    """A test that needs real PostgreSQL (see tests/services.py): skipped without it, failed
    without it when CI is set."""
    from tests.services import need_postgres

    need_postgres()
