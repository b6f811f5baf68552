"""Complainants' contact details: encrypted at rest, decrypted only for the caller that asks.

Contact details are encrypted with the newest contact key (Fernet) and decrypted
with any of them, so a key can be rotated without losing old contacts
(``flask --app wsgi rotate-contact-key`` re-encrypts them with the newest). The
keys themselves are derived in :mod:`portal.security.keys`; receipt codes use
keyed HMACs from the same secrets (see ``receipts.py``).

Contact details never leave this module in clear except to the caller that asked.
"""

from __future__ import annotations

import click
from cryptography.fernet import MultiFernet
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import session
from portal.models import Complaint
from portal.security.keys import contact_keys


def encrypt_contact(text: str) -> tuple[bytes, str]:
    """Encrypt contact details with the newest key; return the token and the key's id."""
    newest = contact_keys()[0]
    return newest.fernet.encrypt(text.encode("utf-8")), newest.key_id


def decrypt_contact(token: bytes) -> str:
    """Decrypt contact details encrypted with any of the configured keys."""
    return MultiFernet([key.fernet for key in contact_keys()]).decrypt(token).decode("utf-8")


def rotate_contacts(db: Session) -> int:
    """Re-encrypt every contact not yet under the newest key; return how many changed.

    The caller commits. Contacts are decrypted in memory only, one at a time.
    """
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
    changed = rotate_contacts(session)
    session.commit()
    click.echo(f"{changed} contacts re-encrypted with key {contact_keys()[0].key_id}.")
