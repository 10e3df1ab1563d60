"""Tracking codes: shown to the requester once, stored only as a salted hash."""

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12  # 31^12 ≈ 2^59


def new_tracking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    return (code or "").strip().upper().replace("-", "").replace(" ", "")


def hash_tracking_code(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{normalise(code)}".encode()).hexdigest()
    return f"{salt}${digest}"


def check_tracking_code(code: str, stored: str) -> bool:
    if not code or "$" not in (stored or ""):
        return False
    salt, _ = stored.split("$", 1)
    return hmac.compare_digest(hash_tracking_code(code, salt), stored)


def display(code: str) -> str:
    """XXXX-XXXX-XXXX, easier to copy by hand."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
