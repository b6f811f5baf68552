"""Staff passwords: argon2id, 14 to 128 characters, no composition rules, no common ones.

Hashing uses argon2id with 46 MiB of memory, one pass and one lane (the OWASP
minimum for argon2id), so a guess costs an attacker as much memory as it costs us.
A password is refused when it is too short or too long, equals the user name, or
is in a list of common passwords: the 30,000 most common passwords of Mark
Burnett's 10-million-password corpus, as shipped by the ``zxcvbn`` package
(``zxcvbn.frequency_lists``, MIT licence); a password that only repeats one of them
("passwordpassword") is refused too. Nothing else is required of it: no digits,
capitals or symbols (NIST SP 800-63B).

:func:`verify` spends the same work whether the account exists or not, so the time
of an answer does not tell an attacker which user names are real.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 14
MAX_LENGTH = 128
#: 46 MiB (in KiB), one pass, one lane: OWASP's first argon2id configuration.
MEMORY_KIB, PASSES, LANES = 46 * 1024, 1, 1

_hasher = PasswordHasher(time_cost=PASSES, memory_cost=MEMORY_KIB, parallelism=LANES, type=Type.ID)
#: Verified when the user name is unknown, so that every answer costs one argon2id check.
_DUMMY_HASH = _hasher.hash("not the password of anyone: a stand-in for unknown accounts")

TOO_SHORT = _l("The password must have at least %(min)d characters.")
TOO_LONG = _l("The password must have at most %(max)d characters.")
TOO_COMMON = _l("This password is on a list of common passwords. Choose another one.")
IS_USERNAME = _l("The password must not be the user name.")


def normalise(password: str) -> str:
    """The password as hashed: Unicode NFC, so the same text typed anywhere matches."""
    return unicodedata.normalize("NFC", password)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased (loaded once, on first use)."""
    # Imported here: the list is 30,000 words that only account changes need.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def _repeats_a_common_password(folded: str) -> bool:
    common = common_passwords()
    if folded in common:
        return True
    for size in range(1, len(folded) // 2 + 1):
        if len(folded) % size == 0 and folded == folded[:size] * (len(folded) // size):
            return folded[:size] in common or size <= 2
    return False


def problem(password: str, username: str = "") -> str | None:
    """Why ``password`` cannot be used (a translated sentence), or None when it can."""
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        return str(TOO_SHORT % {"min": MIN_LENGTH})
    if len(password) > MAX_LENGTH:
        return str(TOO_LONG % {"max": MAX_LENGTH})
    folded = password.casefold()
    if username and folded == username.casefold():
        return str(IS_USERNAME)
    if _repeats_a_common_password(folded):
        return str(TOO_COMMON)
    return None


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (check it with :func:`problem` first)."""
    return _hasher.hash(normalise(password))


def verify(stored: str | None, password: str) -> bool:
    """True when ``password`` matches the ``stored`` hash.

    With ``stored`` None (no such account) a stand-in hash is checked, so the
    answer takes as long as for a real account. A password longer than
    :data:`MAX_LENGTH` is never checked against a real hash.
    """
    password = normalise(password or "")
    if len(password) > MAX_LENGTH:
        password, stored = "", None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with weaker settings than today's."""
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return False
