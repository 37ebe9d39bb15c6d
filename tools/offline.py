"""Run the real Pulumi program offline, under Pulumi's mock engine, and record what it registers.

Used by the tests and by the offline plan (``python -m tools.plan``). Nothing here is imported
by the program itself: ``__main__.py`` runs unchanged under ``pulumi up``.

``RecordingMonitor`` sees every ``RegisterResource`` request as the engine would: type, name,
parent, explicit dependencies, provider reference, ``protect``/``retainOnDelete`` and the inputs
with secret markers intact, so tests can assert that a value is a Pulumi secret.
"""

from __future__ import annotations

import base64
import hashlib
import json
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional

from google.protobuf import json_format

import pulumi
from pulumi import output as pulumi_output
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import resource as pulumi_resource_runtime
from pulumi.runtime import rpc
from pulumi.runtime.proto import source_pb2
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

from facts import metrics_probe
from settings.targets import FAMILIES, eks
from tools.pulumi_cli import apply_project_defaults, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "tartware-infra"
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
STACK_TYPE = "pulumi:pulumi:Stack"

# Under the mocks there is no cluster to ask whether it serves the metrics API: the program falls back
# to its context rule and says so (facts/metrics_probe.py), the same on every run, never calling kubectl.
OFFLINE_METRICS = metrics_probe.Found("unknown", "offline: the mock engine has no cluster to ask")
metrics_probe.use(lambda context, ambient: OFFLINE_METRICS)


class Secret:
    """Marks a value that reached the engine as a Pulumi secret."""

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:  # never print the value
        return "Secret(***)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]


def _decode(value: Any) -> Any:
    """Turn the wire form into Python values, secrets wrapped in ``Secret``."""
    if isinstance(value, dict):
        if value.get(SECRET_SIG_KEY) == SECRET_SIG:
            return Secret(_decode(value.get("value")))
        if SECRET_SIG_KEY in value:  # resource references, assets: keep as a dict
            return {k: _decode(v) for k, v in value.items()}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # protobuf Struct numbers are doubles; the program's ints come back as ints
    return value


def unsecret(value: Any) -> Any:
    """The plain value, with every ``Secret`` unwrapped (for assertions on shape)."""
    if isinstance(value, Secret):
        return unsecret(value.value)
    if isinstance(value, dict):
        return {k: unsecret(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unsecret(v) for v in value]
    return value


def contains_secret(value: Any) -> bool:
    if isinstance(value, Secret):
        return True
    if isinstance(value, dict):
        return any(contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secret(v) for v in value)
    return False




@dataclass
class Registered:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    protect: bool
    retain_on_delete: bool
    provider: str
    dependencies: list[str]
    inputs: dict[str, Any]  # with Secret markers
    outputs: dict[str, Any] = field(default_factory=dict)
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    # the alias specs the SDK sends (RegisterResourceRequest.aliases): where the resource was before
    aliases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def plain(self) -> dict[str, Any]:
        return unsecret(self.inputs)


@dataclass
class ProgramRun:
    stack: str
    resources: list[Registered]
    outputs: dict[str, Any]  # stack outputs, with Secret markers
    invokes: list[tuple[str, dict]]

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: Optional[str] = None) -> Registered:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            raise AssertionError(f"expected one {type_} {name or ''}, found {[r.name for r in found]}")
        return found[0]

    def by_urn(self, urn: str) -> Registered:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise KeyError(urn)

    def children_of(self, urn: str) -> list[Registered]:
        return [r for r in self.resources if r.parent == urn]


class DefaultMocks(pulumi_mocks.Mocks):
    """Plausible provider answers: ids from names, inputs echoed, a few computed outputs.

    Outputs the real providers mark secret (``additionalSecretOutputs``) are returned wrapped as
    secrets, because the mock monitor does not apply that option itself.
    """

    # type -> output keys the real provider marks secret (the cluster targets' own, settings/targets/)
    SECRET_OUTPUTS = {
        "random:index/randomPassword:RandomPassword": ("result", "bcryptHash"),
        "random:index/randomBytes:RandomBytes": ("hex", "base64"),
        **{typ: keys for family in FAMILIES for typ, keys in family.secret_outputs.items()},
    }
    RESOURCE_IDS = {typ: prefix for family in FAMILIES for typ, prefix in family.resource_ids.items()}
    # Mock RandomBytes values: hexadecimal like the real ones, and recognisable (this marker) so the
    # plaintext audit (tests/test_audits.py) finds one that leaks.
    BYTES_MARKER = "5ec2e75ec2e7"

    def new_resource(self, args: pulumi_mocks.MockResourceArgs):
        outputs = dict(args.inputs)
        typ, name = args.typ, args.name
        if typ == "random:index/randomPassword:RandomPassword":
            outputs["result"] = f"mock-{name}-0123456789abcdef"
        if typ == "random:index/randomBytes:RandomBytes":
            digest = hashlib.sha256(name.encode()).hexdigest()
            hex_value = (self.BYTES_MARKER + digest * 4)[: 2 * int(args.inputs.get("length", 32))]
            outputs["hex"] = hex_value
            outputs["base64"] = base64.b64encode(bytes.fromhex(hex_value)).decode()
        if typ == "kubernetes:helm.sh/v3:Release":
            outputs.setdefault("status", {"status": "deployed", "name": args.inputs.get("name")})
        if typ.startswith("kubernetes:") and "metadata" in args.inputs:
            outputs.setdefault("metadata", args.inputs["metadata"])
        if typ.startswith("aws:"):
            service = typ.split(":")[1].split("/")[0]
            outputs.setdefault("arn", f"arn:aws:{service}:{eks.REGION}:{eks.ACCOUNT}:{name}")
            outputs.setdefault("name", name)
        for family in FAMILIES:  # the cluster targets' provider resources
            outputs.update(family.mock_outputs(typ, name, args.inputs))
        for key in self.SECRET_OUTPUTS.get(typ, ()):
            if key in outputs and not rpc.is_rpc_secret(outputs[key]):
                outputs[key] = rpc.wrap_rpc_secret(outputs[key])
        return f"{self.RESOURCE_IDS.get(typ, '')}{name}" if typ in self.RESOURCE_IDS else f"{name}-id", outputs

    def call(self, args: pulumi_mocks.MockCallArgs):
        for family in FAMILIES:  # the cluster targets' look-ups
            found = family.mock_call(args.token, args.args)
            if found is not None:
                return found
        return {}


class RecordingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: pulumi_mocks.Mocks):
        super().__init__(mocks)
        self.registered: list[Registered] = []
        self.stack_outputs: dict[str, Any] = {}
        self.invokes: list[tuple[str, dict]] = []

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type != STACK_TYPE:
            inputs = _decode(json_format.MessageToDict(request.object))
            state = self.resources.get(response.urn)
            self.registered.append(
                Registered(
                    urn=response.urn,
                    type=request.type,
                    name=request.name,
                    parent=request.parent,
                    custom=bool(request.custom),
                    protect=bool(request.protect),
                    retain_on_delete=bool(request.retainOnDelete),
                    provider=request.provider,
                    dependencies=list(request.dependencies),
                    inputs=inputs,
                    outputs=dict(state.state) if state else {},
                    ignore_changes=list(request.ignoreChanges),
                    replace_on_changes=list(request.replaceOnChanges),
                    delete_before_replace=bool(request.deleteBeforeReplace),
                    aliases=[json_format.MessageToDict(a) for a in request.aliases],
                )
            )
        return response

    def RegisterResourceOutputs(self, request):
        if request.urn.split("::")[2] == STACK_TYPE:
            self.stack_outputs = _decode(json_format.MessageToDict(request.outputs))
        return super().RegisterResourceOutputs(request)

    def Invoke(self, request):
        self.invokes.append((request.tok, json_format.MessageToDict(request.args)))
        return super().Invoke(request)


def stack_config(stack: str, overrides: Optional[Mapping[str, Any]] = None,
                 secrets: Optional[Mapping[str, str]] = None,
                 path: Optional[Path] = None) -> tuple[dict[str, str], list[str]]:
    """The config of ``Pulumi.<stack>.yaml`` (or ``path``) in the engine's wire form, plus overrides.

    ``secure:`` values (encrypted with the stack's passphrase) cannot be decrypted offline; they
    are replaced by a stand-in and marked secret, as the engine would mark them. ``overrides``
    take plain values (objects are JSON-encoded), ``secrets`` add secret keys. Then, as the CLI
    does, every default declared in ``Pulumi.yaml`` is written onto the keys the stack leaves
    unset, in plaintext (``tools.pulumi_cli.apply_project_defaults``).
    """
    path = path or ROOT / f"Pulumi.{stack}.yaml"
    if not path.exists():
        known = sorted(p.name.split(".")[1] for p in ROOT.glob("Pulumi.*.yaml"))
        raise ValueError(f"unknown stack {stack!r}; known stacks: {', '.join(known)}")
    doc = parse_yaml(path.read_text()) or {}
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in (doc.get("config") or {}).items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            config[key] = f"offline-stand-in-for-{key}"
            secret_keys.append(key)
        else:
            config[key] = _wire(value)
    for key, value in (overrides or {}).items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = _wire(value)
    for key, value in (secrets or {}).items():
        config[key] = value
        secret_keys.append(key)
    return apply_project_defaults(config), secret_keys


def _wire(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value)


def _no_stack_trace() -> source_pb2.StackTrace:
    return source_pb2.StackTrace()


# The SDK walks the Python stack on every registration to tell the engine where the resource was
# declared (pulumi/runtime/resource.py ``_get_stack_trace``, ~15 % of a run). The mock engine never
# reads it, so offline runs skip it; `pulumi up` is unaffected (this module is not the program's).
pulumi_resource_runtime._get_stack_trace = _no_stack_trace


def _contains_unknowns(val: Any) -> bool:
    """``pulumi.runtime.rpc.contains_unknowns`` without its per-call closure and recursion: whether
    an ``Unknown`` is reachable through dict values and list items (each object visited once), the
    same answer. The SDK asks it of every output value it creates (``pulumi/output.py``
    ``_OutputData.__post_init__``, about 6,500 times in a prod run): 1.6 us a call here, 4.5 us in the
    SDK's version."""
    stack = [val]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if type(item) in _ATOMS:
            continue
        if isinstance(item, pulumi_output.Unknown):
            return True
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


_ATOMS = frozenset({str, int, float, bool, type(None)})
pulumi_output.contains_unknowns = _contains_unknowns


_RUNS: dict[tuple, "ProgramRun"] = {}


def _run_main(program: Path) -> None:
    """Run ``program`` as ``__main__``, as Pulumi's Python host does (the module's globals are not needed)."""
    runpy.run_path(str(program), run_name="__main__")


def run_program(stack: str, config: Optional[Mapping[str, str]] = None,
                secret_keys: Iterable[str] = (), mocks: Optional[pulumi_mocks.Mocks] = None,
                program: Path = ROOT / "__main__.py",
                monitor: Optional[RecordingMonitor] = None) -> ProgramRun:
    """Run ``__main__.py`` for ``stack`` with ``config`` under mocks; return what it registered.

    Raises whatever the program raises (e.g. SettingsError), after the engine has settled.
    """
    if config is None:
        config, secret_keys = stack_config(stack)
    # The program is deterministic: a run with the default mocks and recorder is computed once per
    # process for the same stack, config and secrets (callers read a run, never change it).
    key = (stack, tuple(sorted(config.items())), tuple(sorted(secret_keys)), str(program))
    if mocks is None and monitor is None:
        if key not in _RUNS:
            _RUNS[key] = run_program(stack, config, secret_keys, DefaultMocks(), program)
        else:  # leave the runtime as the run would (callers read the config and stack afterwards)
            pulumi.runtime.set_all_config(dict(config), list(secret_keys))
            pulumi_mocks.set_mocks(DefaultMocks(), project=PROJECT, stack=stack, preview=False,
                                   monitor=RecordingMonitor(DefaultMocks()))
        return _RUNS[key]
    monitor = monitor or RecordingMonitor(mocks or DefaultMocks())
    pulumi.runtime.set_all_config(dict(config), list(secret_keys))
    pulumi_mocks.set_mocks(monitor.mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    # run_in_stack makes a fresh Stack for the exports. pulumi annotates ``root`` as a Resource, but
    # None is what it holds before any stack (pulumi/runtime/settings.py ROOT, default None)
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]

    import sys

    added = str(ROOT) not in sys.path
    if added:
        sys.path.insert(0, str(ROOT))
    try:
        _sync_await(run_in_stack(lambda: _run_main(program)))
    finally:
        if added:
            sys.path.remove(str(ROOT))
    return ProgramRun(stack=stack, resources=monitor.registered, outputs=monitor.stack_outputs,
                      invokes=monitor.invokes)


def run_components(build: Callable[[], Any], stack: str = "components",
                   config: Optional[Mapping[str, str]] = None, secret_keys: Iterable[str] = (),
                   mocks: Optional[pulumi_mocks.Mocks] = None) -> tuple[ProgramRun, Any]:
    """Run ``build`` (which constructs one component, and what it needs) under the recording mocks.

    The component tests' engine: no ``__main__.py``, no stack config; returns what was registered
    and what ``build`` returned.
    """
    monitor = RecordingMonitor(mocks or DefaultMocks())
    pulumi.runtime.set_all_config(dict(config or {}), list(secret_keys))
    pulumi_mocks.set_mocks(monitor.mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]  # as in run_program
    built: list[Any] = []
    _sync_await(run_in_stack(lambda: built.append(build())))
    run = ProgramRun(stack=stack, resources=monitor.registered, outputs=monitor.stack_outputs,
                     invokes=monitor.invokes)
    return run, built[0] if built else None


_RECORDED: dict[str, ProgramRun] = {}


def recorded_run(stack: str) -> ProgramRun:
    """``run_program(stack)`` with the stack's own config, once per process (the tests' session
    cache, tools.render): callers read it, never change it."""
    if stack not in _RECORDED:
        _RECORDED[stack] = run_program(stack)
    return _RECORDED[stack]
