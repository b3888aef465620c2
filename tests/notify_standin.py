"""A local stand-in for GOV.UK Notify's API, for the tests: the endpoints the official client
calls (send an e-mail, send a text message, get a notification), each checking the JWT the
client signs (HS256 with the key's secret, `iss` the service id, `iat` within 30 seconds), as
Notify does. Replies can be queued (a 429 burst, a 400); every request is kept for the test
to read."""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

TOKEN_LEEWAY = 30
EMAIL_TEMPLATE_ID = "4d1b8b1e-2c3f-4b8e-9a0e-0a1b2c3d4e5f"
SMS_TEMPLATE_ID = "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"


def error_body(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


RATE_LIMITED = (
    429,
    error_body(
        429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"
    ),
)
NOT_A_UK_MOBILE = (400, error_body(400, "ValidationError", "phone_number Not a UK mobile number"))
TEAM_ONLY_KEY = (
    400,
    error_body(400, "BadRequestError", "Can't send to this recipient using a team-only API key"),
)
SERVER_ERROR = (500, error_body(500, "Exception", "Internal server error"))


@dataclass
class NotifyStandIn:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    requests: list[dict] = field(default_factory=list)  # accepted sends: path, body, claims
    refused: list[dict] = field(default_factory=list)  # requests answered with an error
    replies: list[tuple[int, dict]] = field(default_factory=list)  # queued answers to sends
    statuses: dict[str, str] = field(default_factory=dict)  # Notify id -> status (get notification)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def api_key(self) -> str:
        return f"encompass_test-{self.service_id}-{self.secret}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def settings(self) -> dict[str, str]:
        return {
            "ALERT_BACKEND": "notify",
            "NOTIFY_API_KEY": self.api_key,
            "NOTIFY_BASE_URL": self.base_url,
            "NOTIFY_EMAIL_TEMPLATE_ID": EMAIL_TEMPLATE_ID,
            "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE_ID,
        }

    def start(self) -> "NotifyStandIn":
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.standin = self
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent(self, kind: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["path"] == f"/v2/notifications/{kind}"]

    def wait_for(self, count: int, *, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.requests

    # What Notify checks before anything else.
    def claims_or_error(self, authorization: str) -> tuple[dict | None, tuple[int, dict] | None]:
        if not authorization.startswith("Bearer "):
            return None, (
                401,
                error_body(401, "AuthError", "Unauthorized: authentication token must be provided"),
            )
        token = authorization.removeprefix("Bearer ")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.InvalidTokenError:
            return None, (403, error_body(403, "AuthError", "Invalid token: signature, api token not found"))
        if header.get("typ") != "JWT" or claims.get("iss") != self.service_id:
            return None, (403, error_body(403, "AuthError", "Invalid token: service not found"))
        if abs(time.time() - int(claims.get("iat", 0))) > TOKEN_LEEWAY:
            return None, (403, error_body(403, "AuthError", "Error: Your system clock must be accurate"))
        return claims, None


class Handler(BaseHTTPRequestHandler):
    @property
    def standin(self) -> NotifyStandIn:
        return self.server.standin

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self, record: dict) -> dict | None:
        claims, error = self.standin.claims_or_error(self.headers.get("Authorization", ""))
        if error:
            with self.standin.lock:
                self.standin.refused.append({**record, "status": error[0]})
            self._answer(*error)
        return claims

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        record = {"path": self.path, "body": body, "headers": dict(self.headers)}
        claims = self._authorised(record)
        if claims is None:
            return
        kinds = {"/v2/notifications/email": "email_address", "/v2/notifications/sms": "phone_number"}
        if self.path not in kinds:
            return self._answer(404, error_body(404, "NotFound", "Not found"))
        with self.standin.lock:
            reply = self.standin.replies.pop(0) if self.standin.replies else None
            if reply:
                self.standin.refused.append({**record, "status": reply[0]})
        if reply:
            return self._answer(*reply)
        expected = EMAIL_TEMPLATE_ID if self.path.endswith("email") else SMS_TEMPLATE_ID
        if body.get("template_id") != expected:
            return self._answer(400, error_body(400, "BadRequestError", "Template not found"))
        if not body.get(kinds[self.path]):
            return self._answer(
                400, error_body(400, "ValidationError", f"{kinds[self.path]} is a required property")
            )
        notify_id = str(uuid.uuid4())
        with self.standin.lock:
            self.standin.requests.append({**record, "claims": claims, "id": notify_id})
            self.standin.statuses[notify_id] = "sending"
        self._answer(
            201,
            {
                "id": notify_id,
                "reference": body.get("reference"),
                "content": {"body": "..."},
                "uri": f"{self.standin.base_url}/v2/notifications/{notify_id}",
                "template": {"id": body["template_id"], "version": 1, "uri": "..."},
            },
        )

    def do_GET(self):
        if self._authorised({"path": self.path}) is None:
            return
        notify_id = self.path.removeprefix("/v2/notifications/")
        with self.standin.lock:
            status = self.standin.statuses.get(notify_id)
            sent = next((r for r in self.standin.requests if r["id"] == notify_id), None)
        if status is None:
            return self._answer(404, error_body(404, "NoResultFound", "No result found"))
        completed = status not in ("created", "sending", "pending")
        self._answer(
            200,
            {
                "id": notify_id,
                "reference": sent["body"].get("reference"),
                "type": "email" if sent["path"].endswith("email") else "sms",
                "status": status,
                "created_at": "2026-12-01T06:30:00.000000Z",
                "completed_at": "2026-12-01T06:30:05.000000Z" if completed else None,
            },
        )

    def log_message(self, *args):
        pass
