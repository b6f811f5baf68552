"""Keys that protect complainants: contact encryption and receipt look-up.

``PORTAL_CONTACT_KEY`` may hold several secrets separated by commas, newest
first ("newest,older"). Keys for each purpose are derived from every secret with
HKDF-SHA256, so one secret never serves two purposes:

* contact details are encrypted with the newest key (Fernet) and decrypted with
  any of them, so a key can be rotated without losing old contacts
  (``flask --app wsgi rotate-contact-key`` re-encrypts them with the newest);
* receipt codes are derived and looked up with keyed HMACs (see ``receipts.py``).

Contact details never leave this module in clear except to the caller that asked.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import click
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

_CONTACT_INFO = b"ashyq-baqylau/contact/v1"
_RECEIPT_INFO = b"ashyq-baqylau/receipt/v1"
_RATE_LIMIT_INFO = b"ashyq-baqylau/rate-limit/v1"


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


def encrypt_contact(text: str) -> tuple[bytes, str]:
    """Encrypt contact details with the newest key; return the token and the key's id."""
    newest = contact_keys()[0]
    return newest.fernet.encrypt(text.encode("utf-8")), newest.key_id


def decrypt_contact(token: bytes) -> str:
    """Decrypt contact details encrypted with any of the configured keys."""
    return MultiFernet([key.fernet for key in contact_keys()]).decrypt(token).decode("utf-8")


def receipt_keys() -> list[bytes]:
    """HMAC keys for receipt codes, newest first (see ``receipts.py``)."""
    return [derive(secret, _RECEIPT_INFO) for secret in secrets_newest_first()]


def rate_limit_key() -> bytes:
    """The HMAC key that turns a client address into an anonymous rate-limit bucket."""
    return derive(current_app.config["SECRET_KEY"], _RATE_LIMIT_INFO)


def rotate_contacts(db: Session) -> int:
    """Re-encrypt every contact not yet under the newest key; return how many changed.

    The caller commits. Contacts are decrypted in memory only, one at a time.
    """
    from portal.models import Complaint

    keys = contact_keys()
    newest = keys[0]
    rotator = MultiFernet([key.fernet for key in keys])
    changed = 0
    rows = db.scalars(
        select(Complaint).where(
            Complaint.contact_encrypted.is_not(None),
            (Complaint.contact_key_id != newest.key_id) | Complaint.contact_key_id.is_(None),
        )
    )
    for complaint in rows:
        complaint.contact_encrypted = rotator.rotate(complaint.contact_encrypted)
        complaint.contact_key_id = newest.key_id
        changed += 1
    return changed


@click.command("rotate-contact-key")
@with_appcontext
def rotate_contact_key_command() -> None:
    """Re-encrypt complainants' contacts with the newest key of PORTAL_CONTACT_KEY.

    Put the new secret first ("new,old"), run this command, then remove the old one.
    """
    from portal.db import session

    changed = rotate_contacts(session)
    session.commit()
    click.echo(f"{changed} contacts re-encrypted with key {contact_keys()[0].key_id}.")
