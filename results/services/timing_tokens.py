"""Timing-system tokens: one or more per competition (one per timing computer, say), revocable. The secret is shown
once, when the token is created; only its SHA-256 hash and its first characters are kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from results import policy
from results.models import Competition, TimingToken

# Secrets start with this, so one found in a log or a repository can be recognised (and revoked).
SECRET_START = "skt_"
PREFIX_LENGTH = 8


def token_digest(secret: str) -> str:
    """The stored form of a secret. A plain hash suffices: the secret is 256 random bits, not a password."""
    return hashlib.sha256(secret.encode()).hexdigest()


def timing_token_create(
    *, competition: Competition, name: str, by: policy.User | None = None
) -> tuple[TimingToken, str]:
    """A new token for ``competition`` and its secret, which is not kept: show it now or never."""
    secret = SECRET_START + secrets.token_urlsafe(32)
    token = TimingToken(
        competition=competition,
        name=name.strip(),
        token_hash=token_digest(secret),
        prefix=secret[:PREFIX_LENGTH],
        created_by=policy.recorded_as(by),
    )
    token.full_clean()
    token.save()
    return token, secret


def timing_token_revoke(*, token: TimingToken) -> TimingToken:
    """From now on the token is refused (401). Revoking twice keeps the first date."""
    with transaction.atomic():
        token = TimingToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def timing_token_rename(*, token: TimingToken, name: str) -> TimingToken:
    """Only a token's name can change (which computer it is on); its secret never does."""
    token.name = name.strip()
    token.full_clean()
    token.save(update_fields=["name"])
    return token


# Last use is written at most this often: a token posting ten times a second need not write its row each time.
LAST_USED_EVERY = timedelta(minutes=1)


def timing_token_used(*, token: TimingToken) -> None:
    """Note that ``token`` was just used (shown to the administrator, to tell a forgotten token from a live one)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        TimingToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
