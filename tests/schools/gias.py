"""Build GIAS extracts as the real download writes them: Windows-1252, many columns."""

import csv
import io

HEADER = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)", "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)", "EstablishmentStatus (name)", "ReasonEstablishmentOpened (name)",
    "OpenDate", "ReasonEstablishmentClosed (name)", "CloseDate", "PhaseOfEducation (code)",
    "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge", "Boarders (name)",
    "Gender (name)", "ReligiousCharacter (name)", "Street", "Locality", "Address3", "Town",
    "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum", "HeadFirstName", "HeadLastName",
] + [f"Unused column {n}" for n in range(100)]  # fmt: skip


def gias_row(urn: int, **changes) -> dict:
    row = {
        "URN": str(urn), "LA (code)": "882", "LA (name)": "Southend-on-Sea", "EstablishmentNumber": "2001",
        "EstablishmentName": f"School {urn}", "TypeOfEstablishment (name)": "Community school",
        "EstablishmentStatus (name)": "Open", "OpenDate": "01-09-1990", "CloseDate": "",
        "PhaseOfEducation (name)": "Primary", "StatutoryLowAge": "4", "StatutoryHighAge": "11",
        "Street": "Chalkwell Avenue", "Locality": "", "Address3": "", "Town": "Westcliff-on-Sea",
        "Postcode": "SS0 8NS", "HeadFirstName": "Pat", "HeadLastName": "Head",
    }  # fmt: skip
    row.update(changes)
    return row


def gias_file(tmp_path, rows: list[dict], name: str = "edubasealldata20261128.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path
