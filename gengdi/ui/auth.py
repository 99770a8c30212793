"""The sign-in gate: nobody sees a figure before signing in (once access control is configured)."""
from __future__ import annotations

import logging
import os

import streamlit as st

from .. import auth, config
from ..ingest import demo_cities
from ..store import read_meta
from . import data

_ROLE = "_gengdi_role"
_THROTTLE = auth.Throttle()


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # noqa: BLE001 - no secrets.toml is the common case
        return {}


def _demo_only(data_dir: str) -> bool:
    """True when every city in the store is still the generated 示例数据 (or there is none)."""
    from ..store import fingerprints
    from .context import key_of

    cities = data.cities(data_dir, key_of(fingerprints(data_dir)))
    demo = set(demo_cities(read_meta(data_dir)))
    return all(c in demo for c in cities["code"])


def _client() -> str:
    return st.context.ip_address or "local"


def gate(pages: list) -> str:
    """The signed-in role, or draw the sign-in form and stop the run.

    Before stopping, the pages are registered hidden: the link's page stays valid (it opens after
    signing in) and nothing about the pages shows beside the form."""
    cfg = auth.load_config(os.environ, _secrets())
    role = _role(cfg)
    if role is None:
        st.navigation(pages, position="hidden")
        st.stop()
    return role


def _role(cfg: auth.AuthConfig) -> str | None:
    if cfg.oidc:
        if not st.user.is_logged_in:
            _title()
            st.write("请使用单位统一身份认证账号登录。")
            st.button("登录", on_click=st.login, key="oidc_login", type="primary", icon=":material/login:")
            return None
        return auth.role_for_email(cfg, st.user.get("email"))
    if cfg.passwords:
        role = st.session_state.get(_ROLE)
        if role:
            return role
        _password_form(cfg)
        return None
    data_dir = str(config.data_dir().resolve())
    if cfg.open_access or _demo_only(data_dir):
        return auth.ADMIN
    _title()
    # the visitor is told in their words; the setting names go to the admin's log (and the docs)
    logging.getLogger("gengdi").warning("库中已有非示例数据，但没有配置访问控制：请设置 GENGDI_VIEWER_PASSWORD 和 "
                                        "GENGDI_ADMIN_PASSWORD（或 secrets.toml 的 [auth]），可信内网设 GENGDI_OPEN=1")
    st.error("看板尚未开放，请联系管理员。", icon=":material/lock:")
    return None


def _title() -> None:
    st.title("耕地保护和用地保障看板")


def _check() -> None:
    cfg = auth.load_config(os.environ, _secrets())
    password = st.session_state.pop("gd_password", "")
    role = auth.check_password(cfg, password)
    client = _client()
    if role:
        _THROTTLE.succeeded(client)
        st.session_state[_ROLE] = role
        st.session_state.pop("_gengdi_login_error", None)
    else:
        held = _THROTTLE.failed(client)
        auth.wait(held)
        st.session_state["_gengdi_login_error"] = (
            "密码不正确。" + (f"连续输错后每次需等待更久（本次 {held:g} 秒）。" if held >= 1 else ""))


def _password_form(cfg: auth.AuthConfig) -> None:
    _title()
    st.write("请输入访问密码。打开的链接会在登录后显示原来的视图。")
    st.text_input("密码", type="password", key="gd_password", on_change=_check)
    st.button("登录", key="gd_login", type="primary", on_click=_check, icon=":material/login:")
    err = st.session_state.get("_gengdi_login_error")
    if err:
        st.error(err, icon=":material/error:")


def sign_out_control(role: str) -> None:
    cfg = auth.load_config(os.environ, _secrets())
    if not cfg.configured:
        return
    with st.sidebar:
        st.caption(f"当前身份：{auth.ROLE_NAMES.get(role, role)}")
        if cfg.oidc:
            st.button("退出登录", on_click=st.logout, key="logout", icon=":material/logout:")
        elif st.button("退出登录", key="logout", icon=":material/logout:"):
            st.session_state.pop(_ROLE, None)
            st.rerun()
