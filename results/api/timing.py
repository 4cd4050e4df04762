"""The timing systems' API (docs/timing-api.md): ``POST /api/timing/races/<id>/passages`` with a competition's token.

Every answer is JSON. A refusal is ``{"error": "<code>", "message": "<sentence>"}`` with the status in
``STATUS_BY_CODE``; docs/timing-api.md lists every code, and a test keeps the two in step.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from results import selectors
from results.api.json_bodies import BodyNotJson, BodyTooLarge, json_body
from results.models import Lane, Race, TimingToken
from results.rules.numbers import LARGEST_BIB, LARGEST_HEAT, LARGEST_STORED
from results.rules.times import TimeFormatError, parse_time, time_input_text
from results.services import timing
from results.services.timing_tokens import timing_token_used, token_digest

logger = logging.getLogger(__name__)

METHOD_NOT_ALLOWED = "method_not_allowed"
ERROR_METHOD_NOT_ALLOWED = "Only POST is allowed here: send each passage or finish as a JSON body."
TOKEN_MISSING = "token_missing"
ERROR_TOKEN_MISSING = "Send the competition's timing token in the header “Authorization: Bearer <token>”."
TOKEN_INVALID = "token_invalid"
ERROR_TOKEN_INVALID = "This token is unknown. Ask the competition's administrator for a timing token."
TOKEN_REVOKED = "token_revoked"
ERROR_TOKEN_REVOKED = "This token was revoked on {date}. Ask the competition's administrator for a new one."
WRONG_COMPETITION = "wrong_competition"
ERROR_WRONG_COMPETITION = "This token is for {token_competition}; race {race_id} is part of {competition}."
RACE_NOT_FOUND = "race_not_found"
BODY_TOO_LARGE = "body_too_large"
ERROR_BODY_TOO_LARGE = "The body is too large: one passage is a few dozen bytes of JSON."
INVALID_JSON = "invalid_json"
ERROR_INVALID_JSON = "The body is not JSON ({error})."
INVALID_BODY = "invalid_body"
EXAMPLE = '{"heat": 7, "lane": "I", "distance": 600, "time": "44.83"}'
ERROR_INVALID_BODY = f"The body must be a JSON object, such as {EXAMPLE}."
MISSING_FIELD = "missing_field"
ERROR_MISSING_FIELD = "“{field}” is missing, as in {example}."
ERROR_MISSING_SKATER = "Say whose time it is: “lane” (I or O), or “bib” in a quartet start."
ERROR_MISSING_TIME = "“time” (such as “44.83” or “1:12.59”) or “time_ms” (thousandths, such as 44830) is missing."
INVALID_FIELD = "invalid_field"
ERROR_INVALID_FIELD = "“{field}” must be {expected}, not {value}."
TIME_TWICE = "time_twice"
ERROR_TIME_TWICE = "Give the time once: “time” or “time_ms”, not both."
INVALID_TIME = "invalid_time"

# Metres from the start: the longest race is 10000 m.
LARGEST_DISTANCE = 10_000

EXPECTED = {
    "heat": f"the pair's number (a whole number from 1 to {LARGEST_HEAT})",
    "distance": f"metres from the start (a whole number from 1 to {LARGEST_DISTANCE})",
    "bib": f"the skater's start number (a whole number from 0 to {LARGEST_BIB})",
    "lane": "“I” (inner) or “O” (outer)",
    "time": "a string such as “44.83” or “1:12.59” (or send “time_ms”)",
    "time_ms": f"thousandths of a second above 0 (a whole number up to {LARGEST_STORED}, such as 44830)",
}

STATUS_BY_CODE = {
    INVALID_JSON: 400,
    INVALID_BODY: 400,
    MISSING_FIELD: 400,
    INVALID_FIELD: 400,
    TIME_TWICE: 400,
    INVALID_TIME: 400,
    TOKEN_MISSING: 401,
    TOKEN_INVALID: 401,
    TOKEN_REVOKED: 401,
    WRONG_COMPETITION: 403,
    RACE_NOT_FOUND: 404,
    timing.HEAT_NOT_FOUND: 404,
    timing.LANE_NOT_FOUND: 404,
    timing.BIB_NOT_FOUND: 404,
    METHOD_NOT_ALLOWED: 405,
    timing.RACE_CLOSED: 409,
    timing.AFTER_FINISH: 409,
    timing.TIME_CONFLICT: 409,
    BODY_TOO_LARGE: 413,
    timing.NOT_A_PASSAGE_POINT: 422,
    timing.IMPOSSIBLE_TIME: 422,
    timing.TIME_NOT_INCREASING: 422,
    timing.LANE_AMBIGUOUS: 422,
    timing.BIB_LANE_MISMATCH: 422,
    timing.NOT_SAVED: 503,
}


class Refusal(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def refusal_response(code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": code, "message": message}, status=STATUS_BY_CODE[code])
    if STATUS_BY_CODE[code] == 401:
        response["WWW-Authenticate"] = 'Bearer realm="timing"'
    if code == METHOD_NOT_ALLOWED:
        response["Allow"] = "POST"
    return response


@csrf_exempt  # no cookies: the token in the Authorization header is the credential
def race_passages(request: HttpRequest, race_id: int) -> HttpResponse:
    """Record one passage, or a skater's finish when ``distance`` is the race's distance."""
    try:
        if request.method != "POST":
            raise Refusal(METHOD_NOT_ALLOWED, ERROR_METHOD_NOT_ALLOWED)
        token = _token(request)
        race = Race.objects.select_related("competition").filter(pk=race_id).first()
        if race is None:
            raise Refusal(RACE_NOT_FOUND, selectors.ERROR_RACE_NOT_FOUND.format(race_id=race_id))
        if race.competition_id != token.competition_id:
            message = ERROR_WRONG_COMPETITION.format(
                token_competition=token.competition, race_id=race_id, competition=race.competition
            )
            raise Refusal(WRONG_COMPETITION, message)
        post = timing_post_parse(_body(request))
        outcome = timing.timing_post_record(race=race, post=post)
    except Refusal as refusal:
        return refusal_response(refusal.code, refusal.message)
    except timing.TimingRefused as refusal:
        return refusal_response(refusal.code, refusal.message)
    except DatabaseError as error:
        # The database is locked or gone (another writer, a restart): nothing was recorded; the timing system
        # posts again, as the documented 503 says.
        logger.warning("timing post for race %s not saved: %s", race_id, type(error).__name__)
        return refusal_response(timing.NOT_SAVED, timing.ERROR_NOT_SAVED.format(error=type(error).__name__))
    return JsonResponse(_outcome_body(race, post, outcome), status=201 if outcome.status == timing.RECORDED else 200)


def _token(request: HttpRequest) -> TimingToken:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Refusal(TOKEN_MISSING, ERROR_TOKEN_MISSING)
    token = TimingToken.objects.select_related("competition").filter(token_hash=token_digest(secret.strip())).first()
    if token is None:
        raise Refusal(TOKEN_INVALID, ERROR_TOKEN_INVALID)
    if token.revoked_at is not None:
        date = timezone.localtime(token.revoked_at).strftime("%Y-%m-%d %H:%M")
        raise Refusal(TOKEN_REVOKED, ERROR_TOKEN_REVOKED.format(date=date))
    timing_token_used(token=token)
    return token


def _body(request: HttpRequest) -> Any:
    try:
        return json_body(request)
    except BodyTooLarge:
        raise Refusal(BODY_TOO_LARGE, ERROR_BODY_TOO_LARGE) from None
    except BodyNotJson as error:
        raise Refusal(INVALID_JSON, ERROR_INVALID_JSON.format(error=error)) from None


def timing_post_parse(body: Any) -> timing.TimingPost:
    """The post a JSON body describes, or ``Refusal`` saying what is wrong with it."""
    if not isinstance(body, dict):
        raise Refusal(INVALID_BODY, ERROR_INVALID_BODY)
    heat = _whole(body, "heat", minimum=1, maximum=LARGEST_HEAT)
    distance = _whole(body, "distance", minimum=1, maximum=LARGEST_DISTANCE)
    bib = _whole(body, "bib", minimum=0, maximum=LARGEST_BIB) if body.get("bib") is not None else None
    lane = body.get("lane")
    if lane is not None and (not isinstance(lane, str) or lane not in Lane.values):
        raise _invalid("lane", lane)
    if lane is None and bib is None:
        raise Refusal(MISSING_FIELD, ERROR_MISSING_SKATER)
    return timing.TimingPost(heat=heat, distance=distance, time_ms=_time_ms(body), lane=lane, bib=bib)


def _whole(body: dict[str, object], field: str, *, minimum: int, maximum: int) -> int:
    value = body.get(field)
    if value is None:
        raise Refusal(MISSING_FIELD, ERROR_MISSING_FIELD.format(field=field, example=EXAMPLE))
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise _invalid(field, value)
    return value


def _time_ms(body: dict[str, object]) -> int:
    text, thousandths = body.get("time"), body.get("time_ms")
    if text is not None and thousandths is not None:
        raise Refusal(TIME_TWICE, ERROR_TIME_TWICE)
    if thousandths is not None:
        if isinstance(thousandths, bool) or not isinstance(thousandths, int) or not 0 < thousandths <= LARGEST_STORED:
            raise _invalid("time_ms", thousandths)
        return thousandths
    if text is None:
        raise Refusal(MISSING_FIELD, ERROR_MISSING_TIME)
    if not isinstance(text, str):
        raise _invalid("time", text)
    try:
        return parse_time(text)
    except TimeFormatError as error:
        raise Refusal(INVALID_TIME, str(error)) from None


def _invalid(field: str, value: object) -> Refusal:
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (RecursionError, ValueError):
        shown = type(value).__name__
    if len(shown) > 40:
        shown = shown[:37] + "…"
    return Refusal(INVALID_FIELD, ERROR_INVALID_FIELD.format(field=field, expected=EXPECTED[field], value=shown))


def _outcome_body(race: Race, post: timing.TimingPost, outcome: timing.TimingOutcome) -> dict[str, Any]:
    start = outcome.start
    body: dict[str, Any] = {
        "status": outcome.status,
        "kind": outcome.kind,
        "race": race.pk,
        "heat": post.heat,
        "bib": start.bib,
        "lane": start.lane or None,
        "skater": start.skater.name,
        "distance": post.distance,
        "time": time_input_text(post.time_ms),  # as read: 1:07.012, the thousandth when there is one
        "time_ms": post.time_ms,
    }
    if outcome.version is not None:
        body["version"] = outcome.version
    if outcome.message:
        body["message"] = outcome.message
    if outcome.warning:
        body["warning"] = outcome.warning
    return body
