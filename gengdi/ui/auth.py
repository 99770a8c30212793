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


def _peer() -> str | None:
    """The direct peer of this session's websocket (st.context.ip_address hides 127.0.0.1 and ::1,
    which is exactly the address of a same-host proxy)."""
    try:
        from streamlit.runtime.context import _get_client_context

        ip = getattr(_get_client_context(), "remote_ip", None)
        return ip if isinstance(ip, str) else None
    except Exception:  # noqa: BLE001 - an older or newer Streamlit: fall back to the public value
        return st.context.ip_address


def _client() -> str:
    try:
        headers = {k: v for k, v in dict(st.context.headers or {}).items() if isinstance(v, str)}
    except Exception:  # noqa: BLE001 - no request (AppTest)
        headers = {}
    return auth.client_address(_peer(), headers, os.environ.get("GENGDI_TRUSTED_PROXIES"))


def _config() -> auth.AuthConfig | None:
    try:
        return auth.load_config(os.environ, _secrets())
    except auth.BadHash as e:
        _title()
        st.error(f"访问控制配置有误：{e}", icon=":material/lock:")
        return None


def gate(pages: list) -> str:
    """The signed-in role, or draw the sign-in form and stop the run.

    Before stopping, the pages are registered hidden: the link's page stays valid (it opens after
    signing in) and nothing about the pages shows beside the form. Only the pages a viewer may open are
    registered: nothing about the admin pages reaches a session before an admin signs in."""
    cfg = _config()
    role = _role(cfg) if cfg is not None else None
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
    role = st.session_state.get(_ROLE)
    if role and cfg.passwords:
        return role
    if cfg.viewer_secret is None and (cfg.open_access or _demo_only(str(config.data_dir().resolve()))):
        return auth.VIEWER          # open to look at; importing still needs the admin credential
    if cfg.passwords:
        _title()
        st.write("请输入访问密码。打开的链接会在登录后显示原来的视图。")
        _password_form()
        return None
    _title()
    # the visitor is told in their words; the setting names go to the admin's log (and the docs)
    logging.getLogger("gengdi").warning("库中已有非示例数据，但没有配置访问控制：请设置 GENGDI_VIEWER_PASSWORD 和 "
                                        "GENGDI_ADMIN_PASSWORD（或 secrets.toml 的 [auth]），可信内网设 GENGDI_OPEN=1")
    st.error("看板尚未开放，请联系管理员。", icon=":material/lock:")
    return None


def _title() -> None:
    st.title("耕地保护和用地保障看板")


def _check() -> None:
    password = st.session_state.pop("gd_password", "")
    cfg = _config()
    if cfg is None:
        return
    client = _client()
    wait = _THROTTLE.wait_for(client)
    if wait:       # refused at once, the password is not even looked at
        st.session_state["_gengdi_login_error"] = f"尝试次数过多，请 {wait} 秒后再试。"
        return
    role = auth.check_password(cfg, password)
    if role:
        _THROTTLE.succeeded(client, role)
        st.session_state[_ROLE] = role
        st.session_state.pop("_gengdi_login_error", None)
    else:
        _THROTTLE.failed(client)
        st.session_state["_gengdi_login_error"] = "密码不正确。连续输错 5 次后需等待一段时间才能再试。"


def _password_form() -> None:
    st.text_input("密码", type="password", key="gd_password", on_change=_check)
    st.button("登录", key="gd_login", type="primary", on_click=_check, icon=":material/login:")
    err = st.session_state.get("_gengdi_login_error")
    if err:
        st.error(err, icon=":material/error:")


def sign_out_control(role: str) -> None:
    """The sidebar's identity line: sign out; for an anonymous viewer, the admin sign-in (or how to
    configure one)."""
    cfg = _config()
    if cfg is None:
        return
    with st.sidebar:
        signed_in = cfg.oidc or bool(st.session_state.get(_ROLE))
        st.caption(f"当前身份：{auth.ROLE_NAMES.get(role, role)}" + ("" if signed_in else "（未登录）"))
        if cfg.oidc:
            st.button("退出登录", on_click=st.logout, key="logout", icon=":material/logout:")
        elif signed_in:
            if st.button("退出登录", key="logout", icon=":material/logout:"):
                st.session_state.pop(_ROLE, None)
                st.rerun()
        elif cfg.admin_secret is not None:
            with st.expander("管理员登录（数据导入）", icon=":material/admin_panel_settings:"):
                _password_form()
        if role != auth.ADMIN and not cfg.admin_credential:
            st.caption(NO_ADMIN)


NO_ADMIN = ("网页上的数据导入需要管理员身份，目前没有配置：请设置环境变量 GENGDI_ADMIN_PASSWORD_HASH"
            "（用 python -m gengdi hash-password 生成）或单点登录的 [gengdi] admin_emails。"
            "在服务器上仍可用命令行 python -m gengdi import 导入。")
