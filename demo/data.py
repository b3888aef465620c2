"""Demo data for `make run`: Essex Police, the Thurrock and Southend partnerships, their
schools with Key Adults, about 20,000 pupils, and one sign-in per role. Development only."""

import csv
import random
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from encompass.models import Role, User
from incidents.models import Force
from schools.models import (
    KeyAdult,
    KeyAdultRole,
    LocalAuthority,
    Partnership,
    Pupil,
    RecipientKind,
    RegisteredChild,
    RegisterStatus,
    School,
    SharingLevel,
)

DEMO_PASSWORD = "Encompass-demo-2026"  # noqa: S105 (printed for development sign-in only)
DEMO_DOMAIN = "demo.encompass.invalid"
PUPILS = 20_000
SCHOOLS = {"882": ("Southend-on-Sea", 60, "SS"), "883": ("Thurrock", 30, "RM")}
PHASES = ["Primary"] * 3 + ["Secondary"]


def demo_email(name: str) -> str:
    return f"{name}@{DEMO_DOMAIN}"


def upn_for(n: int) -> str:
    from stdnum.gb import upn

    body = f"{882 if n % 3 else 883}{n % 10000:04d}{n // 10000 % 100000:05d}"[:12]
    return upn.calc_check_digit(body) + body


@transaction.atomic
def seed(stdout=None) -> None:
    faker = Faker("en_GB")
    faker.seed_instance(2026)
    rng = random.Random(2026)
    force, _ = Force.objects.get_or_create(
        code="ESX",
        defaults={
            "name": "Essex Police",
            "reference_pattern": r"^\d{2}/\d{5,6}/\d{2}$",
            "reference_example": "42/123456/26",
        },
    )
    partnerships = {
        "882": Partnership.objects.get_or_create(
            name="Southend Safeguarding Partnership", defaults={"sharing_level": SharingLevel.FULL}
        )[0],
        "883": Partnership.objects.get_or_create(
            name="Thurrock Local Safeguarding Children Partnership",
            defaults={"sharing_level": SharingLevel.MINIMAL},
        )[0],
    }
    if force.unplaced_partnership is None:
        force.unplaced_partnership = partnerships["883"]
        force.save(update_fields=["unplaced_partnership"])
    schools = _seed_schools(faker, rng, partnerships)
    _seed_key_adults(faker, schools)
    _seed_accounts(force, partnerships, schools)
    if not Pupil.objects.exists():
        _seed_pupils(faker, rng, schools)
    _seed_teams(faker, partnerships)
    _seed_incidents(force, schools[0])
    _seed_team_incidents(force, schools[0])
    if stdout:
        stdout.write(f"Demo data ready: {School.objects.count()} schools, {Pupil.objects.count()} pupils.")


def _seed_schools(faker, rng, partnerships) -> list[School]:
    schools = []
    urn = 115000
    for code, (town, count, prefix) in SCHOOLS.items():
        la, _ = LocalAuthority.objects.get_or_create(
            code=code, defaults={"name": town, "partnership": partnerships[code]}
        )
        for i in range(count + 3):  # three more that have not joined the scheme
            urn += 1
            phase = PHASES[i % len(PHASES)]
            participating = i < count
            school, _ = School.objects.get_or_create(
                urn=urn,
                defaults={
                    "name": f"{faker.last_name()} {phase} School",
                    "local_authority": la,
                    "phase": phase,
                    "establishment_type": "Academy converter" if i % 2 else "Community school",
                    "low_age": 4 if phase == "Primary" else 11,
                    "high_age": 11 if phase == "Primary" else 18,
                    "street": faker.street_address(),
                    "town": town,
                    "postcode": _postcode(faker, rng, f"{prefix}{rng.randint(1, 17)}"),
                    "participating": participating,
                    "joined_on": date(2025, 9, 1) if participating else None,
                },
            )
            schools.append(school)
    return schools


def _postcode(faker, rng, outward: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward part may use
    return f"{outward} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _seed_key_adults(faker, schools) -> None:
    for school in schools:
        if not school.participating or school.key_adults.exists():
            continue
        for role in (KeyAdultRole.DSL, KeyAdultRole.DEPUTY):
            name = faker.name()
            user = User.objects.create_user(
                f"{role}.{school.urn}@{DEMO_DOMAIN}", None, full_name=name, role=Role.KEY_ADULT
            )
            KeyAdult.objects.create(user=user, school=school, role=role, trained_on=date(2025, 6, 1))


def _seed_accounts(force, partnerships, schools) -> None:
    southend = partnerships["882"]
    accounts = [
        ("officer", "Olivia Officer", Role.OFFICER, {"force": force}),
        ("reviewer", "Rhys Reviewer", Role.REVIEWER, {"force": force}),
        ("dsl", "Kate Keyadult", Role.KEY_ADULT, {}),
        ("dsl2", "Kim Otherschool", Role.KEY_ADULT, {}),
        ("coordinator", "Chloe Coordinator", Role.COORDINATOR, {"partnership": southend}),
        ("analyst", "Anil Analyst", Role.ANALYST, {"partnership": southend}),
        ("admin", "Adam Administrator", Role.ADMIN, {"is_staff": True, "is_superuser": True}),
    ]
    for name, full_name, role, extra in accounts:
        user = User.objects.filter(email=demo_email(name)).first()
        if user is None:
            user = User.objects.create_user(
                demo_email(name), DEMO_PASSWORD, full_name=full_name, role=role, **extra
            )
        TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
    KeyAdult.objects.get_or_create(
        user=User.objects.get(email=demo_email("dsl")), school=schools[0], defaults={"role": KeyAdultRole.DSL}
    )
    KeyAdult.objects.get_or_create(
        user=User.objects.get(email=demo_email("dsl2")),
        school=schools[1],
        defaults={"role": KeyAdultRole.DSL},
    )


# Children on the authorities' registers of children educated at home or missing education.
REGISTER = [
    ("882", "EHE-0001", "Noah", "Featherstonehaugh", date(2015, 3, 9), "M", "4 Marine Parade", "SS1 2EJ",
     RegisterStatus.HOME_EDUCATION),
    ("882", "EHE-0002", "Maisie", "Featherstonehaugh", date(2017, 8, 21), "F", "4 Marine Parade", "SS1 2EJ",
     RegisterStatus.HOME_EDUCATION),
    ("882", "CME-0003", "Tyler", "Okonkwo-Reid", date(2012, 1, 30), "M", "", "",
     RegisterStatus.MISSING_EDUCATION),
    ("883", "EHE-0101", "Ruby", "Achterberg", date(2014, 11, 2), "F", "9 Quarry Hill", "RM17 5TD",
     RegisterStatus.HOME_EDUCATION),
    ("883", "EHE-0102", "Leo", "Vasquez-Holt", date(2016, 4, 17), "M", "22 Dell Road", "RM17 6AB",
     RegisterStatus.HOME_EDUCATION),
]  # fmt: skip


def _seed_teams(faker, partnerships) -> None:
    """Each authority's home education team with a member and a few register children; Southend
    also tells its early years team about under-fives."""
    from schools.services import la_team_create

    for la in LocalAuthority.objects.filter(code__in=SCHOOLS):
        team = la_team_create(local_authority=la, kind=RecipientKind.HOME_EDUCATION)
        _team_member(team, "ehe" if la.code == "882" else f"ehe.{la.code}", faker)
    for code, child_id, first, last, dob, sex, line1, postcode, status in REGISTER:
        RegisteredChild.objects.get_or_create(
            local_authority=LocalAuthority.objects.get(code=code),
            child_id=child_id,
            defaults={
                "first_name": first, "last_name": last, "dob": dob, "sex": sex, "address_line1": line1,
                "postcode": postcode, "status": status, "start_date": date(2025, 9, 1),
            },
        )  # fmt: skip
    southend = partnerships["882"]
    southend.early_years_opt_in = True
    southend.save(update_fields=["early_years_opt_in"])
    early_years = la_team_create(
        local_authority=LocalAuthority.objects.get(code="882"), kind=RecipientKind.EARLY_YEARS
    )
    _team_member(early_years, "earlyyears", faker)


def _team_member(team: School, name: str, faker) -> None:
    """A team's member, with a demo sign-in when the name is a plain word (listed by demo_signins)."""
    user = User.objects.filter(email=demo_email(name)).first()
    if user is None:
        password = DEMO_PASSWORD if name.isalpha() else None
        user = User.objects.create_user(
            demo_email(name), password, full_name=faker.name(), role=Role.KEY_ADULT
        )
    TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
    KeyAdult.objects.get_or_create(user=user, school=team, defaults={"role": KeyAdultRole.DSL})


def _seed_team_incidents(force, hint: School) -> None:
    """An incident about a child on Southend's home education register, and an under-five:
    the teams' inboxes have something in them."""
    from incidents.models import Incident, IncidentChild
    from police.services import incident_submit

    officer = User.objects.get(email=demo_email("officer"))
    now = timezone.now()
    children = [
        ("42/900004/26", "Noah", "Featherstonehaugh", date(2015, 3, 9), "M"),
        ("42/900005/26", "Isla", "Featherstonehaugh", (now - timedelta(days=2 * 365)).date(), "F"),
    ]
    for reference, first, last, dob, sex in children:
        if Incident.objects.filter(force=force, reference=reference).exists():
            continue
        incident = Incident.objects.create(
            force=force, reference=reference, occurred_at=now - timedelta(hours=6),
            reported_at=now - timedelta(hours=5), address_line1="4 Marine Parade", town="Southend-on-Sea",
            postcode="SS1 2EJ", circumstances="Police attended after a neighbour called.", created_by=officer,
        )  # fmt: skip
        IncidentChild.objects.create(
            incident=incident, first_name=first, last_name=last, dob=dob, sex=sex, known_school=hint
        )
        incident_submit(incident=incident, actor=officer)


CENSUS_COLUMNS = [
    "upn", "first_name", "middle_names", "last_name", "preferred_first_name", "preferred_last_name", "dob",
    "sex", "address_line1", "address_line2", "town", "postcode", "uprn", "school_urn", "entry_date",
    "leaving_date",
]  # fmt: skip


def _seed_pupils(faker, rng, schools) -> None:
    """Pupils go in the way a real census does, through `import_pupils`, so that they carry
    everything the matcher needs."""
    from schools.census import weights_refresh
    from schools.imports.pupils import pupils_import

    today = date.today()
    term_start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    path = settings.VAR_DIR / "demo-census.csv"
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, CENSUS_COLUMNS, restval="")
        writer.writeheader()
        n = 0
        while n < PUPILS:
            # Households: one to three siblings sharing a surname and an address.
            surname, street, school = faker.last_name(), faker.street_address(), rng.choice(schools)
            postcode = _postcode(faker, rng, school.postcode.split(" ")[0])
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                n += 1
                sex = rng.choice("MF")
                primary = school.phase == "Primary"
                age = rng.randint(4 if primary else 11, 10 if primary else 16)
                first = faker.first_name_male() if sex == "M" else faker.first_name_female()
                row = {"upn": upn_for(n), "first_name": first, "last_name": surname, "sex": sex}
                row |= {"dob": (today - timedelta(days=age * 365 + rng.randint(0, 364))).isoformat()}
                row |= {"address_line1": street, "town": school.town, "postcode": postcode}
                writer.writerow(row | {"school_urn": school.urn, "entry_date": term_start.isoformat()})
    report = pupils_import(source=path)
    if report.errors:
        raise RuntimeError(f"demo census rejected: {report.errors[:3]}")
    weights_refresh()


def _seed_incidents(force, school: School) -> None:
    """Three incidents filed the way an officer would: two children of the demo Key Adult's
    school (so the inbox has something in it) and one child not in the census."""
    from incidents.models import Incident, IncidentChild
    from police.services import incident_submit

    officer = User.objects.get(email=demo_email("officer"))
    pupils = list(Pupil.objects.filter(enrolments__school=school).order_by("upn")[1:3])
    children = [(p.first_name, p.last_name, p.dob, p.sex) for p in pupils]
    children.append(("Zebedee", "Nobody-Known", date(2015, 3, 3), "M"))
    now = timezone.now()
    for n, (first, last, dob, sex) in enumerate(children, start=1):
        reference = f"42/90000{n}/26"
        if Incident.objects.filter(force=force, reference=reference).exists():
            continue
        incident = Incident.objects.create(
            force=force,
            reference=reference,
            occurred_at=now - timedelta(hours=12 * n),
            reported_at=now - timedelta(hours=12 * n - 1),
            address_line1="1 Demo Street",
            town="Southend-on-Sea",
            postcode="SS1 1AA",
            welfare_check=n == 1,
            circumstances="Police attended after a report of shouting. The child was upstairs.",
            created_by=officer,
        )
        IncidentChild.objects.create(incident=incident, first_name=first, last_name=last, dob=dob, sex=sex)
        incident_submit(incident=incident, actor=officer)


def demo_pupil_for(school: School) -> Pupil | None:
    return Pupil.objects.filter(enrolments__school=school).order_by("upn").first()


def assert_development() -> None:
    if not settings.DEBUG:
        raise RuntimeError("Demo commands run only with DEBUG on.")
