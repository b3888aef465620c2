"""Every benchmark in bench/ runs on main: each script is run at a tiny size, in its own
process and (where it needs one) on a throwaway PostgreSQL database, and must finish and
print its figures. The figures themselves are not judged here: benchmarks are measured by
hand on a quiet machine."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest

from tests.services import need_postgres, need_services

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
DB = "{db}"  # replaced by the throwaway database's URL

# script -> (arguments at a tiny size, what it needs, a line its figures always print)
SCRIPTS = {
    "matching.py": (["--pupils", "3000", "--queries", "300"], None, "recall"),
    "splink_compare.py": (["--pupils", "3000", "--queries", "300"], None, "=== SPLINK"),
    "import_pupils.py": (["--rows", "500", "--schools", "5", "--workers", "1"], "postgres", "rows/s"),
    "matching_command.py": (
        ["--pupils", "3000", "--queries", "300", "--workers", "1", "--db", DB],
        "postgres",
        "recall",
    ),
    "evaluate.py": (["--sets", "febrl1", "--no-splink", "--db", DB], "postgres", "blocking recall"),
    "statistics.py": (["--notifications", "2000", "--repeat", "1"], "postgres", "monthly overview"),
    "pipeline.py": (
        ["--via", "service", "--rate", "5", "--seconds", "2", "--burst", "20", "--workers", "1"],
        "services",
        "burst",
    ),
}


def _runnable_scripts() -> set[str]:
    return {p.name for p in BENCH.glob("*.py") if 'if __name__ == "__main__"' in p.read_text()}


def test_every_benchmark_script_has_a_smoke_run():
    missing = _runnable_scripts() - set(SCRIPTS)
    assert not missing, f"add a tiny run of {sorted(missing)} to SCRIPTS in {Path(__file__).name}"


@pytest.fixture
def throwaway_database():
    """A database of its own for a script that truncates and loads what it likes."""
    url = urlparse(os.environ["DATABASE_URL"])
    name = f"enc_bench_smoke_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield urlunparse(url._replace(path=f"/{name}"))
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _run(script: str, args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_the_benchmark_runs_at_a_tiny_size(script, request, tmp_path):
    args, needs, expected = SCRIPTS[script]
    env = {
        **os.environ,
        "VAR_DIR": str(tmp_path / "var"),
        "MATCH_WEIGHTS_FILE": str(tmp_path / "weights.json"),
    }
    if needs == "services":
        need_services()
    elif needs == "postgres":
        need_postgres()
    if needs:
        db = request.getfixturevalue("throwaway_database")
        env["DATABASE_URL"] = db
        args = [db if a == DB else a for a in args]
    result = _run(script, args, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert expected in output, output[-3000:]
