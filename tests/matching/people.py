"""A small census of households built to trip the matcher: twins, siblings, namesakes."""

from datetime import date

from stdnum.gb.upn import calc_check_digit

from matching import ChildRecord, PupilRecord


def upn(serial: int) -> str:
    body = f"883120015{serial:03d}"
    return calc_check_digit(body) + body


def pupil(id, first, last, dob, sex, line="12 Oak Road", code="SS1 4AB", **extra) -> PupilRecord:
    fields = {"middle_names": "", "preferred_first_name": "", "preferred_last_name": ""}
    fields.update(extra)
    return PupilRecord(
        id=id,
        upn=upn(id),
        first_name=first,
        last_name=last,
        dob=dob,
        sex=sex,
        address_line1=line,
        postcode=code,
        **fields,
    )


SMITHS = {"line": "12 Oak Road", "code": "SS1 4AB"}
PUPILS = [
    pupil(1, "William", "Smith", date(2015, 3, 4), "M", middle_names="James", **SMITHS),
    pupil(2, "Olivia", "Smith", date(2012, 7, 21), "F", **SMITHS),
    pupil(3, "Jack", "Smith", date(2018, 5, 9), "M", **SMITHS),  # twins: Jack and Harry
    pupil(4, "Harry", "Smith", date(2018, 5, 9), "M", **SMITHS),
    pupil(5, "William", "Smith", date(2011, 10, 10), "M", line="3 Elm Close", code="CM2 9QT"),  # a namesake
    pupil(6, "Aisha", "Patel-Jones", date(2014, 11, 23), "F", line="40 Mill Lane", code="RM17 6DP"),
    pupil(7, "Muhammad", "Khan", date(2013, 1, 30), "M", line="8 Station Road", code="E15 4YD"),
    pupil(
        8,
        "Margaret",
        "Hughes",
        date(2016, 9, 14),
        "F",
        preferred_first_name="Maisie",
        line="2 York Way",
        code="CO4 9WS",
    ),
    pupil(
        9,
        "Chloe",
        "Evans",
        date(2010, 2, 5),
        "F",
        line="17 Grange Avenue",
        code="SS9 2LR",
        former_names=(("Chloe", "Brown"),),
        former_addresses=(("5 Kings Road", "SS0 7EE"),),
    ),
    pupil(10, "Zofia", "Wiśniewska", date(2017, 6, 18), "F", line="9 Park Street", code="B10 3JP"),
    pupil(11, "Niamh", "O'Brien", date(2012, 12, 1), "F", line="21 Manor Drive", code="LS12 9NF"),
    pupil(
        12, "Oliver", "Taylor", date(2019, 4, 2), "M", line="6 Chapel Lane", code="M20 5BU"
    ),  # twins: Oliver and Olivia
    pupil(13, "Olivia", "Taylor", date(2019, 4, 2), "F", line="6 Chapel Lane", code="M20 5BU"),
    pupil(
        14,
        "Aisha",
        "Begum",
        date(2013, 8, 27),
        "F",
        middle_names="Noor",
        line="30 Victoria Road",
        code="BD6 8RW",
    ),
]
BY_ID = {p.id: p for p in PUPILS}


def recorded(pupil_id: int, **changes) -> ChildRecord:
    """The pupil as an officer would record it, with the given fields changed."""
    p = BY_ID[pupil_id]
    fields = {
        "first_name": p.first_name,
        "last_name": p.last_name,
        "dob": p.dob,
        "sex": p.sex,
        "address_line1": p.address_line1,
        "postcode": p.postcode,
    }
    fields.update(changes)
    return ChildRecord(**fields)
