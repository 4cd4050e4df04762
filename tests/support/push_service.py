"""A Web Push service for tests and benchmarks, on 127.0.0.1. It does with a push message what a browser's push
service does: it checks the headers RFC 8030 asks for and the sender's VAPID signature (RFC 8292), then decrypts the
message with the keys of a subscriber it made (RFC 8291). A test reads what the app pushed, in plain text.

    with PushService() as service:
        client = service.subscribe()
        subscription = client.subscription_json()  # what PushSubscription.toJSON() gives in a browser
        ...  # the app saves the subscription and pushes to it
        [delivery] = service.wait_for(1, token=client.token)
        assert delivery.payload_json == {...}
        assert service.failures() == []

A push is delivered (201) or refused with the status a push service answers: 401 without a VAPID Authorization
header; 403 for a signature, key, audience, expiry or subject that is wrong; 400 for a missing or bad header or a body
that does not decrypt; 413 for a body over 4096 bytes; 404 for a token nobody subscribed; 410 after ``unsubscribe``.
Each refusal is recorded, so a test can assert there were none.

``answer(token, 410)`` (or 404, 429, 500, a delay) makes the service answer something else for a token, without
looking at the push, as a push service that is down or has dropped the subscription does.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import secrets
import socketserver
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import http_ece  # type: ignore[import-untyped]
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

HOST = "127.0.0.1"
PUSH_PATH = "/push/"
MAX_BODY_BYTES = 4096  # RFC 8030 section 7.2: the least a push service accepts, and all that browsers' ones accept
MAX_VAPID_SECONDS = 24 * 60 * 60  # RFC 8292 section 2: exp is at most 24 hours ahead
URGENCIES = ("very-low", "low", "normal", "high")  # RFC 8030 section 5.3
TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")  # RFC 8030 section 5.4
SUBJECT = re.compile(r"(mailto:|https:)\S+")  # RFC 8292 section 2.1
# RFC 8188 section 2.1: salt (16), record size (4), key id length (1); RFC 8291 section 4: the key id is the
# sender's public key (65) and the message is one record, with at least a padding delimiter (1) and a tag (16).
AES128GCM_HEADER_BYTES = 16 + 4 + 1
PUBLIC_KEY_BYTES = 65
SMALLEST_RECORD_BYTES = 1 + 16


def b64url(data: bytes) -> str:
    """Base64url without padding, as the Push API and JWTs write bytes."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    """The bytes of a base64url text, padded or not; raises ValueError if it is not base64url."""
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def public_key_b64url(public_key: ec.EllipticCurvePublicKey) -> str:
    """A P-256 public key as the Push API writes it: the uncompressed point (65 bytes), base64url. This is a
    subscription's ``p256dh``, a VAPID ``k`` and the ``applicationServerKey`` a page subscribes with."""
    return b64url(public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))


class Refused(Exception):
    """A push the service does not deliver: the status it answers and why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = int(status)
        self.reason = reason


@dataclass(frozen=True)
class PushClient:
    """A browser's side of a subscription: its P-256 key pair, its auth secret and its endpoint on the service.
    ``application_server_key``: the VAPID key the page subscribed with, if any; the service then refuses others."""

    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    application_server_key: str | None = None

    @classmethod
    def create(cls, origin: str, application_server_key: str | None = None) -> PushClient:
        token = secrets.token_urlsafe(24)
        return cls(
            token=token,
            endpoint=f"{origin}{PUSH_PATH}{token}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=secrets.token_bytes(16),
            application_server_key=application_server_key,
        )

    @property
    def p256dh(self) -> str:
        return public_key_b64url(self.private_key.public_key())

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_json(self) -> dict[str, Any]:
        """The subscription as ``PushSubscription.toJSON()`` gives it in Chromium and Firefox."""
        return {"endpoint": self.endpoint, "expirationTime": None, "keys": {"p256dh": self.p256dh, "auth": self.auth}}

    def decrypt(self, body: bytes) -> bytes:
        """The plain text of an aes128gcm body sent to this subscription; raises if it does not decrypt."""
        return bytes(
            http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        )


@dataclass(frozen=True)
class Delivery:
    """A push the service accepted, decrypted."""

    token: str
    payload: bytes
    ttl: int
    urgency: str | None
    topic: str | None
    vapid_key: str  # the sender's public key, base64url, as its Authorization header gives it
    claims: dict[str, Any]  # the VAPID JWT's claims: aud, exp, sub
    headers: dict[str, str]  # every request header, names in lower case
    arrived_at: float  # time.time()
    arrived_monotonic: float  # time.monotonic(): the same clock in every process on this machine, for latencies

    @property
    def payload_json(self) -> Any:
        """The payload parsed as JSON; None if it is not JSON."""
        try:
            return json.loads(self.payload)
        except ValueError:
            return None


@dataclass(frozen=True)
class Attempt:
    """One push request and the status the service answered; ``scripted`` when ``answer`` chose it."""

    token: str
    status: int
    reason: str
    scripted: bool
    arrived_at: float


@dataclass(frozen=True)
class Answer:
    """What the service answers a token instead of looking at the push (see ``PushService.answer``)."""

    status: int
    delay: float
    retry_after: int | None
    times: int | None  # how many more pushes get it; None: until told otherwise


@dataclass(frozen=True)
class Reply:
    status: int
    text: str = ""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


def header_params(text: str, separators: str) -> dict[str, str]:
    """``name=value`` pairs of a header, names in lower case: ``"t=abc, k=def"`` -> ``{"t": "abc", "k": "def"}``."""
    params = {}
    for part in re.split(f"[{re.escape(separators)}]", text):
        name, equals, value = part.strip().partition("=")
        if equals:
            params[name.lower()] = value.strip()
    return params


def vapid_credentials(headers: Mapping[str, str]) -> tuple[str, str]:
    """The JWT and the public key a push is signed with: ``Authorization: vapid t=<JWT>, k=<key>`` (RFC 8292), or
    the drafts' ``Authorization: WebPush <JWT>`` with ``Crypto-Key: p256ecdsa=<key>`` (py_vapid's Vapid01)."""
    scheme, _, rest = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "vapid":
        params = header_params(rest, ",")
        token, key = params.get("t", ""), params.get("k", "")
    elif scheme.lower() == "webpush":
        token, key = rest.strip(), header_params(headers.get("crypto-key", ""), ";,").get("p256ecdsa", "")
    else:
        raise Refused(HTTPStatus.UNAUTHORIZED, "no VAPID Authorization header")
    if not token or not key:
        raise Refused(HTTPStatus.UNAUTHORIZED, "the VAPID Authorization header lacks its token or its key")
    return token, key


def vapid_public_key(key: str) -> ec.EllipticCurvePublicKey:
    try:
        point = unb64url(key)
        if len(point) != PUBLIC_KEY_BYTES or point[0] != 4:
            raise ValueError("not an uncompressed point")
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as error:
        raise Refused(HTTPStatus.FORBIDDEN, "k is not an uncompressed P-256 public key") from error


def json_object(text: str) -> dict[str, Any]:
    value = json.loads(unb64url(text))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def verified_claims(token: str, key: str, origin: str, now: float) -> dict[str, Any]:
    """The claims of a VAPID JWT that ``key`` signed for ``origin`` (RFC 8292 section 2); raises Refused (403) if
    it is not one."""
    try:
        encoded_header, encoded_claims, encoded_signature = token.split(".")
        header, claims = json_object(encoded_header), json_object(encoded_claims)
        signature = unb64url(encoded_signature)
    except ValueError as error:
        raise Refused(HTTPStatus.FORBIDDEN, "t is not a JWT") from error
    if header.get("alg") != "ES256":
        raise Refused(HTTPStatus.FORBIDDEN, "the JWT is not ES256")
    check_signature(vapid_public_key(key), f"{encoded_header}.{encoded_claims}".encode(), signature)
    check_claims(claims, origin, now)
    return claims


def check_signature(public_key: ec.EllipticCurvePublicKey, signed: bytes, signature: bytes) -> None:
    """A JWT's ES256 signature is r || s, 32 bytes each; ``cryptography`` verifies it in DER."""
    if len(signature) != 64:
        raise Refused(HTTPStatus.FORBIDDEN, "the JWT signature is not 64 bytes")
    der = encode_dss_signature(int.from_bytes(signature[:32]), int.from_bytes(signature[32:]))
    try:
        public_key.verify(der, signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise Refused(HTTPStatus.FORBIDDEN, "the JWT is not signed by the key k") from error


def check_claims(claims: dict[str, Any], origin: str, now: float) -> None:
    aud, exp, sub = claims.get("aud"), claims.get("exp"), claims.get("sub")
    if aud != origin:
        raise Refused(HTTPStatus.FORBIDDEN, f"aud is {aud!r}, not this push service's origin {origin}")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise Refused(HTTPStatus.FORBIDDEN, "exp is not a number of seconds")
    if exp <= now:
        raise Refused(HTTPStatus.FORBIDDEN, "the JWT has expired")
    if exp > now + MAX_VAPID_SECONDS:
        raise Refused(HTTPStatus.FORBIDDEN, "exp is more than 24 hours ahead")
    if not isinstance(sub, str) or not SUBJECT.fullmatch(sub):
        raise Refused(HTTPStatus.FORBIDDEN, "sub is not a mailto: or https: URL")


def ttl_of(headers: Mapping[str, str]) -> int:
    ttl = headers.get("ttl", "").strip()
    if not ttl.isascii() or not ttl.isdigit():
        raise Refused(HTTPStatus.BAD_REQUEST, "the TTL header is missing or not a number of seconds")
    return int(ttl)


def urgency_of(headers: Mapping[str, str]) -> str | None:
    urgency = headers.get("urgency")
    if urgency is not None and urgency not in URGENCIES:
        raise Refused(HTTPStatus.BAD_REQUEST, f"Urgency is not one of {', '.join(URGENCIES)}")
    return urgency


def topic_of(headers: Mapping[str, str]) -> str | None:
    topic = headers.get("topic")
    if topic is not None and not TOPIC.fullmatch(topic):
        raise Refused(HTTPStatus.BAD_REQUEST, "Topic is not 1 to 32 base64url characters")
    return topic


def check_aes128gcm_header(body: bytes) -> None:
    """RFC 8291 section 4: the key id is the sender's public key, and the message is a single record."""
    if len(body) < AES128GCM_HEADER_BYTES + PUBLIC_KEY_BYTES + SMALLEST_RECORD_BYTES:
        raise Refused(HTTPStatus.BAD_REQUEST, "the body is too short for aes128gcm")
    record_size = int.from_bytes(body[16:20])
    if body[20] != PUBLIC_KEY_BYTES:
        raise Refused(HTTPStatus.BAD_REQUEST, "the aes128gcm key id is not the sender's 65-byte public key")
    if len(body) - AES128GCM_HEADER_BYTES - PUBLIC_KEY_BYTES > record_size:
        raise Refused(HTTPStatus.BAD_REQUEST, "the body is more than one aes128gcm record")


def decrypted_payload(client: PushClient, headers: Mapping[str, str], body: bytes) -> bytes:
    """The plain text of a push; a push without a body has none (RFC 8030 section 5)."""
    if not body:
        return b""
    if len(body) > MAX_BODY_BYTES:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is over {MAX_BODY_BYTES} bytes")
    if headers.get("content-encoding", "").strip().lower() != "aes128gcm":
        raise Refused(HTTPStatus.BAD_REQUEST, "Content-Encoding is not aes128gcm")
    check_aes128gcm_header(body)
    try:
        return client.decrypt(body)
    except Exception as error:  # http_ece raises ECEException, cryptography ValueError
        raise Refused(HTTPStatus.BAD_REQUEST, "the body does not decrypt") from error


def at_least(count: int) -> Callable[[list[Delivery]], bool]:
    return lambda deliveries: len(deliveries) >= count


def token_of(path: str) -> str:
    """The token of a ``/push/<token>`` path; "" for any other path."""
    path = urlsplit(path).path
    return path.removeprefix(PUSH_PATH) if path.startswith(PUSH_PATH) else ""


class PushService:
    """The push service. ``with PushService() as service`` (or ``start()`` and ``stop()``) runs it on a free port of
    127.0.0.1, or on ``port``. Every method may be called from any thread."""

    def __init__(self, port: int = 0) -> None:
        self._wanted_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._changed = threading.Condition()  # guards everything below; its lock is reentrant
        self._clients: dict[str, PushClient] = {}
        self._gone: set[str] = set()
        self._answers: dict[str | None, Answer] = {}
        self._deliveries: list[Delivery] = []
        self._attempts: list[Attempt] = []

    def start(self) -> PushService:
        self._stopping.clear()
        self._server = _Server(self, self._wanted_port)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="push-service", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; pushes kept waiting by ``answer(delay=...)`` are answered at once."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> PushService:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the push service is not running: call start()")
        return self._server.server_port

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``: what a VAPID JWT's aud must be."""
        return f"http://{HOST}:{self.port}"

    def subscribe(self, application_server_key: str | None = None) -> PushClient:
        """A new subscriber, as ``pushManager.subscribe()`` makes one. With ``application_server_key`` (a VAPID
        public key, base64url), pushes signed by another key are refused (403), as browsers' push services do."""
        client = PushClient.create(self.origin, application_server_key)
        with self._changed:
            self._clients[client.token] = client
        return client

    def unsubscribe(self, token: str) -> None:
        """The subscriber left (``subscription.unsubscribe()``): later pushes to it are answered 410 Gone."""
        with self._changed:
            self._clients.pop(token, None)
            self._gone.add(token)

    def answer(
        self,
        token: str | None,
        status: int = 201,
        *,
        delay: float = 0.0,
        times: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Answer pushes to ``token`` (None: to every token) with ``status`` after ``delay`` seconds, for the next
        ``times`` pushes or until told otherwise; ``retry_after`` adds a Retry-After header. A status other than 201
        is answered without looking at the push. ``answer(token)`` goes back to answering as a push service does."""
        with self._changed:
            if status == 201 and not delay:
                self._answers.pop(token, None)
            else:
                self._answers[token] = Answer(int(status), delay, retry_after, times)

    def deliveries(self, token: str | None = None) -> list[Delivery]:
        """The pushes delivered, oldest first: all of them, or those to ``token``."""
        with self._changed:
            return [delivery for delivery in self._deliveries if token in (None, delivery.token)]

    def attempts(self, token: str | None = None) -> list[Attempt]:
        """Every push request and what it was answered, oldest first: all of them, or those to ``token``."""
        with self._changed:
            return [attempt for attempt in self._attempts if token in (None, attempt.token)]

    def failures(self) -> list[Attempt]:
        """The pushes refused because something was wrong with them (not those ``answer`` chose a status for)."""
        return [attempt for attempt in self.attempts() if attempt.status >= 400 and not attempt.scripted]

    def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``condition()`` holds (it may call this service's methods); TimeoutError after ``timeout``."""
        with self._changed:
            if not self._changed.wait_for(condition, timeout):
                raise TimeoutError(
                    f"push service: nothing came true in {timeout} s; {len(self._deliveries)} deliveries, "
                    f"attempts: {[(a.status, a.reason) for a in self._attempts]}"
                )

    def wait_for(
        self, expected: int | Callable[[list[Delivery]], bool], *, token: str | None = None, timeout: float = 5.0
    ) -> list[Delivery]:
        """Wait for ``expected`` deliveries (a count, or a test of the list of them), to every token or to ``token``;
        returns them. TimeoutError after ``timeout`` seconds, saying what did arrive."""
        done = expected if callable(expected) else at_least(expected)
        self.wait_until(lambda: done(self.deliveries(token)), timeout)
        return self.deliveries(token)

    def receive(self, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """What the service answers a ``POST path``; ``headers`` with names in lower case. Called by the server."""
        arrived_at, arrived_monotonic = time.time(), time.monotonic()
        token = token_of(path)
        answer = self._take_answer(token)
        if answer is not None:
            self._stopping.wait(answer.delay)
            if answer.status != 201:
                return self._scripted(token, answer, arrived_at)
        try:
            client = self._client(token)
            delivery = self._delivery(client, headers, body, arrived_at, arrived_monotonic)
        except Refused as refused:
            self._record(Attempt(token, refused.status, refused.reason, scripted=False, arrived_at=arrived_at))
            return Reply(refused.status, refused.reason)
        with self._changed:
            self._deliveries.append(delivery)
            self._record(Attempt(token, 201, "", scripted=False, arrived_at=arrived_at))
            number = len(self._deliveries)
        return Reply(201, headers={"Location": f"/message/{number}", "TTL": str(delivery.ttl)})

    def _take_answer(self, token: str) -> Answer | None:
        with self._changed:
            key = token if token in self._answers else None
            answer = self._answers.get(key)
            if answer is not None and answer.times is not None:
                if answer.times > 1:
                    self._answers[key] = dataclasses.replace(answer, times=answer.times - 1)
                else:
                    del self._answers[key]
            return answer

    def _scripted(self, token: str, answer: Answer, arrived_at: float) -> Reply:
        reason = HTTPStatus(answer.status).phrase
        self._record(Attempt(token, answer.status, reason, scripted=True, arrived_at=arrived_at))
        headers = {"Retry-After": str(answer.retry_after)} if answer.retry_after is not None else {}
        return Reply(answer.status, reason, headers)

    def _record(self, attempt: Attempt) -> None:
        with self._changed:
            self._attempts.append(attempt)
            self._changed.notify_all()

    def _client(self, token: str) -> PushClient:
        with self._changed:
            if token in self._gone:
                raise Refused(HTTPStatus.GONE, "the subscriber has unsubscribed")
            if token not in self._clients:
                raise Refused(HTTPStatus.NOT_FOUND, "no subscription has this endpoint")
            return self._clients[token]

    def _delivery(
        self, client: PushClient, headers: Mapping[str, str], body: bytes, arrived_at: float, arrived_monotonic: float
    ) -> Delivery:
        jwt, key = vapid_credentials(headers)
        claims = verified_claims(jwt, key, self.origin, arrived_at)
        if client.application_server_key and unb64url(key) != unb64url(client.application_server_key):
            raise Refused(HTTPStatus.FORBIDDEN, "k is not the key the subscriber subscribed with")
        return Delivery(
            token=client.token,
            ttl=ttl_of(headers),
            urgency=urgency_of(headers),
            topic=topic_of(headers),
            payload=decrypted_payload(client, headers, body),
            vapid_key=key,
            claims=claims,
            headers=dict(headers),
            arrived_at=arrived_at,
            arrived_monotonic=arrived_monotonic,
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many pushes at once in a benchmark, not the default 5

    def __init__(self, service: PushService, port: int) -> None:
        self.service = service
        super().__init__((HOST, port), _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host, which takes seconds on a machine without DNS."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.socket.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open for a sender with a session, as push services do
    # The headers and the body go out as two writes: without TCP_NODELAY the body waits for the sender's delayed ACK
    # (40 ms a push), and a benchmark would measure that instead of the sender.
    disable_nagle_algorithm = True
    server: _Server

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            self.close_connection = True
            self._send(Reply(HTTPStatus.LENGTH_REQUIRED, "a push needs a Content-Length"))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        self._send(self.server.service.receive(self.path, headers, body))

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length", "0")
        if "Transfer-Encoding" in self.headers or not length.isdigit():
            return None
        return self.rfile.read(int(length))

    def _send(self, reply: Reply) -> None:
        text = reply.text.encode()
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test reads ``attempts()`` instead."""
