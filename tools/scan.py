"""Security scan: checkov's Kubernetes framework over everything the program would send to Kubernetes.

For each stack, the whole system is rendered (tools/system.py: every Helm release — ours and the
third-party ones — from its chart source with the values the program passes, CRDs and hooks
included, plus the objects the program creates directly); checkov (its own virtualenv, offline) scans
the folder. Every failed check must be listed with a written reason in security/checkov-skips.yaml,
and the scan must have produced results (checkov's helm framework silently runs nothing without a
helm binary; an empty scan is a failure).

    python -m tools.scan                    # dev and prod; exit 1 on unexplained failures
    python -m tools.scan --stack prod --checkov .venv-checkov/bin/checkov
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from tools.manifests import dump, object_filename
from tools.offline import run_program, stack_config
from tools.system import SystemRender, render_system, skipped_report

ROOT = Path(__file__).resolve().parent.parent
SKIP_FILE = ROOT / "security" / "checkov-skips.yaml"
DEFAULT_CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
OUT = ROOT / "build" / "scan"


@dataclass(frozen=True)
class Skip:
    id: str
    reason: str
    stacks: tuple[str, ...] = ()  # empty: every stack
    resources: tuple[str, ...] = ()  # fnmatch patterns on checkov's "Kind.namespace.name"; empty: all

    def covers(self, stack: str, check_id: str, resource: str) -> bool:
        return (
            check_id == self.id
            and (not self.stacks or stack in self.stacks)
            and (not self.resources or any(fnmatch.fnmatchcase(resource, p) for p in self.resources))
        )


def load_skips(path: Path = SKIP_FILE) -> list[Skip]:
    doc = yaml.safe_load(path.read_text()) or {}
    skips = []
    for i, entry in enumerate(doc.get("skips") or []):
        reason = str(entry.get("reason") or "").strip()
        if not entry.get("id") or len(reason) < 20:
            raise ValueError(f"{path.name} entry {i}: every skip needs an id and a written reason (>= 20 chars)")
        skips.append(Skip(entry["id"], reason, tuple(entry.get("stacks") or ()), tuple(entry.get("resources") or ())))
    return skips


# operatorAccess=sso with an example OIDC provider (a Keycloak realm's endpoints): the SSO gate
# (oauth2-proxy), its AuthorizationPolicy and Grafana's OAuth sign-in, which the stack files leave off
SSO_EXAMPLE: dict[str, Any] = {
    "tartware-infra:operatorAccess": "sso",
    "tartware-infra:operatorSsoIssuerUrl": "https://idp.example.com/realms/ops",
    "tartware-infra:operatorSsoClientId": "tartware-operators",
    "tartware-infra:operatorSsoEmailDomains": ["example.com"],
    "tartware-infra:operatorSsoAllowedGroups": ["platform-ops"],
    "tartware-infra:operatorSsoAuthUrl": "https://idp.example.com/realms/ops/protocol/openid-connect/auth",
    "tartware-infra:operatorSsoTokenUrl": "https://idp.example.com/realms/ops/protocol/openid-connect/token",
    "tartware-infra:operatorSsoUserinfoUrl": "https://idp.example.com/realms/ops/protocol/openid-connect/userinfo",
    "tartware-infra:operatorSsoGrafanaAdminGroups": ["platform-admins"],
    "tartware-infra:operatorSsoGrafanaEditorGroups": ["platform-ops"],
}

# What is scanned: each stack as configured, plus variants that switch on objects the stack files
# leave off (the in-cluster load test, the Vault secrets backend, the off-site upload and the
# restore Job of the backups, the operators' single sign-on).
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "dev": ("dev", {}),
    "prod": ("prod", {}),
    "prod-loadtest": ("prod", {"tartware-infra:loadTest": "load", "tartware-infra:loadTestUsername": "k6-bot"}),
    # Locust goes through the gateway: its pod network is exempt from the per-client limit (kind's here)
    "prod-locust": ("prod", {"tartware-infra:loadTest": "locust", "tartware-infra:loadTestUsername": "k6-bot",
                             "tartware-infra:edgeRateLimitExemptCidrs": ["10.244.0.0/16"]}),
    "prod-vault": ("prod", {"tartware-infra:secretsBackend": "vault",
                            "tartware-infra:vaultServer": "https://vault.example.com:8200"}),
    "prod-backup-restore": ("prod", {"tartware-infra:backupOffsiteOptOut": False,
                                     "tartware-infra:backupOffsiteBucket": "tartware-prod-backups",
                                     "tartware-infra:backupOffsiteRegion": "eu-west-1",
                                     "tartware-infra:backupOffsiteRoleArn":
                                         "arn:aws:iam::123456789012:role/tartware-backups",
                                     "tartware-infra:backupRestoreFrom": "offsite:latest",
                                     "tartware-infra:backupRestoreOverwrite": True}),
    "prod-sso": ("prod", SSO_EXAMPLE),
}


def variant_overrides(variant: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(stack, config overrides, secrets) of a variant; the secrets a variant needs are placeholders (a
    load test's login password, the SSO client secret)."""
    stack, overrides = VARIANTS[variant]
    secrets = {}
    if "tartware-infra:loadTest" in overrides:  # a load test needs a login; the password is a secret
        secrets["tartware-infra:loadTestPassword"] = "scan-placeholder"
    if overrides.get("tartware-infra:operatorAccess") == "sso":
        secrets["tartware-infra:operatorSsoClientSecret"] = "scan-placeholder"
    return stack, overrides, secrets


def variant_config(variant: str) -> tuple[str, dict[str, str], list[str]]:
    """(stack, config, secret keys) of a variant (``variant_overrides`` applied to the stack's file)."""
    stack, overrides, secrets = variant_overrides(variant)
    return (stack, *stack_config(stack, overrides=overrides, secrets=secrets))


_VARIANT_SYSTEMS: dict[str, SystemRender] = {}


def variant_system(variant: str, keep: bool = True) -> SystemRender:
    """The whole system of a variant, named after it; with ``keep``, rendered once per process (the
    tests' session cache; the scan renders each variant once and keeps none)."""
    if variant in _VARIANT_SYSTEMS:
        return _VARIANT_SYSTEMS[variant]
    system = render_system(run_program(*variant_config(variant)))
    system.stack = variant
    if keep:
        _VARIANT_SYSTEMS[variant] = system
    return system


def stack_docs(variant: str) -> list[dict[str, Any]]:
    """The whole system of a scan variant: every release rendered from its chart source, plus the
    objects the program creates directly. Releases whose chart is not in the repository are reported
    on stderr."""
    system = variant_system(variant, keep=False)
    for line in skipped_report(system):
        print(f"WARNING [{variant}]: {line}", file=sys.stderr)
    return system.docs


def object_key(doc: dict[str, Any]) -> str:
    """Content address of one object: the variants share most objects, which are scanned once."""
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[:16]


def write_objects(objects: dict[str, dict[str, Any]], out: Path) -> None:
    """One file per distinct object, named ``<content key>-<kind>-<namespace>-<name>.yaml``."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    for key, doc in objects.items():
        (out / f"{key}-{object_filename(doc)}").write_text(dump(doc))


def run_checkov(checkov: Path, folder: Path) -> dict[str, Any]:
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CKV_SKIP_PACKAGE_UPDATE_CHECK="true")
    proc = subprocess.run(
        [str(checkov), "--framework", "kubernetes", "--skip-download", "-o", "json", "-d", str(folder)],
        capture_output=True, text=True, env=env, cwd=folder,
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"checkov failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    return report[0] if isinstance(report, list) else report


def report_for(keys: set[str], reports: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The part of checkov's reports about the objects ``keys`` (files are named by content key), in
    checkov's own report shape."""
    passed: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for report in reports:
        results = report.get("results") or {}
        for kind, into in (("passed_checks", passed), ("failed_checks", failed)):
            into.extend(c for c in results.get(kind) or []
                        if Path(c.get("file_path", "")).name.split("-", 1)[0] in keys)
    resources = {(c.get("file_path"), c["resource"]) for c in passed + failed}
    return {"summary": {"passed": len(passed), "failed": len(failed), "resource_count": len(resources)},
            "results": {"passed_checks": passed, "failed_checks": failed}}


def evaluate(stack: str, report: dict[str, Any], skips: Iterable[Skip]) -> tuple[list[str], dict[str, int]]:
    """Unexplained failures (as lines) and the summary counts."""
    skips = list(skips)
    summary = report.get("summary", {})
    failed = (report.get("results") or {}).get("failed_checks") or []
    unexplained = [
        f"{c['check_id']} {c['check_name']}: {_short(c['resource'])} ({c.get('file_path', '')})"
        for c in failed
        if not any(s.covers(stack, c["check_id"], c["resource"]) for s in skips)
    ]
    return unexplained, {k: int(summary.get(k, 0)) for k in ("passed", "failed", "resource_count")}


def _short(resource: str, limit: int = 100) -> str:
    return resource if len(resource) <= limit else resource[:limit] + "..."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", action="append", choices=sorted(VARIANTS),
                        help="variant(s) to scan (default: all)")
    parser.add_argument("--checkov", type=Path, default=Path(os.environ.get("CHECKOV", DEFAULT_CHECKOV)))
    args = parser.parse_args(argv)
    args.checkov = args.checkov.resolve()  # checkov runs with the manifest folder as cwd
    if not args.checkov.exists():
        print(f"error: checkov not found at {args.checkov} (see .ci/run for its virtualenv)", file=sys.stderr)
        return 2
    skips = load_skips()
    status = 0
    variants = args.stack or list(VARIANTS)
    # Render every variant (the mock engine is process-wide: one after the other), then scan each
    # distinct object once: the variants share most of their objects. Two checkov processes (CI has
    # 2 cores) each take half of the objects.
    objects: dict[str, dict[str, Any]] = {}
    members: dict[str, set[str]] = {}
    for variant in variants:
        docs = stack_docs(variant)
        keyed = {object_key(d): d for d in docs}
        objects.update(keyed)
        members[variant] = set(keyed)
    keys = sorted(objects)
    halves = [OUT / "objects-1", OUT / "objects-2"]
    for i, folder in enumerate(halves):
        write_objects({k: objects[k] for k in keys[i::2]}, folder)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda folder: run_checkov(args.checkov, folder), halves))
    print(f"checkov: {len(objects)} distinct objects across {len(variants)} variants")
    for variant in variants:
        stack = VARIANTS[variant][0]
        unexplained, summary = evaluate(stack, report_for(members[variant], reports), skips)
        print(f"checkov [{variant}]: {len(members[variant])} objects, {summary['resource_count']} resources scanned, "
              f"{summary['passed']} passed, {summary['failed']} failed, {len(unexplained)} unexplained")
        if summary["resource_count"] == 0 or summary["passed"] + summary["failed"] == 0:
            print(f"error: checkov produced no results for {variant}: the scan did not run", file=sys.stderr)
            status = 1
        for line in unexplained:
            print(f"  UNEXPLAINED {line}", file=sys.stderr)
        if unexplained:
            status = 1
    return status

if __name__ == "__main__":
    sys.exit(main())
