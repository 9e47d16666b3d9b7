"""Password hashing (argon2id) and the password policy: at least 8 characters, not one of
the most common passwords, no composition rules (NIST SP 800-63B)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8
MAX_LENGTH = 256
COMMON_LIMIT = 10_000

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Checked against when the e-mail is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("kompeten-dummy-password")

# Passwords common among Indonesian users that general lists rank low.
_LOCAL_COMMON = {
    "indonesia",
    "bismillah",
    "sayang",
    "sayangku",
    "rahasia",
    "merdeka",
    "jakarta",
    "surabaya",
    "bandung",
    "garuda",
    "katasandi",
    "kata sandi",
    "password1",
    "kompeten",
    "12345678",
    "indonesia1",
    "bismillah123",
    "sayang123",
    "alhamdulillah",
}


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_LIMIT]) | _LOCAL_COMMON


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why a password is refused, as a message key, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.lower()
    if lowered in common_passwords():
        return "too_common"
    if (email and lowered == email.lower().split("@")[0]) or (email and lowered == email.lower()):
        return "like_email"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
