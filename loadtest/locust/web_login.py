"""Locust's own login for its web UI (the master runs with ``--web-login``).

Locust 2.47.0 protects every UI route with Flask-Login when ``--web-login`` is given, and leaves the
sign-in itself to the locustfile: a user loader, ``auth_args`` naming the form's submit URL, and
that route (locust/web.py ``WebUI.login_manager``, ``auth_required_if_enabled``;
docs.locust.io/en/stable/extending-locust.html#authentication). This module is that part: one
account, ``LOCUST_WEB_USERNAME`` with the password in the file ``LOCUST_WEB_PASSWORD_FILE`` (the
Secret ``locust-web-login``, components/operations/loadtest.py). The master loads it next to the locustfile
(``-f locustfile.py,web_login.py``); it defines no User class.

It is the second lock: on the public gateway the Locust host is also behind ``operatorAccess``
(docs/platform.md "Operator access").
"""

from __future__ import annotations

import hmac
import os
import secrets

from flask import Blueprint, redirect, request, session, url_for
from flask_login import UserMixin, login_user

from locust import events


class Operator(UserMixin):
    """The one account of the UI."""

    def __init__(self, name: str):
        self.name = name

    def get_id(self) -> str:
        return self.name


def _account() -> tuple[str, str]:
    with open(os.environ["LOCUST_WEB_PASSWORD_FILE"], encoding="utf-8") as f:
        return os.environ.get("LOCUST_WEB_USERNAME", "locust"), f.read().strip()


def _matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())  # no timing side channel


@events.init.add_listener
def _web_login(environment, **_kwargs) -> None:
    ui = environment.web_ui
    if ui is None or not environment.parsed_options.web_login:
        return  # a worker, or a master started without --web-login
    username, password = _account()
    if not password:
        raise SystemExit("LOCUST_WEB_PASSWORD_FILE is empty: refusing to serve the UI without a password")
    # Flask signs the session cookie with it: new on every start, so a restart signs everyone out
    ui.app.config["SECRET_KEY"] = secrets.token_hex(32)
    ui.app.config["SESSION_COOKIE_HTTPONLY"] = True
    ui.app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    ui.login_manager.user_loader(lambda name: Operator(name) if name == username else None)
    base = environment.parsed_options.web_base_path or ""
    ui.auth_args = {"username_password_callback": f"{base}/login_submit"}
    blueprint = Blueprint("tartware_web_login", __name__, url_prefix=base or None)

    @blueprint.route("/login_submit", methods=["POST"])
    def login_submit():
        user_ok = _matches(request.form.get("username", ""), username)
        password_ok = _matches(request.form.get("password", ""), password)  # both compared, always
        if user_ok and password_ok:
            login_user(Operator(username))
            return redirect(url_for("locust.index"))
        session["auth_error"] = "Invalid username or password"
        return redirect(url_for("locust.login"))

    ui.app.register_blueprint(blueprint)
