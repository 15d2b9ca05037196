"""Anonymizer (issue 3). PLACEHOLDER: the anonymize helper replaces this module's internals.

Interface other modules rely on:
- scrub(text) -> text with personal data replaced by typed placeholders like [PHONE]
- keyed_hash(value) -> hex HMAC-SHA256 of value under the local secret key
- zip3(zip) -> first 3 digits of a US ZIP or None
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def scrub(text: str | None) -> str | None:
    if not text:
        return text
    return _EMAIL.sub("[EMAIL]", _MOBILE.sub("[PHONE]", text))


def secret_path() -> Path:
    env = os.environ.get("COMPLAINTS_SECRET_FILE")
    return Path(env) if env else Path.home() / ".config" / "collection-watch" / "secret.key"


def _secret() -> bytes:
    path = secret_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(32).hex().encode())
        path.chmod(0o600)
    return path.read_bytes().strip()


def keyed_hash(value: str) -> str:
    return hmac.new(_secret(), value.encode("utf-8"), hashlib.sha256).hexdigest()


def zip3(zip_code: str | None) -> str | None:
    digits = re.sub(r"\D", "", zip_code or "")
    return digits[:3] if len(digits) >= 3 else None
