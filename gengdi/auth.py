"""Access control without Streamlit: who may see the figures, and checking a password.

Three ways, in this order:
1. an identity provider (OIDC) through Streamlit's ``st.login``, when ``secrets.toml`` has an
   ``[auth]`` section; admins are the e-mail addresses in ``[gengdi] admin_emails``;
2. passwords from the environment (``GENGDI_VIEWER_PASSWORD``, ``GENGDI_ADMIN_PASSWORD``) or from
   ``[gengdi] viewer_password`` / ``admin_password`` in ``secrets.toml``;
3. nothing configured: open, but only while the store holds demo data only (or when
   ``GENGDI_OPEN=1`` says an intranet wants no sign-in).
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


@dataclass(frozen=True)
class AuthConfig:
    viewer_digest: bytes | None = None
    admin_digest: bytes | None = None
    oidc: bool = False
    admin_emails: frozenset[str] = field(default_factory=frozenset)
    open_access: bool = False

    @property
    def passwords(self) -> bool:
        return self.viewer_digest is not None or self.admin_digest is not None

    @property
    def configured(self) -> bool:
        return self.oidc or self.passwords


def load_config(env: Mapping[str, str], secrets: Mapping[str, Any]) -> AuthConfig:
    """The access settings from the environment and ``secrets.toml`` (the environment wins)."""
    section = secrets.get("gengdi", {}) or {}
    viewer = env.get("GENGDI_VIEWER_PASSWORD") or section.get("viewer_password")
    admin = env.get("GENGDI_ADMIN_PASSWORD") or section.get("admin_password")
    emails = section.get("admin_emails", []) or []
    return AuthConfig(
        viewer_digest=_digest(viewer) if viewer else None,
        admin_digest=_digest(admin) if admin else None,
        oidc="auth" in secrets,
        admin_emails=frozenset(e.strip().lower() for e in emails),
        open_access=env.get("GENGDI_OPEN", "").strip() in ("1", "true", "yes"),
    )


def check_password(cfg: AuthConfig, password: str) -> str | None:
    """The role a password opens, or None. Both digests are always compared, in constant time."""
    given = _digest(password or "")
    is_admin = cfg.admin_digest is not None and hmac.compare_digest(given, cfg.admin_digest)
    is_viewer = cfg.viewer_digest is not None and hmac.compare_digest(given, cfg.viewer_digest)
    if is_admin:
        return ADMIN
    if is_viewer:
        return VIEWER
    return None


def role_for_email(cfg: AuthConfig, email: str | None) -> str:
    return ADMIN if email and email.strip().lower() in cfg.admin_emails else VIEWER


class Throttle:
    """Repeated wrong passwords from one client wait longer each time (0.5 s, 1 s, 2 s … 16 s)."""

    def __init__(self, base: float = 0.5, cap: float = 16.0):
        self.base, self.cap = base, cap
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()

    def delay(self, client: str) -> float:
        with self._lock:
            n = self._failures.get(client, 0)
        return 0.0 if n == 0 else min(self.base * 2 ** (n - 1), self.cap)

    def failed(self, client: str) -> float:
        """Record a failure and return how long this answer is held back."""
        with self._lock:
            self._failures[client] = self._failures.get(client, 0) + 1
        return self.delay(client)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def wait(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)
