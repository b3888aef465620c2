"""Southend's (made-up but typical) 2026-27 school year, as a term-dates CSV."""

SOUTHEND_2026_27 = """la_code,school_urn,kind,starts_on,ends_on,description
882,,term,2026-09-01,2026-12-18,Autumn term
882,,holiday,2026-10-19,2026-10-23,Autumn half term
882,,inset,2026-09-01,2026-09-01,INSET day
882,,term,2027-01-05,2027-04-01,Spring term
882,,holiday,2027-02-15,2027-02-19,Spring half term
882,,term,2027-04-19,2027-07-21,Summer term
882,,holiday,2027-05-31,2027-06-04,Summer half term
"""


def write_terms(tmp_path, text: str, name: str = "terms.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
