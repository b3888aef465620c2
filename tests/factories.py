from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.gb import upn as upn_check

from encompass.models import Role, User
from incidents.models import Force, Incident, IncidentChild, IncidentStatus
from schools.census import pupil_keys_store
from schools.models import Enrolment, KeyAdult, KeyAdultRole, LocalAuthority, Partnership, Pupil, School

LONDON = ZoneInfo("Europe/London")


def make_upn(n: int) -> str:
    body = f"882{n % 10000:04d}{n // 10000 % 100000:05d}"
    return upn_check.calc_check_digit(body) + body


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Force {n}")
    code = factory.Sequence(lambda n: f"F{n}")
    reference_pattern = r"^\d{2}/\d{5,6}/\d{2}$"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{800 + n % 199}")
    name = factory.Sequence(lambda n: f"Authority {n}")
    partnership = factory.SubFactory(PartnershipFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 100000 + n)
    name = factory.Sequence(lambda n: f"School {n}")
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    phase = "Primary"
    participating = True
    joined_on = date(2025, 9, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        if extracted is not False:
            TOTPDevice.objects.create(user=self, name="default", confirmed=True)


class KeyAdultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyAdult

    user = factory.SubFactory(UserFactory, role=Role.KEY_ADULT)
    school = factory.SubFactory(SchoolFactory)
    role = KeyAdultRole.DSL


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil
        skip_postgeneration_save = True

    upn = factory.Sequence(make_upn)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    dob = date(2016, 5, 14)
    sex = "F"
    address_line1 = "1 High Street"
    postcode = "SS1 1AA"

    @factory.post_generation
    def blocking_keys(pupil, create, extracted, **kwargs):
        # As import_pupils does: the matcher finds a pupil through its stored keys.
        if create:
            pupil_keys_store([pupil])


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SubFactory(SchoolFactory)
    entry_date = date(2023, 9, 1)


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    force = factory.SubFactory(ForceFactory)
    reference = factory.Sequence(lambda n: f"42/{100000 + n}/26")
    occurred_at = datetime.combine(date(2026, 11, 27), time(21, 30), tzinfo=LONDON)
    address_line1 = "1 High Street"
    postcode = "SS1 1AA"
    status = IncidentStatus.DRAFT


class IncidentChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentChild

    incident = factory.SubFactory(IncidentFactory)
    first_name = "Amelia"
    last_name = "Smith"
    dob = date(2016, 5, 14)
    sex = "F"
