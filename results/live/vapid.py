"""This server's VAPID key (RFC 8292): it signs every push, and browsers subscribe with its public half
(``GET /api/push/key``). From ``VAPID_PRIVATE_KEY`` (PEM, or base64url DER) where set, else from the file
``VAPID_KEY_FILE``, created on first use: keep it, or every subscription made with the old key stops working."""

from __future__ import annotations

import base64
import functools
import os
import tempfile
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid01  # type: ignore[import-untyped]


def _key_file_created(path: Path) -> None:
    """Write a new key to ``path`` unless another process has just done so. The key is written whole to a file of
    its own first, then linked to ``path`` (which fails if it exists): nobody ever reads half a key."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)


_loading = threading.Lock()


def vapid_key() -> Vapid01:
    """The key, read once per process (by the first of the sending threads to ask)."""
    with _loading:
        return _vapid_key()


@functools.cache
def _vapid_key() -> Vapid01:
    configured = settings.VAPID_PRIVATE_KEY.strip()
    if configured:
        if configured.startswith("-----BEGIN"):
            return Vapid01.from_pem(configured.encode())
        return Vapid01.from_string(configured)
    path = Path(settings.VAPID_KEY_FILE)
    if not path.exists():
        _key_file_created(path)
    return Vapid01.from_pem(path.read_bytes())


def vapid_public_key() -> str:
    """The public key as browsers' ``applicationServerKey`` wants it: the uncompressed point, base64url."""
    point = vapid_key().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def vapid_key_forget() -> None:
    """Read the key again at the next use (the settings changed: tests)."""
    _vapid_key.cache_clear()
