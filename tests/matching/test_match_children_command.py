import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from encompass.models import Event
from incidents.models import MatchDecision

from .census_db import census_store
from .people import BY_ID

HEADER = "ref,first_name,last_name,dob,sex,address_line1,address_line2,town,postcode,upn,incident_date\n"


def run(tmp_path, lines: str, *args):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(HEADER + lines)
    call_command("match_children", str(source), "--out", str(out), *args)
    with open(out, newline="") as f:
        return {row["ref"]: row for row in csv.DictReader(f)}


def test_it_writes_a_decision_per_child_and_creates_nothing_but_one_event(world, tmp_path, capsys):
    stored = census_store(world.school_a)
    olivia = BY_ID[2]
    rows = run(
        tmp_path,
        f"A1,Olivia,Smith,{olivia.dob},F,12 Oak Road,,,SS1 4AB,,2026-11-27\n"
        f"A2,O,Smith,{olivia.dob},,12 Oak Road,,,SS1 4AB,,2026-11-27\n"
        "A3,Zebedee,Quill,2014-01-01,M,,,,,,2026-11-27\n"
        "A4,Bad,Date,2014-13-45,,,,,,,\n",
        "--actor",
        world.reviewer_a.email,
    )
    assert rows["A1"]["decision"] == "matched"
    assert rows["A1"]["upn"] == stored[2].upn and rows["A1"]["school_urn"] == str(world.school_a.urn)
    assert rows["A2"]["decision"] == "review" and rows["A2"]["upn"]
    assert rows["A3"] == {**rows["A3"], "decision": "no_match", "upn": "", "school_urn": ""}
    assert rows["A4"]["decision"] == "error"
    assert "line 5: dob '2014-13-45' is not a date" in capsys.readouterr().err
    assert not MatchDecision.objects.exists()
    event = Event.objects.get(verb="match_children.run")
    assert event.actor == world.reviewer_a and event.data["rows"] == 4 and event.data["os_user"]


def test_weights_stored_for_another_census_are_not_used(world, tmp_path, capsys):
    from schools.census import weights_save

    census_store(world.school_a)
    weights_save({"pupils": 1_000_000})  # a census that is not the one imported
    run(tmp_path, "A1,Olivia,Smith,,F,12 Oak Road,,,SS1 4AB,,\n")
    assert "do not describe this census" in capsys.readouterr().err


def test_a_pupil_not_enrolled_on_the_incident_date_has_no_school_and_says_why(world, tmp_path):
    census_store(world.school_a)
    olivia = BY_ID[2]
    rows = run(tmp_path, f"A1,Olivia,Smith,{olivia.dob},F,12 Oak Road,,,SS1 4AB,,1999-01-01\n")
    assert rows["A1"]["decision"] == "matched" and rows["A1"]["school_urn"] == ""
    assert "not enrolled at any school on 1999-01-01" in rows["A1"]["reason"]


def test_worker_processes_give_the_same_lines_in_the_same_order(world, tmp_path, postgres, monkeypatch):
    """The workers read the census through their own connections: PostgreSQL only."""
    from incidents.management.commands import match_children

    monkeypatch.setattr(match_children, "CHUNK", 4)  # several chunks, spread over both workers
    census_store(world.school_a)
    lines = (
        "".join(
            f"R{n},{p.first_name},{p.last_name},{p.dob},{p.sex},{p.address_line1},,,{p.postcode},,2026-11-27\n"
            for n, p in enumerate(BY_ID.values())
        )
        + "BAD,Bad,Date,2014-13-45,,,,,,,\n"
    )
    one = (tmp_path / "one").mkdir() or run(tmp_path / "one", lines)
    two = (tmp_path / "two").mkdir() or run(tmp_path / "two", lines, "--workers", "2")
    assert list(one.items()) == list(two.items())
    assert one["BAD"]["decision"] == "error" and len(one) == len(BY_ID) + 1


def test_a_worker_that_fails_stops_the_command_with_its_traceback(world, tmp_path, postgres, monkeypatch):
    from incidents.management.commands import match_children

    def broken(chunk, weights):
        raise RuntimeError("the census table is locked")

    monkeypatch.setattr(match_children, "CHUNK", 1)
    monkeypatch.setattr(match_children, "_gather_chunk", broken)
    census_store(world.school_a)
    with pytest.raises(CommandError, match="the census table is locked"):
        run(
            tmp_path,
            "A1,Olivia,Smith,,F,12 Oak Road,,,SS1 4AB,,\nA2,Olivia,Smith,,F,,,,,,\n",
            "--workers",
            "2",
        )
    assert not Event.objects.filter(verb="match_children.run").exists()


def test_a_long_batch_says_how_far_it_has_got(world, tmp_path, capsys, monkeypatch):
    from incidents.management.commands import match_children

    monkeypatch.setattr(match_children, "CHUNK", 1)
    monkeypatch.setattr(match_children, "PROGRESS_ROWS", 2)
    census_store(world.school_a)
    run(tmp_path, "A1,Olivia,Smith,,F,,,,,,\nA2,Jack,Smith,,M,,,,,,\nA3,Harry,Smith,,M,,,,,,\n")
    err = capsys.readouterr().err
    assert "Rows: 2 of 3 compared with their candidates" in err
    assert "Rows: 3 of 3 compared with their candidates" in err
