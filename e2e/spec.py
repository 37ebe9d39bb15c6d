"""What the harness runs, taken from the program: each service's container from the RENDERED prod
Deployment, its env resolved (plain values, and ``secretKeyRef`` from the Secrets the program
creates, with real values generated the way its pulumi-random resources would), in-cluster
addresses mapped to loopback, and the topics the program's topic Job creates.

Pure functions over a recorded program run and its rendered chart, so tests can feed canned ones.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from facts.endpoints import CLUSTER_DOMAIN

RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword"
RANDOM_BYTES = "random:index/randomBytes:RandomBytes"
SECRET = "kubernetes:core/v1:Secret"
JOB = "kubernetes:batch/v1:Job"
LOOPBACK = "127.0.0.1"
# <service>.<namespace>.svc.cluster.local[:port] anywhere in a value (URLs, host:port lists)
IN_CLUSTER = re.compile(r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\."
                        + re.escape(CLUSTER_DOMAIN) + r"(:(\d+))?")
# components/platform/data_tier.py topic_script: one "create <name> -p <partitions> ..." line per topic
TOPIC_LINE = re.compile(r"^create (\S+) -p (\d+)", re.M)


class SpecError(Exception):
    """The rendered spec cannot be run as a real cluster would run it (names the object and key)."""


@dataclass(frozen=True)
class Probe:
    kind: str  # startup, readiness, liveness
    path: str
    port: int
    period_seconds: int
    failure_threshold: int


@dataclass
class ServiceSpec:
    name: str
    ports: dict[str, int]  # port name -> container port
    env: dict[str, str]
    probes: list[Probe]
    secret_env: dict[str, tuple[str, str]] = field(default_factory=dict)  # env -> (Secret, key)

    @property
    def port(self) -> int:
        return self.ports["http"]


# ---------------------------------------------------------------------------- secrets


# terraform-provider-random (what pulumi-random wraps) internal/random/string.go: the character
# classes of random_password/random_string, and its default special set.
LOWER, UPPER, NUMERIC = string.ascii_lowercase, string.ascii_uppercase, string.digits
DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"


def generate_password(args: Mapping[str, Any], rng: Optional[secrets.SystemRandom] = None) -> str:
    """A value RandomPassword could produce with these inputs: ``length``, ``lower``/``upper``/
    ``numeric``/``special`` (default true), ``min_*`` counts and ``overrideSpecial``, as
    terraform-provider-random's CreateString honours them (the minimums first, the rest from
    every enabled class, shuffled)."""
    rng = rng or secrets.SystemRandom()
    classes = []
    for key, chars in (("lower", LOWER), ("upper", UPPER), ("numeric", NUMERIC),
                       ("special", args.get("overrideSpecial") or DEFAULT_SPECIAL)):
        if args.get(key, True) is not False:
            classes.append((chars, int(args.get("min" + key.capitalize(), 0) or 0)))
    length = int(args["length"])
    out = [rng.choice(chars) for chars, minimum in classes for _ in range(minimum)]
    pool = "".join(chars for chars, _ in classes)
    out += [rng.choice(pool) for _ in range(length - len(out))]
    rng.shuffle(out)
    return "".join(out)


def _plain(value: Any) -> Optional[str]:
    """An output as recorded: a plain string, or a secret (wrapped, or in its wire form)."""
    value = getattr(value, "value", value)
    if isinstance(value, dict):
        value = value.get("value")
    return value if isinstance(value, str) else None


def random_values(resources: Iterable[Any]) -> dict[str, str]:
    """Mock output value -> a real value of the same resource, for every random resource of the run.

    Under the mocks (tools/offline.py) a RandomPassword's ``result`` is ``mock-<name>-...``; a
    Secret built from it carries that string, so the Secret's real value is this resource's."""
    found: dict[str, str] = {}
    for r in resources:
        if r.type == RANDOM_PASSWORD:
            mock = _plain((r.outputs or {}).get("result")) or f"mock-{r.name}-0123456789abcdef"
            found[mock] = generate_password(r.plain)
        elif r.type == RANDOM_BYTES:
            length = int(r.plain["length"])
            real = secrets.token_bytes(length)
            for key, encode in (("hex", real.hex), ("base64", lambda: __import__("base64").b64encode(real).decode())):
                mock = _plain((r.outputs or {}).get(key))
                if mock:
                    found[mock] = encode()
    return found


def secret_data(resources: Iterable[Any], namespace: str, real: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """(Secret name, key) -> value for every Secret the program creates in ``namespace``: the
    mock values of random resources replaced by real ones, everything else as given."""
    data: dict[tuple[str, str], str] = {}
    for r in resources:
        if r.type != SECRET:
            continue
        plain = r.plain
        meta = plain.get("metadata", {})
        if meta.get("namespace") != namespace:
            continue
        for key, value in (plain.get("stringData") or {}).items():
            value = str(value)
            for mock, replacement in real.items():
                value = value.replace(mock, replacement)
            data[(meta["name"], key)] = value
    return data


# ---------------------------------------------------------------------------- deployments


def deployments(docs: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Deployment"}


def service_spec(deployment: Mapping[str, Any], secrets_: Mapping[tuple[str, str], str],
                 missing: Optional[list[str]] = None) -> ServiceSpec:
    """The first container of one Deployment (or Job): ports, probes and env, secretKeyRefs resolved.

    A reference to a Secret or key the program does not create fails as the kubelet would
    (CreateContainerConfigError), naming the env var, Secret and key. With ``missing`` given, the
    failure is appended there instead and a generated value stands in, so the run can go on to
    show what else fails."""
    name = deployment["metadata"]["name"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    ports = {p.get("name", str(p["containerPort"])): int(p["containerPort"]) for p in container.get("ports", [])}
    env: dict[str, str] = {}
    refs: dict[str, tuple[str, str]] = {}
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = str(item["value"])
            continue
        ref = (item.get("valueFrom") or {}).get("secretKeyRef")
        if ref is None:
            raise SpecError(f"{name}: env {item['name']} has a valueFrom other than secretKeyRef")
        key = (ref["name"], ref["key"])
        if key not in secrets_:
            if ref.get("optional"):
                continue
            message = (f"{name}: env {item['name']} reads Secret {ref['name']} key {ref['key']}, which the "
                       "program does not create (the pod would not start: CreateContainerConfigError)")
            if missing is None:
                raise SpecError(message)
            missing.append(message)
            env[item["name"]] = generate_password({"length": 32, "special": False})
            refs[item["name"]] = key
            continue
        env[item["name"]] = secrets_[key]
        refs[item["name"]] = key
    probes = []
    for kind in ("startup", "readiness", "liveness"):
        probe = container.get(f"{kind}Probe")
        if probe is None:
            continue
        http = probe["httpGet"]
        port = http["port"]
        port = ports[port] if isinstance(port, str) else int(port)
        probes.append(Probe(kind, http["path"], port, int(probe.get("periodSeconds", 10)),
                            int(probe.get("failureThreshold", 3))))
    return ServiceSpec(name, ports, env, probes, refs)


# ---------------------------------------------------------------------------- loopback


@dataclass
class Loopback:
    """In-cluster host:port -> 127.0.0.1:port. Tartware Services keep their port (each service has
    its own); everything else gets the port the harness chose for its local stand-in."""

    ports: dict[tuple[str, int], int]  # (in-cluster host, port) -> local port
    used: dict[str, str] = field(default_factory=dict)  # in-cluster address -> local address

    def map_value(self, value: str, where: str) -> str:
        def replace(m: re.Match) -> str:
            host, port = m.group(1) + "." + CLUSTER_DOMAIN, m.group(6)
            if port is None:
                raise SpecError(f"{where}: {m.group(0)} has no port; cannot map it to loopback")
            local = self.ports.get((host, int(port)))
            if local is None:
                raise SpecError(f"{where}: no local stand-in for {host}:{port} (known: "
                                + ", ".join(f"{h}:{p}" for h, p in sorted(self.ports)) + ")")
            self.used[f"{host}:{port}"] = f"{LOOPBACK}:{local}"
            return f"{LOOPBACK}:{local}"
        return IN_CLUSTER.sub(replace, value)

    def map_env(self, env: Mapping[str, str], where: str) -> dict[str, str]:
        """Every value mapped; a host alone (``DB_HOST``, ``PGHOST``) is mapped with the port of its
        sibling ``..._PORT`` variable, which gets the local port."""
        out = dict(env)
        for key, value in env.items():
            sibling = key[: -len("HOST")] + "PORT"
            if key.endswith("HOST") and value.endswith("." + CLUSTER_DOMAIN) and sibling in env:
                mapped = self.map_value(f"{value}:{env[sibling]}", f"{where} env {key}/{sibling}")
                out[key], out[sibling] = mapped.rsplit(":", 1)
        return {k: self.map_value(v, f"{where} env {k}") for k, v in out.items()}


def topics_of(resources: Iterable[Any]) -> dict[str, int]:
    """Topic name -> partitions, from the program's topic Job (redpanda-topics)."""
    for r in resources:
        if r.type == JOB and r.plain.get("metadata", {}).get("name") == "redpanda-topics":
            containers = r.plain["spec"]["template"]["spec"]["containers"]
            script = "\n".join(" ".join(c.get("command", []) + c.get("args", [])) for c in containers)
            return {name: int(p) for name, p in TOPIC_LINE.findall(script)}
    raise SpecError("the program registers no redpanda-topics Job: no topic list")
