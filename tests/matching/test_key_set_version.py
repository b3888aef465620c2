"""The stored keys are only as good as their version: a change to the keys must raise it."""

import hashlib
from datetime import date

from matching.keys import KEY_SET_VERSION, pupil_blocking_keys
from matching.records import PupilRecord

# KEY_SET_VERSION -> fingerprint of the keys of the pupils below. When this test fails, the keys a
# pupil gets have changed: raise KEY_SET_VERSION (so that stored keys are rebuilt) and add a line.
FINGERPRINTS = {
    1: "01fbdbdf699e4a43",
    2: "6ae8991b338b321a",
    3: "63b2ef7576355cae",
}

PUPILS = [
    PupilRecord(
        id=1, upn="A123456789012", first_name="Amelia", middle_names="Rose Mae", last_name="Smith",
        preferred_first_name="Millie", preferred_last_name="", dob=date(2016, 5, 14), sex="F",
        address_line1="61 Biffin Street", postcode="SS1 1AA",
        former_names=(("Amelia", "Jones"),), former_addresses=(("2 Oak Road", "SS2 6ZZ"),),
    ),
    PupilRecord(
        id=2, upn="", first_name="Mohammed", middle_names="", last_name="Al-Hassan",
        preferred_first_name="", preferred_last_name="Hassan", dob=date(2012, 12, 1), sex="M",
        address_line1="Flat 3, Tower House", postcode="",
    ),
    PupilRecord(
        id=3, upn="", first_name="Zoë", middle_names="", last_name="O'Brien-Kowalska",
        preferred_first_name="", preferred_last_name="", dob=date(2019, 2, 28), sex="",
        address_line1="", postcode="E1 6AN",
    ),
]  # fmt: skip


def fingerprint() -> str:
    keys = "\n".join(" ".join(sorted(pupil_blocking_keys(pupil))) for pupil in PUPILS)
    return hashlib.sha256(keys.encode()).hexdigest()[:16]


def test_the_key_set_has_the_fingerprint_its_version_was_recorded_with():
    assert fingerprint() == FINGERPRINTS[KEY_SET_VERSION], (
        "pupil_blocking_keys changed: raise matching.keys.KEY_SET_VERSION and record its fingerprint"
    )


def test_every_version_names_one_key_set():
    assert len(set(FINGERPRINTS.values())) == len(FINGERPRINTS)
    assert max(FINGERPRINTS) == KEY_SET_VERSION
