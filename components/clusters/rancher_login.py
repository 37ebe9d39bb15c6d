"""A Rancher API token of a given local user, obtained by logging in as that user.

pulumi-rancher2's ``Token`` always belongs to the user the provider authenticates as (here: an
administrator). The cluster-autoscaler must not hold an administrator's token, so it gets a token of
its own, least-privileged user: this dynamic resource calls Rancher's public login action with that
user's password (``POST /v3-public/localProviders/local?action=login``, body ``username``,
``password``, ``responseType: token``, ``ttl`` in ms, ``description`` — the ``BasicLogin`` /
``GenericLogin`` types of rancher/rancher pkg/apis/management.cattle.io/v3public/authn_types.go)
and deletes the token on destroy (``DELETE /v3/tokens/<name>``).

Refresh: Rancher clamps a token's lifetime to ``auth-token-max-ttl-minutes`` (90 days by default).
``read`` asks Rancher for the token (``GET /v3/tokens/<name>``); once it is expired or gone, the
resource reads as deleted, so ``pulumi refresh`` (``options.refresh: always`` in Pulumi.yaml)
drops it and the next update logs in again and rewrites the autoscaler's Secret.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from typing import Any, Optional

import pulumi
from pulumi.dynamic import CreateResult, ReadResult, Resource, ResourceProvider

LOGIN_PATH = "/v3-public/localProviders/local?action=login"


def _context(ca_pem: str, insecure: bool) -> ssl.SSLContext:
    if insecure:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    return ssl.create_default_context(cadata=ca_pem) if ca_pem else ssl.create_default_context()


def _call(method: str, url: str, props: dict, body: Optional[dict] = None, token: str = "") -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, context=_context(props.get("ca_pem") or "", bool(props.get("insecure"))),
                                    timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {}


class _LoginProvider(ResourceProvider):
    def create(self, props: dict) -> CreateResult:
        status, body = _call("POST", props["url"].rstrip("/") + LOGIN_PATH, props, {
            "username": props["username"], "password": props["password"], "responseType": "token",
            "ttl": int(props["ttl_ms"]), "description": props.get("description", ""),
        })
        if status >= 300 or "token" not in body:
            raise Exception(f"Rancher login as {props['username']} failed (HTTP {status})")
        token = body["token"]
        return CreateResult(id_=token.split(":", 1)[0], outs={**props, "token": token})

    def read(self, id_: str, props: dict) -> ReadResult:
        status, body = _call("GET", f"{props['url'].rstrip('/')}/v3/tokens/{id_}", props, token=props.get("token", ""))
        if status == 200 and not body.get("expired", False):
            return ReadResult(id_=id_, outs=props)
        return ReadResult(id_="", outs={})  # expired or gone: recreated by the next update

    def delete(self, id_: str, props: dict) -> None:
        _call("DELETE", f"{props['url'].rstrip('/')}/v3/tokens/{id_}", props, token=props.get("token", ""))


class RancherLoginToken(Resource):
    """A token of ``username`` (secret output ``token``); replaced when any input changes."""

    token: pulumi.Output[str]

    def __init__(self, name: str, url: pulumi.Input[str], username: pulumi.Input[str], password: pulumi.Input[str],
                 ttl_minutes: int, ca_pem: pulumi.Input[str] = "", insecure: bool = False, description: str = "",
                 opts: Optional[pulumi.ResourceOptions] = None):
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=["token", "password"]))
        super().__init__(_LoginProvider(), name, {
            "url": url, "username": username, "password": pulumi.Output.secret(password),
            "ttl_ms": ttl_minutes * 60 * 1000, "ca_pem": ca_pem, "insecure": insecure,
            "description": description, "token": None,
        }, opts)
