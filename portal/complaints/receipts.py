"""Receipt codes: the citizen's only key to their complaint, never stored in clear.

How it works for the citizen: the form carries a random ``submission`` token;
the 16-digit code is derived from it with a keyed HMAC, so sending the same form
twice (a double click, a reload) gives the same code and finds the complaint
already filed instead of filing it twice.

What is stored: an argon2id hash of the code (``receipt_hash``, slow to guess)
and ``receipt_lookup``, a keyed HMAC of the code that finds the complaint before
the slow hash is checked. Both keys come from ``PORTAL_CONTACT_KEY``; every
configured key is tried on look-up, so rotating keys keeps old codes working.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from portal.security.keys import receipt_keys

CODE_DIGITS = 16
_TOKEN = re.compile(r"[0-9a-f]{32}")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")

_hasher = PasswordHasher(type=Type.ID)


def new_submission_token() -> str:
    """A fresh random token for one filling of the complaint form."""
    return secrets.token_hex(16)


def is_submission_token(value: str | None) -> bool:
    """True when ``value`` looks like a token made by :func:`new_submission_token`."""
    return bool(value) and _TOKEN.fullmatch(value) is not None


def _digits(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode("ascii"), hashlib.sha256).digest()
    # 256 bits reduced modulo 10**16: the bias is far below anything measurable.
    return str(int.from_bytes(digest, "big") % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def code_for_token(token: str) -> str:
    """The receipt code of the form with submission ``token`` (newest key)."""
    return _digits(receipt_keys()[0], "receipt:" + token)


def derived_code(purpose: str) -> str:
    """A code derived from this instance's newest receipt key for a fixed ``purpose``.

    The same on every run of one instance, different on every other (each has its own
    key), and apart from every form's code (another message prefix). Used for the demo
    follow-up receipts, which are printed at each start and never stored in clear.
    """
    return _digits(receipt_keys()[0], "derived:" + purpose)


def lookup_digests(code: str) -> list[str]:
    """The ``receipt_lookup`` values ``code`` may have, one per configured key, newest first."""
    return [
        hmac.new(key, ("lookup:" + code).encode("ascii"), hashlib.sha256).hexdigest()
        for key in receipt_keys()
    ]


def hash_code(code: str) -> str:
    """The argon2id hash stored for ``code``."""
    return _hasher.hash(code)


def verify_code(stored_hash: str, code: str) -> bool:
    """True when ``code`` matches ``stored_hash``."""
    try:
        return _hasher.verify(stored_hash, code)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("0" * CODE_DIGITS)


def dummy_verify() -> None:
    """Spend the time of a real check, so a wrong code answers as slowly as a right one."""
    verify_code(_dummy_hash(), "1" * CODE_DIGITS)


def normalise_code(typed: str | None) -> str | None:
    """The 16 digits of a typed code (spaces and dashes allowed), or None if it is not one."""
    if not typed:
        return None
    digits = _SEPARATORS.sub("", typed.strip())
    # people may type the code with full-width or other Unicode digits
    if len(digits) != CODE_DIGITS or not digits.isdigit():
        return None
    try:
        return "".join(str(int(char)) for char in digits)
    except ValueError:
        return None


def grouped(code: str) -> str:
    """The code in groups of four digits, as shown and printed: ``1234 5678 9012 3456``."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
