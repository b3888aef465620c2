"""Submission to e-mail: how long from an incident being submitted to the Key Adult's alert
arriving at an SMTP server, on the real services (PostgreSQL, Redis, Celery workers).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enc_delivery \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/7 \\
    .venv/bin/python bench/pipeline.py --via service [--rate 10 --seconds 60] [--burst 5000]

It migrates the database, makes a bench school with one Key Adult and one pupil, starts an
SMTP sink in this process and `celery worker` processes that send to it, then:
  1. steady: submits --rate incidents per second for --seconds, and prints p50/p95/p99 of the
     time from the start of each submission to its e-mail arriving at the sink;
  2. burst: submits --burst incidents as an overnight download would (in transactions of
     --batch) while no worker runs, then starts the workers and prints how long until every
     alert has arrived (the delivery side's throughput; submission time is printed too).

--via service calls police.services.incident_submit; --via api POSTs to
<--base-url>/api/v1/incidents/ with an API token (--token), once that API is on main."""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encompass.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

LONDON = ZoneInfo("Europe/London")


class Sink:
    """Records when each notification's alert arrives, by its Message-ID."""

    def __init__(self):
        self.arrived: dict[int, float] = {}
        self.duplicates = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        message_id = message_from_bytes(envelope.content)["Message-ID"]
        notification_id = int(message_id.split("notification-")[1].split("@")[0])
        with self.lock:
            if notification_id in self.arrived:
                self.duplicates += 1
            else:
                self.arrived[notification_id] = now
        return "250 OK"

    def wait_for(self, ids, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if all(i in self.arrived for i in ids):
                    return True
            time.sleep(0.05)
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_world():
    from django.contrib.auth import get_user_model

    from encompass.models import Role
    from incidents.models import Force
    from schools.census import pupil_keys_store
    from schools.models import Enrolment, KeyAdult, LocalAuthority, Partnership, Pupil, School

    force, _ = Force.objects.get_or_create(code="BEN", defaults={"name": "Bench Police"})
    partnership, _ = Partnership.objects.get_or_create(name="Bench Partnership")
    la, _ = LocalAuthority.objects.get_or_create(
        code="999", defaults={"name": "Bench Authority", "partnership": partnership}
    )
    school, _ = School.objects.get_or_create(
        urn=999999,
        defaults={
            "name": "Bench Primary School",
            "local_authority": la,
            "participating": True,
            "joined_on": date(2025, 9, 1),
        },
    )
    User = get_user_model()
    key_adult = User.objects.filter(email="bench-dsl@example.invalid").first() or User.objects.create_user(
        "bench-dsl@example.invalid", None, full_name="Bench DSL", role=Role.KEY_ADULT
    )
    KeyAdult.objects.get_or_create(user=key_adult, school=school, defaults={"role": "dsl"})
    officer = User.objects.filter(email="bench-officer@example.invalid").first() or User.objects.create_user(
        "bench-officer@example.invalid", None, full_name="Bench Officer", role=Role.OFFICER, force=force
    )
    pupil, _ = Pupil.objects.get_or_create(
        upn="B999999999999",
        defaults={"first_name": "Bench", "last_name": "Pupil", "dob": date(2016, 5, 14), "sex": "F"},
    )
    Enrolment.objects.get_or_create(pupil=pupil, school=school, defaults={"entry_date": date(2023, 9, 1)})
    pupil_keys_store([pupil])  # the matcher finds pupils through their blocking keys
    return force, officer


class ServiceSubmitter:
    def __init__(self, force, officer, run: str):
        self.force, self.officer, self.run, self.n = force, officer, run, 0
        self.lock = threading.Lock()

    def submit(self) -> int:
        from incidents.models import Incident, IncidentChild
        from notifications.models import Notification
        from police.services import incident_submit

        with self.lock:
            self.n += 1
            n = self.n
        incident = Incident.objects.create(
            force=self.force,
            reference=f"B{self.run}/{n:06d}",
            occurred_at=datetime.now(LONDON) - timedelta(hours=1),
            address_line1="1 Bench Street",
            postcode="SS0 0AA",
        )
        IncidentChild.objects.create(
            incident=incident, first_name="Bench", last_name="Pupil", dob=date(2016, 5, 14)
        )
        incident_submit(incident=incident, actor=self.officer)
        return Notification.objects.values_list("pk", flat=True).get(child__incident=incident)


class ApiSubmitter:
    def __init__(self, base_url: str, token: str, run: str):
        import requests

        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.url = f"{base_url.rstrip('/')}/api/v1/incidents/"
        self.run, self.n = run, 0
        self.lock = threading.Lock()

    def submit(self) -> int:
        from notifications.models import Notification

        with self.lock:
            self.n += 1
            reference = f"B{self.run}/{self.n:06d}"
        body = {
            "reference": reference,
            "occurred_at": (datetime.now(LONDON) - timedelta(hours=1)).isoformat(),
            "address_line1": "1 Bench Street",
            "postcode": "SS0 0AA",
            "children": [{"first_name": "Bench", "last_name": "Pupil", "dob": "2016-05-14", "present": True}],
        }
        response = self.session.post(
            self.url, data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        if response.status_code == 404:
            sys.exit(
                f"{self.url} answered 404: the incidents API is not on this branch yet; use --via service"
            )
        response.raise_for_status()
        return Notification.objects.values_list("pk", flat=True).get(child__incident__reference=reference)


def start_workers(count: int, concurrency: int, smtp_port: int, log_dir: Path) -> list[subprocess.Popen]:
    from encompass.models import Heartbeat

    Heartbeat.objects.filter(name__startswith="worker@").delete()
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "LOG_LEVEL": "WARNING"}
    workers = []
    for i in range(count):
        args = [sys.executable, "-m", "celery", "-A", "encompass", "worker", "--pool", "prefork"]
        args += ["--concurrency", str(concurrency), "--loglevel", "WARNING", "-n", f"bench{i}@%h"]
        args += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        log = (log_dir / f"bench-worker-{i}.log").open("ab")
        workers.append(subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
    deadline = time.monotonic() + 60
    while Heartbeat.objects.filter(name__startswith="worker@").count() < count:
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            sys.exit(f"workers did not start; see {log_dir}/bench-worker-*.log")
        time.sleep(0.2)
    return workers


def cpu_seconds(workers) -> float:
    """User and system CPU of the worker processes and their pool children, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [w.pid for w in workers]
    for w in workers:
        children = Path(f"/proc/{w.pid}/task/{w.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def steady(submitter, sink: Sink, rate: float, seconds: int, threads: int) -> None:
    """Submissions start on a fixed timetable (i / rate seconds after the start), from a pool of
    `threads` submitters, as several web processes would take requests."""
    from concurrent.futures import ThreadPoolExecutor

    started: dict[int, float] = {}
    begin = time.monotonic()

    def one(i: int) -> None:
        pause = begin + i / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        t0 = time.time()
        started[submitter.submit()] = t0

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(int(rate * seconds))))
    behind = time.monotonic() - begin - seconds
    complete = sink.wait_for(started, timeout=120)
    latencies = [sink.arrived[i] - t0 for i, t0 in started.items() if i in sink.arrived]
    print(
        f"steady: {len(started)} incidents at {rate:g}/s for {seconds}s from {threads} submitter threads "
        f"(last submission {behind:+.1f}s from its slot)"
    )
    print(
        f"  submission to e-mail: p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, p99 {percentile(latencies, 99) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    print(f"  delivered {len(latencies)}/{len(started)}{'' if complete else ' (TIMED OUT)'}")


def burst(submitter, sink: Sink, count: int, batch: int, threads: int, start_workers_fn) -> list:
    """An overnight download lands while no worker is running (its sends wait in Redis), then
    the workers start: the figure is the time from their start to the last alert arriving."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import transaction

    def one_batch(size: int) -> list[int]:
        with transaction.atomic():
            return [submitter.submit() for _ in range(size)]

    t0 = time.time()
    sizes = [min(batch, count - start) for start in range(0, count, batch)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        ids = [i for done in pool.map(one_batch, sizes) for i in done]
    submitted = time.time() - t0
    print(
        f"burst: {count} incidents submitted in {submitted:.1f}s (transactions of {batch}, "
        f"{threads} threads), no worker running"
    )
    workers = start_workers_fn()
    began = time.time()
    cpu_before = cpu_seconds(workers)
    complete = sink.wait_for(ids, timeout=900)
    cpu = cpu_seconds(workers) - cpu_before
    last = max(sink.arrived[i] for i in ids if i in sink.arrived)
    delivered = sum(i in sink.arrived for i in ids)
    print(
        f"  all delivered {last - began:.1f}s after the workers started "
        f"({delivered}/{count}, {delivered / (last - began):.0f} e-mails/s"
        f"{'' if complete else ', TIMED OUT'})"
    )
    print(
        f"  worker CPU {cpu:.1f}s: {cpu / max(delivered, 1) * 1000:.1f} ms per e-mail "
        f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    return workers


def stop_workers(workers) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--via", choices=["service", "api"], default="service")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="with --via api")
    parser.add_argument("--token", default=os.environ.get("ENCOMPASS_API_TOKEN", ""), help="with --via api")
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--burst", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100, help="incidents per transaction in the burst")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=4, help="prefork children per worker")
    parser.add_argument("--submitters", type=int, default=4, help="submitting threads")
    parser.add_argument("--skip-steady", action="store_true")
    parser.add_argument("--skip-burst", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.management import call_command

    from encompass.celery import app

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("bench/pipeline.py measures the real services: set DATABASE_URL=postgres://...")
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        sys.exit("bench/pipeline.py measures the real services: set CELERY_BROKER_URL=redis://...")
    call_command("migrate", verbosity=0)
    force, officer = bench_world()
    app.control.purge()

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    log_dir = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    log_dir.mkdir(parents=True, exist_ok=True)

    def start():
        return start_workers(args.workers, args.concurrency, controller.port, log_dir)

    workers = []
    run = datetime.now().strftime("%H%M%S")
    submitter = (
        ServiceSubmitter(force, officer, run)
        if args.via == "service"
        else ApiSubmitter(args.base_url, args.token, run)
    )
    print(
        f"via {args.via}; {args.workers} worker(s) x {args.concurrency} processes; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} before starting"
    )
    try:
        if not args.skip_steady:
            workers = start()
            steady(submitter, sink, args.rate, args.seconds, args.submitters)
            stop_workers(workers)
        if not args.skip_burst:
            workers = burst(submitter, sink, args.burst, args.batch, args.submitters, start)
        print(f"duplicates received: {sink.duplicates}")
    finally:
        stop_workers(workers)
        controller.stop()


if __name__ == "__main__":
    main()
