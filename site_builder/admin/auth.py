"""Who may use the editor when it listens beyond this computer: a password file and sessions.

The password file has one line per person, ``name:scrypt$<salt>$<hash>`` (hex; scrypt with
n=2**14, r=8, p=1, a 16-byte random salt), written by ``site-builder admin --add-user NAME``.
A login gives a random session token in a cookie that is ``HttpOnly`` (scripts cannot read it)
and ``SameSite=Strict`` (another site's page cannot make the browser send it); sessions live
in the server's memory for `SESSION_SECONDS` and every request is checked against them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from pathlib import Path

from site_builder.i18n import _

SESSION_SECONDS = 12 * 3600
COOKIE = "gs_session"
_N, _R, _P = 2**14, 8, 1
_LOCAL = ("127.", "localhost", "::1")


def is_local(host: str) -> bool:
    """Whether listening on `host` reaches this computer only."""
    return host.startswith(_LOCAL) or host in ("::1", "[::1]")


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        return hmac.compare_digest(hash_password(password, bytes.fromhex(salt)), stored)
    except ValueError:
        return False


def read_users(path: Path) -> dict[str, str]:
    """name -> stored hash; ValueError with a message for staff when the file is unusable."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(_("cannot read the password file {file}: {reason}").format(
            file=path, reason=exc.strerror or exc)) from None
    users = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, stored = line.partition(":")
        if not sep or not stored.startswith("scrypt$"):
            raise ValueError(_("{file}:{line}: write 'name:scrypt$...' lines, made with "
                               "'site-builder admin --add-user NAME'").format(file=path, line=number))
        users[name.strip()] = stored.strip()
    if not users:
        raise ValueError(_("the password file {file} has no users: add one with "
                           "'site-builder admin --add-user NAME'").format(file=path))
    return users


def add_user(path: Path, name: str, password: str) -> None:
    """Add `name` (or change its password) in the password file, keeping the others."""
    if not name or ":" in name or not name.isprintable():
        raise ValueError(_("a user name cannot be empty or contain ':'"))
    if len(password) < 8:
        raise ValueError(_("the password is too short: use at least 8 characters"))
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    lines = [line for line in lines if line.partition(":")[0].strip() != name]
    lines.append(f"{name}:{hash_password(password)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)


class Sessions:
    """Logged-in sessions: token -> (user, expiry)."""

    def __init__(self, users: dict[str, str], clock=time.monotonic) -> None:
        self.users = users
        self.clock = clock
        self._sessions: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def login(self, name: str, password: str) -> str | None:
        """A new session token, or None for a wrong name or password."""
        stored = self.users.get(name)
        if stored is None:
            verify(password, hash_password("x"))  # the same time whether the name exists or not
            return None
        if not verify(password, stored):
            return None
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[token] = (name, self.clock() + SESSION_SECONDS)
        return token

    def user(self, token: str | None) -> str | None:
        if not token:
            return None
        with self._lock:
            found = self._sessions.get(token)
            if found is None:
                return None
            if found[1] < self.clock():
                del self._sessions[token]
                return None
            return found[0]

    def logout(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)


def cookie(token: str, max_age: int = SESSION_SECONDS) -> str:
    return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"
