"""A synthetic school census: households of siblings (and twins) with realistic UK names.

generate() returns census rows (the columns of the census CSV, plus the household each
pupil came from, which only the benchmark sees). to_pupil_record() turns a row into what the
matcher stores; write_csv() writes the file `manage.py import_pupils` will read.
"""

from __future__ import annotations

import csv
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.gb import upn as upn_number

from matching.normalise import home_line
from matching.records import PupilRecord

from . import census_names as names

CENSUS_DATE = date(2026, 10, 1)
YOUNGEST, OLDEST = 4, 17
TWIN_SHARE = 0.05  # of households with two or more children: about 3% of pupils are twins
SIBLING_GAP_DAYS = 300  # brothers and sisters who are not twins are born further apart than this
CHILDREN_PER_HOUSEHOLD = ((1, 2, 3, 4), (40, 35, 17, 8))
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LA_CODES = (881, 882, 883, 330, 873, 856, 380, 209, 341, 891, 373, 305)
FLAT_SHARE = 0.12  # of buildings, divided into flats ("Flat 3, 14 Church Road")
SPLIT_FLAT_SHARE = 0.5  # of flats, written "Flat 3" on the first line and the building on the second
CSV_COLUMNS = (
    "upn",
    "first_name",
    "middle_names",
    "last_name",
    "preferred_first_name",
    "preferred_last_name",
    "dob",
    "sex",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "uprn",
    "school_urn",
    "entry_date",
    "leaving_date",
)


@dataclass
class Household:
    id: int
    origin: str
    surname: str
    address_line1: str
    postcode: str
    town: str
    pupil_ids: list[int] = field(default_factory=list)
    split: bool = False  # a flat the census writes on two lines ("Flat 3" / "14 Church Road")


@dataclass
class CensusRow:
    id: int
    upn: str
    first_name: str
    middle_names: str
    last_name: str
    preferred_first_name: str
    preferred_last_name: str
    dob: date
    sex: str
    address_line1: str
    town: str
    postcode: str
    uprn: str
    school_urn: str
    household: int
    former_names: tuple[tuple[str, str], ...] = ()
    former_addresses: tuple[tuple[str, str], ...] = ()
    address_line2: str = ""

    @property
    def home_line(self) -> str:
        """The address in one line, as an officer writes it."""
        return f"{self.address_line1}, {self.address_line2}" if self.address_line2 else self.address_line1


def split_home(line: str) -> tuple[str, str, str]:
    """'Flat 3, 14 Church Road' -> ('Flat 3, ', '14', 'Church Road'); '14 Church Road' -> ('', '14', 'Church Road')."""
    flat, _, building = line.rpartition(", ")
    number, street = building.split(" ", 1)
    return (f"{flat}, " if flat else ""), number, street


@dataclass
class Census:
    rows: list[CensusRow]
    households: list[Household]


class _Weighted:
    """A "name:weight name:weight" list, drawn from quickly."""

    def __init__(self, spec: str) -> None:
        pairs = [item.rsplit(":", 1) for item in spec.split()]
        self.names = [name for name, _ in pairs]
        self.cumulative = list(itertools.accumulate(float(weight) for _, weight in pairs))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cumulative)[0]


def generate(pupils: int, *, seed: int = 0, school_urns: list[str] | None = None) -> Census:
    """Deterministic for a given seed: the same census every run."""
    builder = _Builder(random.Random(seed), school_urns or [str(100000 + n) for n in range(400)])
    while len(builder.rows) < pupils:
        builder.add_household()
    return Census(builder.rows[:pupils], builder.households)


def to_pupil_record(row: CensusRow) -> PupilRecord:
    return PupilRecord(
        id=row.id,
        upn=row.upn,
        first_name=row.first_name,
        middle_names=row.middle_names,
        last_name=row.last_name,
        preferred_first_name=row.preferred_first_name,
        preferred_last_name=row.preferred_last_name,
        dob=row.dob,
        sex=row.sex,
        address_line1=home_line(row.address_line1, row.address_line2),
        postcode=row.postcode,
        former_names=row.former_names,
        former_addresses=row.former_addresses,
    )


def write_csv(census: Census, path: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in census.rows:
            writer.writerow(_csv_values(row))


def _csv_values(row: CensusRow) -> list[str]:
    entry = date(row.dob.year + 4 + (row.dob.month >= 9), 9, 1)
    return [
        row.upn,
        _title(row.first_name),
        _title(row.middle_names),
        _title(row.last_name),
        _title(row.preferred_first_name),
        _title(row.preferred_last_name),
        row.dob.isoformat(),
        row.sex,
        row.address_line1,
        row.address_line2,
        row.town,
        row.postcode,
        row.uprn,
        row.school_urn,
        entry.isoformat(),
        "",
    ]


def _title(name: str) -> str:
    """'o'brien-smith' -> "O'Brien-Smith", as names are written."""
    return "-".join("'".join(part.capitalize() for part in word.split("'")) for word in name.split("-"))


class _Builder:
    def __init__(self, rng: random.Random, school_urns: list[str]) -> None:
        self.rng = rng
        self.school_urns = school_urns
        self.rows: list[CensusRow] = []
        self.households: list[Household] = []
        self.first_names = {
            origin: (_Weighted(boys or names.BOYS), _Weighted(girls or names.GIRLS))
            for origin, (_, boys, girls, _, _) in names.ORIGINS.items()
        }
        self.british = self.first_names["british"]
        self.surnames = {
            origin: _Weighted(spec or names.SURNAMES) for origin, (_, _, _, spec, _) in names.ORIGINS.items()
        }
        self.origins = _Weighted(
            " ".join(f"{origin}:{share}" for origin, (share, *_) in names.ORIGINS.items())
        )
        self.street_types = _Weighted(" ".join(names.STREET_TYPES))
        self.postcodes: set[str] = set()
        self.street = self._new_street()
        self.upn_serial = itertools.count()

    # Places -----------------------------------------------------------------------------------

    def _new_street(self) -> dict:
        district, town = self.rng.choice(names.DISTRICTS).split(":")
        code = self._new_postcode(district)
        name = f"{self.rng.choice(names.STREETS).title()} {self.street_types.draw(self.rng).title()}"
        return {
            "code": code,
            "town": town,
            "name": name,
            "next": 1,
            "left": self.rng.randint(8, 25),
            "flats": 0,
        }

    def _new_postcode(self, district: str) -> str:
        while True:
            unit = "".join(self.rng.choice(POSTCODE_LETTERS) for _ in range(2))
            code = f"{district} {self.rng.randint(0, 9)}{unit}"
            if code not in self.postcodes:
                self.postcodes.add(code)
                return code

    def new_address(self) -> tuple[str, str, str]:
        """(line 1, postcode, town): the next home on the current street, about 15 per postcode;
        some buildings are divided into flats."""
        street = self.street
        if street["flats"]:
            street["flats"] -= 1
            street["flat"] += 1
            return f"Flat {street['flat']}, {street['next']} {street['name']}", street["code"], street["town"]
        if street["left"] == 0:
            self.street = street = self._new_street()
        street["left"] -= 1
        street["next"] += self.rng.choice((1, 2, 2))
        if self.rng.random() < FLAT_SHARE:
            street["flats"], street["flat"] = self.rng.randint(1, 5), 1
            return f"Flat 1, {street['next']} {street['name']}", street["code"], street["town"]
        return f"{street['next']} {street['name']}", street["code"], street["town"]

    # People -----------------------------------------------------------------------------------

    def add_household(self) -> None:
        origin = self.origins.draw(self.rng)
        line, code, town = self.new_address()
        household = Household(len(self.households), origin, self._surname(origin), line, code, town)
        household.split = line.startswith("Flat ") and self.rng.random() < SPLIT_FLAT_SHARE
        self.households.append(household)
        count = self.rng.choices(*CHILDREN_PER_HOUSEHOLD)[0]
        dobs = self._sibling_dobs(count)
        for dob in dobs:
            self._add_child(household, dob)

    def _surname(self, origin: str) -> str:
        if self.rng.random() < 0.04:  # double-barrelled: both parents' names
            return f"{self.surnames['british'].draw(self.rng)}-{self.surnames[origin].draw(self.rng)}"
        return self.surnames[origin].draw(self.rng)

    def _sibling_dobs(self, count: int) -> list[date]:
        dobs: list[date] = []
        while len(dobs) < count:
            if len(dobs) == 1 and self.rng.random() < TWIN_SHARE:
                dobs.append(dobs[0])
                continue
            dob = random_dob(self.rng)
            if all(abs((dob - other).days) > SIBLING_GAP_DAYS for other in dobs):
                dobs.append(dob)
        return dobs

    def _add_child(self, household: Household, dob: date) -> None:
        sex = self.rng.choice("MF")
        # No child is given a brother's or sister's name, first or middle: an officer writing it
        # could mean either child, and no matcher could know which.
        taken = {name for i in household.pupil_ids for name in given_names(self.rows[i])}
        first = self._first_name(household.origin, sex, taken)
        row = CensusRow(
            id=len(self.rows) + 1,
            upn=self._upn(dob),
            first_name=first,
            middle_names=self._middle_names(household.origin, sex, taken | {first}),
            last_name=household.surname,
            preferred_first_name="",
            preferred_last_name="",
            dob=dob,
            sex=sex,
            address_line1=household.address_line1,
            town=household.town,
            postcode=household.postcode,
            uprn=str(10_000_000 + household.id),
            school_urn=self.rng.choice(self.school_urns),
            household=household.id,
        )
        if household.split:
            row.address_line1, row.address_line2 = household.address_line1.split(", ", 1)
        self._vary(row, household)
        household.pupil_ids.append(len(self.rows))
        self.rows.append(row)

    def _first_name(self, origin: str, sex: str, taken: set[str]) -> str:
        british_share = names.ORIGINS[origin][4]
        lists = self.british if self.rng.random() < british_share else self.first_names[origin]
        while True:
            name = lists[sex == "F"].draw(self.rng)
            if name not in taken:
                return name

    def _middle_names(self, origin: str, sex: str, taken: set[str]) -> str:
        roll = self.rng.random()
        count = 2 if roll < 0.08 else 1 if roll < 0.70 else 0
        return " ".join(self._first_name(origin, sex, taken) for _ in range(count))

    def _vary(self, row: CensusRow, household: Household) -> None:
        """The census's own extras: preferred names, earlier names, earlier addresses."""
        if self.rng.random() < 0.06 and row.first_name in names.NICKNAMES:
            row.preferred_first_name = self.rng.choice(names.NICKNAMES[row.first_name].split())
        if self.rng.random() < 0.02:
            row.preferred_last_name = self.surnames["british"].draw(self.rng)
        if self.rng.random() < 0.03:
            row.former_names = ((row.first_name, self.surnames[household.origin].draw(self.rng)),)
        if self.rng.random() < 0.12:
            line, code, _ = self.new_address()
            row.former_addresses = ((line, code),)

    def _upn(self, dob: date) -> str:
        serial = next(self.upn_serial)
        la = LA_CODES[serial % len(LA_CODES)]
        body = f"{la:03d}{2000 + serial // 1000 % 8000:04d}{(dob.year + 4) % 100:02d}{serial % 1000:03d}"
        return upn_number.calc_check_digit(body) + body


def given_names(row: CensusRow) -> set[str]:
    return {row.first_name, *row.middle_names.split(), row.preferred_first_name} - {""}


def random_dob(rng: random.Random) -> date:
    """A date of birth for a pupil aged 4 to 17 on census day."""
    oldest = date(CENSUS_DATE.year - OLDEST - 1, CENSUS_DATE.month, CENSUS_DATE.day) + timedelta(days=1)
    youngest = date(CENSUS_DATE.year - YOUNGEST, CENSUS_DATE.month, CENSUS_DATE.day)
    return oldest + timedelta(days=rng.randrange((youngest - oldest).days + 1))


# Names in other scripts, as a census may hold them (bench/evaluate.py).
SCRIPT_NAMES = {
    "arabic": ("محمد أحمد يوسف عمر علي حسن فاطمة عائشة مريم زينب", "الحسن خان حسين عبدالله منصور"),
    "cyrillic": ("Иван Дмитрий Алексей Мария Анна Ольга Наталья", "Иванов Петрова Смирнов Кузнецова Попов"),
    "chinese": ("伟 芳 娜 敏 静 磊 洋 艳", "王 李 张 刘 陈 杨"),
    "devanagari": ("राहुल अमित प्रिया सुनीता अनिल पूजा", "शर्मा पटेल सिंह गुप्ता वर्मा"),
}


def with_scripts(census: Census, *, share: float, seed: int = 0) -> Census:
    """A share of households given names in Arabic, Cyrillic, Chinese or Devanagari letters."""
    rng = random.Random(seed)
    for household in census.households:
        if rng.random() >= share:
            continue
        firsts, lasts = (names.split() for names in SCRIPT_NAMES[rng.choice(sorted(SCRIPT_NAMES))])
        surname = rng.choice(lasts)
        household.surname = surname
        chosen = rng.sample(firsts, min(len(household.pupil_ids), len(firsts)))
        for index, first in zip(household.pupil_ids, chosen, strict=False):
            row = census.rows[index] if index < len(census.rows) else None
            if row is not None:
                row.first_name, row.last_name, row.middle_names = first, surname, ""
                row.preferred_first_name = row.preferred_last_name = ""
                row.former_names = ()
    return census
