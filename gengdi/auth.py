"""Access control without Streamlit: who may see the figures, checking a password, sign-in throttling.

Three ways, in this order:
1. an identity provider (OIDC) through Streamlit's ``st.login``, when ``secrets.toml`` has an
   ``[auth]`` section; admins are the e-mail addresses in ``[gengdi] admin_emails``;
2. passwords from the environment (``GENGDI_VIEWER_PASSWORD[_HASH]``, ``GENGDI_ADMIN_PASSWORD[_HASH]``) or
   from ``[gengdi] viewer_password[_hash]`` / ``admin_password[_hash]`` in ``secrets.toml``; a hash is
   argon2id (``python -m gengdi hash-password``);
3. no viewer password: visitors look without signing in, as **viewers**, but only while the store holds
   demo data only (or when ``GENGDI_OPEN=1`` says an intranet wants no sign-in).
The admin role always needs a credential (the admin password or an admin e-mail), in every mode.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

VIEWER, ADMIN = "viewer", "admin"
ROLE_NAMES = {VIEWER: "查看", ADMIN: "管理员"}



def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


HASH_PREFIX = "$argon2id$"


def hash_password(password: str) -> str:
    """A standard argon2id hash (argon2-cffi's defaults: 64 MiB, 3 passes), safe to keep in an
    environment variable or secrets.toml."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def _verify_hash(stored: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return PasswordHasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class BadHash(ValueError):
    pass


@dataclass(frozen=True)
class Secret:
    """One role's password: a SHA-256 digest of a plain password, or an argon2id hash."""
    digest: bytes | None = None
    argon2: str | None = None

    def matches(self, password: str) -> bool:
        if self.argon2 is not None:
            return _verify_hash(self.argon2, password)
        return hmac.compare_digest(_digest(password), self.digest)


def _secret(plain: str | None, hashed: str | None, name: str) -> Secret | None:
    if hashed:
        hashed = hashed.strip()
        if not hashed.startswith(HASH_PREFIX):
            raise BadHash(f"{name} 不是 argon2id 哈希（应以 {HASH_PREFIX} 开头，用 python -m gengdi hash-password 生成）")
        return Secret(argon2=hashed)
    if plain:
        return Secret(digest=_digest(plain))
    return None


@dataclass(frozen=True)
class AuthConfig:
    viewer_secret: Secret | None = None
    admin_secret: Secret | None = None
    oidc: bool = False
    admin_emails: frozenset[str] = field(default_factory=frozenset)
    open_access: bool = False

    @property
    def viewer_digest(self) -> bytes | None:
        return self.viewer_secret.digest if self.viewer_secret else None

    @property
    def admin_digest(self) -> bytes | None:
        return self.admin_secret.digest if self.admin_secret else None

    @property
    def passwords(self) -> bool:
        return self.viewer_secret is not None or self.admin_secret is not None

    @property
    def configured(self) -> bool:
        return self.oidc or self.passwords

    @property
    def admin_credential(self) -> bool:
        """Some way to prove being an admin exists: the admin password, or OIDC with admin e-mails."""
        return self.admin_secret is not None or (self.oidc and bool(self.admin_emails))


def load_config(env: Mapping[str, str], secrets: Mapping[str, Any]) -> AuthConfig:
    """The access settings from the environment and ``secrets.toml`` (the environment wins; a hash
    wins over a plain password of the same role)."""
    section = secrets.get("gengdi", {}) or {}

    def get(env_name: str, key: str) -> str | None:
        return env.get(env_name) or section.get(key)

    emails = section.get("admin_emails", []) or []
    return AuthConfig(
        viewer_secret=_secret(get("GENGDI_VIEWER_PASSWORD", "viewer_password"),
                              get("GENGDI_VIEWER_PASSWORD_HASH", "viewer_password_hash"), "GENGDI_VIEWER_PASSWORD_HASH"),
        admin_secret=_secret(get("GENGDI_ADMIN_PASSWORD", "admin_password"),
                             get("GENGDI_ADMIN_PASSWORD_HASH", "admin_password_hash"), "GENGDI_ADMIN_PASSWORD_HASH"),
        oidc="auth" in secrets,
        admin_emails=frozenset(e.strip().lower() for e in emails),
        open_access=env.get("GENGDI_OPEN", "").strip() in ("1", "true", "yes"),
    )


def check_password(cfg: AuthConfig, password: str) -> str | None:
    """The role a password opens, or None. Both roles are always checked (digests in constant time)."""
    password = password or ""
    is_admin = cfg.admin_secret is not None and cfg.admin_secret.matches(password)
    is_viewer = cfg.viewer_secret is not None and cfg.viewer_secret.matches(password)
    if is_admin:
        return ADMIN
    if is_viewer:
        return VIEWER
    return None


def role_for_email(cfg: AuthConfig, email: str | None) -> str:
    return ADMIN if email and email.strip().lower() in cfg.admin_emails else VIEWER


# ---------------------------------------------------------------------------- throttling
def client_address(peer: str | None, headers: Mapping[str, str], trusted: str | None) -> str:
    """Who is signing in: the direct peer, or — only when the peer is a trusted proxy
    (``GENGDI_TRUSTED_PROXIES``: addresses or networks, comma-separated) — the nearest untrusted address
    in ``X-Forwarded-For`` (else ``X-Real-IP``). Headers from anyone else are ignored."""
    peer = (peer or "").strip() or "unknown"
    nets = _networks(trusted)
    if not nets or not _in(peer, nets):
        return peer
    lower = {k.lower(): v for k, v in headers.items()}
    chain = [a.strip() for a in (lower.get("x-forwarded-for") or "").split(",") if a.strip()]
    for addr in reversed(chain):          # walk back from the proxy nearest to us
        if not _in(addr, nets):
            return addr if _valid(addr) else peer
    real = (lower.get("x-real-ip") or "").strip()
    if real and _valid(real):
        return real
    return chain[0] if chain and _valid(chain[0]) else peer


def _networks(text: str | None):
    import ipaddress

    out = []
    for part in (text or "").split(","):
        part = part.strip()
        if part:
            try:
                out.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                continue
    return out


def _valid(addr: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(addr)
        return True
    except ValueError:
        return False


def _in(addr: str, nets) -> bool:
    import ipaddress

    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in n for n in nets)


@dataclass
class _Client:
    failures: dict[str, int] = field(default_factory=dict)   # role -> failures (a wrong password counts for every role)
    last_failure: float = 0.0
    checks: list[float] = field(default_factory=list)         # times of checked guesses in the last minute

    @property
    def count(self) -> int:
        return max(self.failures.values(), default=0)


class Throttle:
    """Sign-in throttling shared by every session of the server.

    Per client (its address): the first ``free`` wrong passwords are checked at once; after that the
    client waits ``base`` seconds, doubling with each further failure up to ``cap`` (15 minutes), and
    at most ``per_client`` guesses a minute are checked whatever the number of sessions. Across all
    clients at most ``total`` wrong guesses a minute are checked. A refused attempt is answered at once
    without checking the password (no sleep in the script thread). A success clears only the failures
    of the role it opened: a viewer signing in leaves the admin count standing. Entries expire ``cap``
    seconds after their last failure and the table never holds more than ``max_clients`` entries.
    """

    def __init__(self, free: int = 5, base: float = 30.0, cap: float = 900.0, per_client: int = 10,
                 total: int = 30, max_clients: int = 10_000, clock=time.monotonic):
        self.free, self.base, self.cap = free, base, cap
        self.per_client, self.total, self.max_clients = per_client, total, max_clients
        self.clock = clock
        self._clients: dict[str, _Client] = {}
        self._recent: list[float] = []          # times of failed checks, all clients, last minute
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._clients)

    def _lockout(self, n: int) -> float:
        return 0.0 if n < self.free else min(self.base * 2 ** (n - self.free), self.cap)

    def wait_for(self, client: str) -> int:
        """Seconds this client must wait before a guess is checked (0: check now). Reserves the check."""
        now = self.clock()
        with self._lock:
            self._prune(now)
            self._recent = [t for t in self._recent if now - t < 60]
            c = self._clients.get(client)
            wait = 0.0
            if c is not None:
                c.checks = [t for t in c.checks if now - t < 60]
                if c.count >= self.free:
                    wait = max(wait, c.last_failure + self._lockout(c.count) - now)
                if len(c.checks) >= self.per_client:
                    wait = max(wait, c.checks[0] + 60 - now)
            if len(self._recent) >= self.total:
                wait = max(wait, self._recent[0] + 60 - now)
            if wait > 0:
                return max(1, int(wait + 0.999))
            c = self._clients.setdefault(client, _Client())
            c.checks.append(now)
            return 0

    def failed(self, client: str, roles=(VIEWER, ADMIN)) -> None:
        now = self.clock()
        with self._lock:
            c = self._clients.setdefault(client, _Client())
            for r in roles:
                c.failures[r] = c.failures.get(r, 0) + 1
            c.last_failure = now
            self._recent.append(now)
            self._prune(now)

    def succeeded(self, client: str, role: str) -> None:
        with self._lock:
            c = self._clients.get(client)
            if c is not None:
                if role == ADMIN:          # the admin password proves more than any guess could win
                    c.failures.clear()
                else:
                    c.failures.pop(role, None)

    def _prune(self, now: float) -> None:
        if len(self._clients) <= self.max_clients // 2:
            return
        for k in [k for k, c in self._clients.items()
                  if now - c.last_failure > self.cap and all(now - t >= 60 for t in c.checks)]:
            del self._clients[k]
        while len(self._clients) > self.max_clients:   # still full: the oldest failures go first
            del self._clients[min(self._clients, key=lambda k: self._clients[k].last_failure)]
