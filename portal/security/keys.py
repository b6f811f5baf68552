"""Key derivation: one secret never serves two purposes.

Every key the portal uses is derived with HKDF-SHA256 from a configured secret
and a purpose label (``info``), so a leaked key for one purpose reveals nothing
about another. Key rings are listed newest first, so keys can be rotated:

* contact details: ``PORTAL_CONTACT_KEY``, which may hold several secrets
  separated by commas ("newest,older"); one Fernet key per secret
  (encryption itself is in :mod:`portal.complaints.crypto`);
* receipt look-up: keyed HMACs from the same secrets (``complaints/receipts.py``);
* rate-limit buckets: an HMAC key from ``SECRET_KEY`` that turns a client
  address into an anonymous bucket name (:mod:`portal.security.limits`);
* staff second factor: a Fernet key from ``SECRET_KEY`` that encrypts each staff
  member's TOTP secret in the database (:mod:`portal.auth.totp`). Changing
  ``PORTAL_SECRET_KEY`` therefore needs ``reset-second-factor`` for every account.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_CONTACT_INFO = b"ashyq-baqylau/contact/v1"
_RECEIPT_INFO = b"ashyq-baqylau/receipt/v1"
_RATE_LIMIT_INFO = b"ashyq-baqylau/rate-limit/v1"
_TOTP_INFO = b"ashyq-baqylau/staff-totp/v1"


def derive(secret: str, info: bytes) -> bytes:
    """32 bytes derived from ``secret`` for one purpose (``info``) with HKDF-SHA256."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        secret.encode("utf-8")
    )


def secrets_newest_first(value: str | None = None) -> list[str]:
    """The secrets of ``PORTAL_CONTACT_KEY`` (or ``value``), newest first."""
    raw = current_app.config["CONTACT_KEY"] if value is None else value
    found = [part.strip() for part in str(raw).split(",") if part.strip()]
    if not found:
        raise RuntimeError("PORTAL_CONTACT_KEY is empty")
    return found


@dataclass(frozen=True)
class ContactKey:
    """A Fernet key for contact details and its short, non-secret fingerprint."""

    key_id: str
    fernet: Fernet


def contact_keys() -> list[ContactKey]:
    """Contact keys, newest first."""
    keys = []
    for secret in secrets_newest_first():
        raw = derive(secret, _CONTACT_INFO)
        key_id = hashlib.sha256(b"key-id:" + raw).hexdigest()[:12]
        keys.append(ContactKey(key_id, Fernet(base64.urlsafe_b64encode(raw))))
    return keys


def receipt_keys() -> list[bytes]:
    """HMAC keys for receipt codes, newest first (see ``complaints/receipts.py``)."""
    return [derive(secret, _RECEIPT_INFO) for secret in secrets_newest_first()]


def rate_limit_key() -> bytes:
    """The HMAC key that turns a client address into an anonymous rate-limit bucket."""
    return derive(current_app.config["SECRET_KEY"], _RATE_LIMIT_INFO)


def totp_fernet() -> Fernet:
    """The Fernet key that encrypts staff TOTP secrets at rest (derived from ``SECRET_KEY``)."""
    raw = derive(current_app.config["SECRET_KEY"], _TOTP_INFO)
    return Fernet(base64.urlsafe_b64encode(raw))
