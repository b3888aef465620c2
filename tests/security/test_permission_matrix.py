"""Every URL pattern of the site, tried by every persona: each pair has an expected result
(allowed, redirect to sign-in, 404; and for the API, 401 or 403 without credentials). A URL
pattern with no entry here fails the test, so no page ships without deciding who may use it.
Objects belong to school A, force A and partnership A; other schools, forces and
partnerships get 404."""

import re
from dataclasses import dataclass, field

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from encompass.reauth import SESSION_KEY as REAUTH_KEY
from incidents.models import IncidentStatus, MatchDecision, MatchStatus
from notifications.models import Notification, SupportAction, Transfer, TransferStatus
from tests.conftest import signed_in
from tests.factories import IncidentChildFactory, IncidentFactory

PERSONAS = [
    "anonymous",
    "unverified",
    "officer_a",
    "officer_b",
    "reviewer_a",
    "key_adult_a",
    "key_adult_b",
    "coordinator_a",
    "analyst_b",
    "admin",
]
SIGNED_IN = set(PERSONAS) - {"anonymous", "unverified"}
POLICE = {"officer_a", "officer_b", "reviewer_a"}
FORCE_A = {"officer_a", "reviewer_a"}
KEY_ADULTS = {"key_adult_a", "key_adult_b"}
PARTNERSHIPS = {"coordinator_a", "analyst_b", "admin"}
COORDINATION = {"coordinator_a", "admin"}  # partnership A's pages: its coordinator (and admins)


@dataclass
class Rule:
    allowed: set = field(default_factory=set)  # who may use it; others signed in get 404
    method: str = "get"
    open: bool = False  # anybody, signed in or not
    setup: bool = False  # a user signed in without a verified second factor counts as signed in
    everyone: str | None = None  # one result for every persona
    outsider: str = "sign-in"  # what anonymous and unverified visitors get
    refused_ok: bool = False  # the allowed may also get 403 (the admin refusing an action)


OPEN = Rule(open=True)
SESSION_API = dict(outsider="403")

RULES: dict[str, Rule] = {
    "home": Rule(allowed=SIGNED_IN),
    "two_factor:login": OPEN,
    "sign_in": OPEN,  # two_factor:login, answered by our own view (encompass.views.SignIn)
    "two_factor:setup": Rule(allowed=SIGNED_IN | {"unverified"}, setup=True),
    # The QR code exists only while a set-up is under way: 404 otherwise.
    "two_factor:qr": Rule(allowed=set(), setup=True),
    "two_factor:setup_complete": Rule(allowed=SIGNED_IN),
    "two_factor:backup_tokens": Rule(allowed=SIGNED_IN),
    "two_factor:profile": Rule(allowed=SIGNED_IN),
    "two_factor:disable": Rule(allowed=SIGNED_IN),
    "logout": Rule(method="post", everyone="sign-in"),
    "reauth": Rule(allowed=SIGNED_IN),
    "password_reset": OPEN,
    "password_reset_done": OPEN,
    "password_reset_confirm": OPEN,  # an unknown link says so, to anybody
    "password_reset_complete": OPEN,
    "accessibility": OPEN,
    "privacy": OPEN,
    "agreement": OPEN,
    "healthz": OPEN,
    "access_log": Rule(allowed={"reviewer_a", "admin"}),
    "api:schema": OPEN,
    "api:docs": OPEN,
    # Force API clients authenticate by token; a browser session is no credential there.
    "api:incident_upsert": Rule(method="post", everyone="401"),
    "api:incident_status": Rule(everyone="401"),
    "notifications:inbox": Rule(allowed=KEY_ADULTS),
    "notifications:inbox_search": Rule(allowed=KEY_ADULTS, method="post"),
    "notifications:school_switch": Rule(allowed=KEY_ADULTS, method="post"),
    "notifications:detail": Rule(allowed={"key_adult_a"}),
    "notifications:acknowledge": Rule(allowed={"key_adult_a"}, method="post"),
    "notifications:support_add": Rule(allowed={"key_adult_a"}, method="post"),
    "notifications:support_correct": Rule(allowed={"key_adult_a"}),
    "notifications:reject": Rule(allowed={"key_adult_a"}),
    # Administrators see every school; a coordinator sees their own partnership's.
    "notifications:operations": Rule(allowed={"coordinator_a", "admin"}),
    # GOV.UK Notify's receipt callback: its bearer token only, never a session; with no
    # NOTIFY_CALLBACK_TOKEN set (as here) it does not exist (tests/delivery/test_receipts.py).
    "notifications:notify_receipt": Rule(method="post", everyone="404"),
    "notifications:export": Rule(allowed={"key_adult_a"}),
    "police:incidents_incident_import": Rule(allowed={"reviewer_a"}),
    "police:review": Rule(allowed={"reviewer_a"}),
    "police:review_child": Rule(allowed={"reviewer_a"}),
    "routing:queue": Rule(allowed={"coordinator_a"}),
    "routing:handle": Rule(allowed={"coordinator_a"}, method="post"),
    "routing:pass_on": Rule(allowed={"coordinator_a"}),
    "notifications:transfers": Rule(allowed={"coordinator_a"}),
    "notifications:transfer_handled": Rule(allowed={"coordinator_a"}, method="post"),
    "schools:home": Rule(allowed={"coordinator_a"}),
    "schools:schools": Rule(allowed=COORDINATION),
    "schools:school": Rule(allowed=COORDINATION),
    "schools:sign_up": Rule(allowed=COORDINATION),
    "schools:withdraw": Rule(allowed=COORDINATION, method="post"),
    "schools:key_adult_add": Rule(allowed=COORDINATION),
    "schools:key_adult_change": Rule(allowed=COORDINATION),
    "schools:problems": Rule(allowed=COORDINATION),
    "statistics:index": Rule(allowed=PARTNERSHIPS),
    "statistics:figure": Rule(allowed=PARTNERSHIPS),
    "statistics:csv": Rule(allowed=PARTNERSHIPS),
    "statistics:summary": Rule(allowed=PARTNERSHIPS),
    "statistics_api:figures": Rule(allowed=PARTNERSHIPS, **SESSION_API),
    "statistics_api:figure": Rule(allowed=PARTNERSHIPS, **SESSION_API),
    # Django admin pages and actions the admin site itself refuses (adding events, say).
}


def rule_for(name: str, route: str) -> Rule | None:
    if name in RULES:
        return RULES[name]
    if route.endswith("(?P<url>.*)$") or name.endswith(":view_on_site"):
        return Rule(allowed=set())  # catch-all, and "view on site" of models with no page
    if name.startswith("admin:"):
        return Rule(allowed={"admin"}, refused_ok=True)
    if name.startswith("police:") and route.endswith("<path:object_id>/"):
        # Django admin redirects <id>/ to <id>/change/ whatever the id: nothing leaks here,
        # and the change page answers 404 to another force.
        return Rule(allowed=POLICE)
    if name.startswith("police:"):
        objects_of_force_a = re.search(r"<(path:object_id|int:pk)>", route)
        return Rule(
            allowed=FORCE_A if objects_of_force_a else POLICE, refused_ok=name == "police:autocomplete"
        )
    return None


def url_patterns(patterns=None, namespace="", prefix="/"):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from url_patterns(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = ":".join(filter(None, [namespace, p.name])) if p.name else f"{namespace}:{route}"
            yield name, route


ALL_PATTERNS = sorted(set(url_patterns()))


def objects(world) -> dict[str, dict]:
    """Fresh objects of force A / school A for one URL, by URL area and parameter name."""
    incident = IncidentFactory(force=world.force_a, status=IncidentStatus.SUBMITTED)
    child = IncidentChildFactory(
        incident=incident, match_status=MatchStatus.MATCHED, pupil=world.pupil, school=world.school_a
    )
    notification = Notification.objects.create(
        child=child, school=world.school_a, due_at=incident.occurred_at
    )
    action = SupportAction.objects.create(
        notification=notification,
        given_on=incident.occurred_at.date(),
        kind="pastoral",
        created_by=world.key_adult_a,
    )
    in_review = IncidentChildFactory(incident=incident, first_name="Ava", match_status=MatchStatus.REVIEW)
    routed = IncidentChildFactory(incident=incident, first_name="Noah", match_status=MatchStatus.NO_MATCH)
    decision = MatchDecision.objects.create(
        child=routed, outcome=MatchStatus.NO_MATCH, reason="no pupil", routed_to=world.partnership_a
    )
    transfer, _ = Transfer.objects.get_or_create(
        enrolment=world.pupil.enrolments.get(),
        defaults={
            "pupil": world.pupil,
            "from_school": world.school_b,
            "to_school": world.school_a,
            "status": TransferStatus.ROUTED,
            "routed_to": world.partnership_a,
        },
    )
    common = {
        "transfer_pk": transfer.pk,
        "child_pk": in_review.pk,
        "decision_pk": decision.pk,
        "object_id": incident.pk,
        "id": world.key_adult_a.pk,
        "content_type_id": 1,
        "app_label": "incidents",
        "url": "nothing-here/",
        "reference": incident.reference,
        "key": "summary",
        "year": 2026,
        "action_pk": action.pk,
        "uidb64": "MQ",
        "token": "no-such-token",
    }
    membership = world.school_a.key_adults.get()
    schools = {
        **common,
        "pk": membership.pk,
        "partnership_id": world.partnership_a.pk,
        "urn": world.school_a.urn,
    }
    return {
        "police": {**common, "pk": incident.pk},
        "schools": schools,
        "": {**common, "pk": notification.pk},
    }


def concrete(name: str, route: str, values: dict[str, dict]) -> str:
    area = values[name.split(":")[0] if name.startswith(("police:", "schools:")) else ""]
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(area[m.group(1)]), route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(area[m.group(1)]), route)
    return route.replace("^", "").replace("$", "")


def outcome(response) -> str:
    code = response.status_code
    if code in (404, 401, 403, 500):
        return str(code)
    location = response.get("Location", "").split("?")[0]
    if code in (301, 302) and location in ("/account/login/", "/account/two_factor/setup/"):
        return "sign-in"
    return "allowed"


def expected(rule: Rule, persona: str) -> set[str]:
    if rule.everyone:
        return {rule.everyone}
    if rule.open:
        return {"allowed"}
    if persona == "anonymous" or persona == "unverified" and not rule.setup:
        return {rule.outsider}
    if persona in rule.allowed:
        return {"allowed", "403"} if rule.refused_ok else {"allowed"}
    return {"404"}


def client_for(persona, world) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    if persona == "unverified":
        return signed_in(client, world.key_adult_a, verified=False)
    signed_in(client, getattr(world, persona))
    if persona == "admin":
        session = client.session
        session[REAUTH_KEY] = 10**12  # re-authenticated: the admin pages are open to them
        session.save()
    return client


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing = [f"{name} ({route})" for name, route in ALL_PATTERNS if rule_for(name, route) is None]
    assert missing == [], "Add these URL patterns to the permission matrix: " + ", ".join(missing)


def test_each_persona_gets_what_the_matrix_says_on_every_url(world):
    clients = {persona: client_for(persona, world) for persona in PERSONAS}
    wrong = []
    for name, route in ALL_PATTERNS:
        rule = rule_for(name, route)
        url = concrete(name, route, objects(world))  # fresh: an earlier POST may have changed them
        for persona in PERSONAS:
            client = client_for(persona, world) if name == "logout" else clients[persona]
            response = getattr(client, rule.method)(url)
            got, want = outcome(response), expected(rule, persona)
            if got not in want:
                wrong.append(f"{rule.method.upper()} {url} ({name}) as {persona}: wanted {want}, got {got}")
    assert wrong == [], "\n".join(wrong)
