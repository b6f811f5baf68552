"""The mandatory second factor: time-based one-time codes (TOTP, RFC 6238) and recovery codes.

A staff member's TOTP secret (160 random bits) is stored encrypted with a key
derived from ``SECRET_KEY`` (:func:`portal.security.keys.totp_fernet`). Codes have
six digits and change every 30 seconds; one step of clock drift either way is
accepted. A code is accepted once: the step of the last code accepted is kept
(``User.totp_last_step``), and a code of that step or an earlier one is refused,
so a code seen over a shoulder or replayed from a proxy log opens nothing.

The enrolment QR code is drawn here, as SVG, by ``segno``: the secret never
leaves the server for a third-party QR service.

Ten recovery codes replace the authenticator when it is lost: 16 random
characters each (80 bits), shown once, stored as SHA-256 digests, each usable once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.db import session
from portal.models import RecoveryCode, User
from portal.security.keys import totp_fernet

ISSUER = "Ashyq Baqylau"
#: Steps of clock drift accepted on either side of the current one.
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely
_RECOVERY_LENGTH = 16
_SIX_DIGITS = re.compile(r"[0-9]{6}")


def new_secret() -> str:
    """A fresh TOTP secret: 32 base32 characters (160 bits)."""
    return pyotp.random_base32()


def encrypt(secret: str) -> bytes:
    """The secret as stored in ``users.totp_secret_encrypted``."""
    return totp_fernet().encrypt(secret.encode("ascii"))


def secret_of(user: User) -> str | None:
    """The user's TOTP secret, decrypted, or None when they have none."""
    if not user.totp_secret_encrypted:
        return None
    return totp_fernet().decrypt(user.totp_secret_encrypted).decode("ascii")


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as a ``data:image/svg+xml`` URI, drawn on this server."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def current_code(secret: str, moment: datetime) -> str:
    """The code an authenticator shows at ``moment`` (demo accounts, tests)."""
    return pyotp.TOTP(secret).at(moment)


def check_code(user: User, code: str, moment: datetime) -> bool:
    """Accept a six-digit ``code`` once; remember its step so that it is never accepted again.

    The caller commits (the new ``totp_last_step`` with the sign-in).
    """
    secret = secret_of(user)
    code = re.sub(r"\s", "", code or "")
    if secret is None or not _SIX_DIGITS.fullmatch(code):
        return False
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(moment)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return _claim_step(user, step)
    return False


def _claim_step(user: User, step: int) -> bool:
    """Record ``step`` as used, unless it (or a later one) was: one conditional UPDATE,
    so two requests racing with the same code cannot both win."""
    claimed = session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    if claimed.rowcount != 1:
        return False  # used already, or older than one used
    set_committed_value(user, "totp_last_step", step)
    return True


# --- recovery codes ------------------------------------------------------------------------


def _digest(code: str) -> str:
    normal = re.sub(r"[\s-]", "", code or "").upper()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    """True when ``code`` has a recovery code's form (16 characters, dashes and spaces aside)."""
    return len(re.sub(r"[\s-]", "", code or "")) == _RECOVERY_LENGTH


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; return them (shown once).

    Only their digests are stored. The caller commits.
    """
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[index : index + 4] for index in range(0, len(raw), 4)))
        session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    return codes


def use_recovery_code(user: User, code: str, moment: datetime) -> bool:
    """Accept one of the user's unused recovery codes and mark it used. The caller commits."""
    if not looks_like_recovery_code(code):
        return False
    claimed = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=moment)
    )
    return claimed.rowcount == 1


def recovery_codes_left(user: User) -> int:
    """How many of the user's recovery codes are still unused."""
    rows = session.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(rows.all())
