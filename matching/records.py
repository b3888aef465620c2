"""The two sides of a match: a child as an officer recorded it, a pupil as the census holds it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import normalise as norm


@dataclass(frozen=True)
class ChildRecord:
    """A child as an officer recorded it: any field may be missing or wrong."""

    first_name: str
    last_name: str
    dob: date | None
    sex: str | None  # "M", "F" or None
    address_line1: str = ""
    address_line2: str = ""
    town: str = ""
    postcode: str = ""
    upn: str = ""

    @property
    def home_line(self) -> str:
        """The address lines as far as they place the home (`normalise.home_line`)."""
        return norm.home_line(self.address_line1, self.address_line2)


@dataclass(frozen=True)
class PupilRecord:
    """A census pupil, as stored."""

    id: int
    upn: str
    first_name: str
    middle_names: str
    last_name: str
    preferred_first_name: str
    preferred_last_name: str
    dob: date
    sex: str
    address_line1: str  # as far as it places the home: with the second line when this is a flat alone
    postcode: str
    former_names: tuple[tuple[str, str], ...] = ()  # (first, last) earlier names
    former_addresses: tuple[tuple[str, str], ...] = ()  # (address_line1, postcode)
