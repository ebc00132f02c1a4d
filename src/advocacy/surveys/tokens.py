"""Signed, unguessable personal survey links.

A link's token is ``ID.SIGNATURE``: the invitation's id and an HMAC-SHA256 (truncated to 128
bits, base64url) of the id and the invitation's own random nonce under the installation's
secret key. Changing any character of it breaks the signature; guessing one takes 2¹²⁸ tries;
and a leaked key alone forges nothing, as every invitation's nonce is in the database only.
Whether the link may still be used — expiry, the survey still open — is the service's call.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

_PURPOSE = b"advocacy.survey-invitation.v1"
_TOKEN = re.compile(r"^([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{22})$")


def new_nonce() -> str:
    """A random nonce for a new invitation."""
    return secrets.token_hex(16)


def new_key() -> str:
    """A random secret key for an installation."""
    return secrets.token_urlsafe(48)


def _signature(key: str, invitation_id: int, nonce: str) -> str:
    message = b"%s:%d:%s" % (_PURPOSE, invitation_id, nonce.encode())
    digest = hmac.new(key.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(key: str, invitation_id: int, nonce: str) -> str:
    """The token of invitation ``invitation_id``."""
    return f"{invitation_id}.{_signature(key, invitation_id, nonce)}"


def invitation_id_of(token: str) -> int | None:
    """The invitation id a token claims, or ``None`` for a token not shaped like one."""
    found = _TOKEN.match(token or "")
    return int(found.group(1)) if found else None


def verify(key: str, token: str, invitation_id: int, nonce: str) -> bool:
    """Whether ``token`` is the genuine token of that invitation (in constant time)."""
    return hmac.compare_digest(token.encode(), sign(key, invitation_id, nonce).encode())
