"""Build one component alone under the recording mocks, with a hand-made args object.

``build(fn)`` runs ``fn`` (which creates the Kubernetes provider, the stand-ins of what the
component depends on, and the component) inside a fresh mock stack and returns what was
registered and what ``fn`` returned. No ``__main__.py``, no stack config: a failure here is the
component's own.
"""

from __future__ import annotations

import functools
import json
from types import SimpleNamespace
from typing import Any, Callable

import pulumi
import pulumi_kubernetes as k8s

from components.base import TartwareComponent
from program.load import build_settings
from tools.offline import ProgramRun, Registered, run_components

PROVIDER = "k8s"  # resource name of the provider every build creates


def build(fn: Callable[[], Any], **kwargs: Any) -> tuple[ProgramRun, Any]:
    return run_components(fn, **kwargs)


def provider() -> k8s.Provider:
    return k8s.Provider(PROVIDER)


def on(p: k8s.Provider, **kwargs: Any) -> pulumi.ResourceOptions:
    """A component's opts: the Kubernetes provider, explicitly."""
    return pulumi.ResourceOptions(provider=p, **kwargs)


def _stand_in_secret(name: str, required: bool, problems: Any, why: str = "") -> str:
    return f"{name}-stand-in"


@functools.lru_cache(maxsize=None)
def _settings(raw_json: str):
    return build_settings(json.loads(raw_json), _stand_in_secret)


def settings(**raw: Any):
    """Validated settings for raw config values (cached); tests take the sections they need.
    Every secret setting reads as a plain stand-in string."""
    return _settings(json.dumps(raw, sort_keys=True))


def credentials() -> SimpleNamespace:
    """Stand-in for components/credentials.py: the same attributes, fixed Pulumi secrets."""
    secret = pulumi.Output.secret
    return SimpleNamespace(database_username="tartware", database_password=secret("db-pw"),
                           database_admin_password=secret("admin-pw"),
                           database_replication_password=secret("repl-pw"), redis_password=secret("redis-pw"),
                           jwt_secret=secret("jwt"), default_password=secret("default-pw"),
                           service_password=secret("service-pw"), guest_data_key=secret("ab" * 32),
                           billing_data_key=secret("cd" * 32))


def stand_in(name: str, p: k8s.Provider) -> k8s.core.v1.ConfigMap:
    """A custom resource to depend on (a component dependency expands to its children)."""
    return k8s.core.v1.ConfigMap(name, metadata={"name": name}, opts=pulumi.ResourceOptions(provider=p))


def deps_names(run: ProgramRun, r: Registered) -> set[str]:
    return {run.by_urn(u).name for u in r.dependencies}


def provider_name(r: Registered) -> str:
    """The resource name of the provider ``r`` was registered with ("" for none)."""
    return r.provider.split("::")[-2] if r.provider else ""


def descendants(run: ProgramRun, urn: str) -> list[Registered]:
    out, todo = [], [urn]
    while todo:
        kids = run.children_of(todo.pop())
        out += kids
        todo += [k.urn for k in kids]
    return out


def wired(run: ProgramRun, token: str, name: str, stand_ins: tuple[str, ...] = ()) -> Registered:
    """The component ``token``/``name``, after checking its wiring: every resource of the build
    (but the provider and the stand-ins) is its descendant, and every Kubernetes object uses the
    provider given in ``opts``."""
    comp = run.one(token, name)
    below = descendants(run, comp.urn)
    assert below, f"{name} registered nothing"
    outside = [r.name for r in run.resources
               if r.urn != comp.urn and r not in below and r.type != "pulumi:providers:kubernetes"
               and r.name not in stand_ins and not r.type.startswith("tartware:")]
    assert outside == []
    for r in below:
        if r.custom and r.type.startswith("kubernetes:"):
            assert provider_name(r) == PROVIDER, r.name
    return comp


class Owner(TartwareComponent):
    """A parent for helpers that create children of a component (``owner.child(...)``)."""

    AREA = "test"

    def __init__(self, name: str = "owner"):
        super().__init__(name)
        self.register_outputs({})


def find_key(value: Any, key: str) -> list[Any]:
    """Every value under ``key`` anywhere in nested dicts/lists."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                found.append(v)
            found += find_key(v, key)
    elif isinstance(value, list):
        for v in value:
            found += find_key(v, key)
    return found
