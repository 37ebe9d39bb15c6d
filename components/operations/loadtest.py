"""In-cluster load tests in ``tartware-ops``: k6 (smoke, load) and Locust (the guide's alternative).

* ``smoke``: one k6 pod runs ``smoke.js`` (2 VUs, 30 s) and keeps its summary
  (``--summary-export``) on the claim ``load-test-results``.
* ``load``: an Indexed Job of ``GeneratorSizing.pods`` k6 pods; each runs the execution segment of
  its index of the same 20,000 req/s scenario (``load.js``), starts paused with its REST API on
  :6565 and writes its samples to Prometheus (remote write, testid=<job>). A coordinator Job
  (``coordinator.js``) resumes all of them at once when every one is up, waits for the run to
  end, and evaluates the guide's thresholds on the whole run from Prometheus; its summary goes to
  ``/results/<job>.json`` on ``load-test-results`` and to its log. Each generator index fails on
  its own (``backoffLimitPerIndex: 0``), so one failing pod neither stops the others nor erases
  what they wrote.
* ``locust``: a Locust master (web UI :8089, routed as ``locust.<domain>`` through the Istio
  gateway) and workers running ``loadtest/locust/locustfile.py`` from a ConfigMap, with the
  guide's 5000 users and spawn rate 100/s.

Both tools drive the one request mix ``loadtest/mix.json`` (shipped in their ConfigMaps next to the
scripts, in the repository's own layout) and call the target ``LoadTestSettings.endpoint`` gives:
the in-cluster istio-ingressgateway Service with ``Host: api.<domain>`` (the edge path: gateway
and per-client limit, every generator below ``edgeRateLimit``), or the api-gateway Service. Both
reach the app from inside the cluster over plain HTTP on every target: no DNS name or CA is needed.

Every pod runs as a high non-root UID (>= 10000), read-only root filesystem, no capabilities,
seccomp RuntimeDefault, no service-account token.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from facts import catalog, versions
from facts.endpoints import LOAD_TEST_POD_LABELS, OBSERVABILITY_NAMESPACE, OPS_NAMESPACE, service_host
from settings.ops import EdgePath, LoadTestSettings

from ..base import TartwareComponent
from ..kit import Allow, Peer, restricted_container_security

ROOT = Path(__file__).resolve().parent.parent.parent
LOADTEST_DIR = ROOT / "loadtest"
K6_DIR = LOADTEST_DIR / "k6"
MIX_FILE = "mix.json"  # loadtest/mix.json: the request mix both tools read
LOCUST_FILE = "locust/locustfile.py"
# the web UI's own login (--web-login), loaded by the master next to the locustfile
LOCUST_WEB_LOGIN_FILE = "locust/web_login.py"
LOCUST_WEB_LOGIN_SECRET = "locust-web-login"  # keys username, password (generated)
LOCUST_WEB_USER = "locust"
# The ConfigMaps are mounted in the repository's layout under loadtest/, so the scripts' relative
# paths (k6: open('../mix.json') in the entry script; Locust: Path(__file__).parent.parent) hold.
K6_MOUNT = "/loadtest"
LOCUST_MOUNT = "/mnt/loadtest"
LABELS = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}
SKIP_AWAIT = {"pulumi.com/skipAwait": "true"}
K6_UID = 10012  # any non-root UID runs k6 (the image's own user is 12345)
LOCUST_UID = 10013
K6_API_PORT = 6565  # k6 REST API (grafana/k6@v1.7.1 internal/cmd/root.go --address)
LOCUST_WEB_PORT = 8089  # locust 2.47.0 locust/argument_parser.py --web-port default
LOCUST_MASTER_PORT = 5557  # --master-port default
LOCUST_POD_LABELS = {"app.kubernetes.io/name": "locust"}
RESULTS_CLAIM = "load-test-results"
CREDENTIALS_SECRET = "k6-credentials"
SECRETS_DIR = "/secrets"
SECRET_VOLUME = {"name": "credentials", "secret": {"secretName": CREDENTIALS_SECRET, "defaultMode": 0o440,
                                                   "items": [{"key": "password", "path": "password"}]}}
SECRET_MOUNT = {"name": "credentials", "mountPath": SECRETS_DIR, "readOnly": True}
WEB_LOGIN_DIR = "/secrets-web-login"
GENERATORS_SERVICE = "k6-generators"
START_TIMEOUT_SECONDS = 900  # how long the coordinator waits for every generator to be up
# Prometheus replica 0 through the operator's governing Service ``prometheus-operated``
# (prometheus-operator: StatefulSet prometheus-<name>, Service prometheus-operated): with several
# replicas behind the kps Service, remote writes would be split between them and no replica would
# hold the whole run.
PROMETHEUS_POD = "prometheus-kube-prometheus-stack-prometheus-0"
PROMETHEUS_URL = f"http://{PROMETHEUS_POD}.{service_host('prometheus-operated', OBSERVABILITY_NAMESPACE)}:9090"
PROMETHEUS_POD_LABELS = {"app.kubernetes.io/name": "prometheus"}


@dataclass(frozen=True)
class LoadTestArgs:
    load_test: LoadTestSettings
    domain: str
    namespace: pulumi.Resource  # tartware-ops
    release: pulumi.Resource  # the Tartware release under test
    ui_host: Optional[str] = None  # Locust's web UI host on the gateway; None: not routed (port-forward)
    edge: EdgePath = EdgePath(False, "", "", 0)  # PlatformSettings.load_test_edge
    edge_ready: Sequence[pulumi.Resource] = ()  # PlatformHandle.edge: awaited when the test goes through the edge


def k6_files(root: Path = LOADTEST_DIR) -> dict[str, str]:
    """What the k6 pods read, by path relative to loadtest/: the scripts and data files under k6/
    (``k6/lib/config.js``, ``k6/coordinator-queries.json``, ...) and the request mix."""
    files = {str(p.relative_to(root)): p.read_text() for p in sorted((root / "k6").rglob("*"))
             if p.suffix in (".js", ".json")}
    files[MIX_FILE] = (root / MIX_FILE).read_text()
    return files


def locust_files(root: Path = LOADTEST_DIR) -> dict[str, str]:
    """What the Locust pods read, by path relative to loadtest/: the locustfile, the web UI's login
    (the master loads it) and the request mix."""
    return {path: (root / path).read_text() for path in (LOCUST_FILE, LOCUST_WEB_LOGIN_FILE, MIX_FILE)}


def configmap_key(relative_path: str) -> str:
    """ConfigMap keys cannot hold '/': ``lib/config.js`` -> ``lib__config.js``."""
    return relative_path.replace("/", "__")


def pod_spec(labels: dict, uid: int, containers: list, volumes: list, restart: str = "Never", **extra) -> dict:
    security = {"runAsNonRoot": True, "runAsUser": uid, "runAsGroup": uid, "fsGroup": uid,
                "seccompProfile": {"type": "RuntimeDefault"}}
    return {"metadata": {"labels": labels},
            "spec": {"restartPolicy": restart, "automountServiceAccountToken": False, "securityContext": security,
                     **extra, "containers": containers, "volumes": volumes}}


def network_allows(lt: Optional[LoadTestSettings], gateway_labels: dict[str, str], gateway_namespace: str,
                   ui_routed: bool = True) -> list[Allow]:
    """Ingress the load test needs inside tartware-ops (everything else stays denied); the gateway reaches
    Locust's UI only where it is routed (not with operatorAccess=internal)."""
    if lt is None:
        return []
    if lt.profile == "load":  # the coordinator resumes and polls the generators
        return [Allow("allow-k6-coordinator", {**LOAD_TEST_POD_LABELS, "app.kubernetes.io/component": "generator"},
                      [Peer(OPS_NAMESPACE, {**LOAD_TEST_POD_LABELS, "app.kubernetes.io/component": "coordinator"})],
                      (K6_API_PORT,))]
    if lt.profile == "locust":
        master = {**LOCUST_POD_LABELS, "app.kubernetes.io/component": "master"}
        return [Allow("allow-locust-workers", master, [Peer(OPS_NAMESPACE, LOCUST_POD_LABELS)], (LOCUST_MASTER_PORT,)),
                *([Allow("allow-locust-ui", master, [Peer(gateway_namespace, gateway_labels)], (LOCUST_WEB_PORT,))]
                  if ui_routed else [])]
    return []


class LoadTest(TartwareComponent):
    AREA = "ops"

    def __init__(self, name: str, args: LoadTestArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        lt, domain, provider, namespace, release = (args.load_test, args.domain, self.provider, args.namespace,
                                                    args.release)
        self._name, self._provider, self._lt = name, provider, lt
        self._ui_host = args.ui_host
        self.endpoint = lt.endpoint(args.edge)
        self.sizing = lt.sizing(args.edge)
        self._edge_limit = lt.edge_limit(args.edge)
        self.accounts = lt.accounts(args.edge)
        self.job_name: Optional[str] = None
        self.summary: Optional[str] = None
        waits_for: list[pulumi.Resource] = [namespace, release]
        self.credentials = k8s.core.v1.Secret(
            f"{name}-credentials",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=CREDENTIALS_SECRET, namespace=OPS_NAMESPACE, labels=LABELS),
            type="Opaque",
            string_data={"username": lt.username, "password": lt.password},
            opts=self.child(provider, depends_on=[namespace]),
        )
        waits_for.append(self.credentials)
        if self.endpoint.path == "edge":  # the pods call istio-ingressgateway's Service: it must serve first
            waits_for += list(args.edge_ready)
        if lt.profile == "locust":
            self._locust(domain, waits_for)
        else:
            self._k6(waits_for)
        self.register_outputs({"job": self.job_name, "summary": self.summary, "tool": self.tool})

    @property
    def tool(self) -> str:
        return "locust" if self._lt.profile == "locust" else "k6"

    def _credentials_env(self, user_var: str, password_var: str) -> list[dict]:
        """The accounts' prefix and count as values; the password as a file from the Secret (never an
        env var); the target's Host header on the edge path."""
        env = [{"name": user_var, "value": self._lt.username},
               {"name": "ACCOUNTS", "value": str(self.accounts)},
               {"name": f"{password_var}_FILE", "value": f"{SECRETS_DIR}/password"}]
        if self.endpoint.host_header:
            env.append({"name": "HOST_HEADER", "value": self.endpoint.host_header})
        if self._lt.tenant_id:
            env.append({"name": "TENANT_ID", "value": self._lt.tenant_id})
        return env

    # ------------------------------------------------------------------ k6

    def _files(self, config_map: str, files: dict[str, str], waits_for: list[pulumi.Resource]) -> k8s.core.v1.ConfigMap:
        """The ConfigMap ``config_map`` holding ``files`` (keys from configmap_key), mounted by the pods."""
        return k8s.core.v1.ConfigMap(
            f"{self._name}-{config_map}",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=config_map, namespace=OPS_NAMESPACE, labels=LABELS),
            data={configmap_key(path): text for path, text in files.items()},
            opts=self.child(self._provider, depends_on=waits_for),
        )

    def _k6(self, waits_for: list[pulumi.Resource]) -> None:
        name, provider, lt = self._name, self._provider, self._lt
        files = k6_files()
        scripts = self._files("k6-scripts", files, waits_for[:1])
        claim = k8s.core.v1.PersistentVolumeClaim(
            f"{name}-results",
            # skipAwait: a WaitForFirstConsumer claim binds when its first pod is scheduled
            metadata=k8s.meta.v1.ObjectMetaArgs(name=RESULTS_CLAIM, namespace=OPS_NAMESPACE, labels=LABELS,
                                                annotations=SKIP_AWAIT),
            spec={"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
            opts=self.child(provider, depends_on=waits_for[:1], retain_on_delete=True),
        )
        waits_for = waits_for + [scripts, claim]
        job_name = f"k6-{lt.profile}-{lt.run_id}"
        self.job_name = job_name
        self.summary = f"{RESULTS_CLAIM}:/{job_name}.json"
        scripts_volume = {"name": "scripts", "configMap": {
            "name": "k6-scripts", "items": [{"key": configmap_key(p), "path": p} for p in files]}}
        tmp = {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}
        results = {"name": "results", "persistentVolumeClaim": {"claimName": RESULTS_CLAIM}}
        base_env = [{"name": "BASE_URL", "value": self.endpoint.url}, {"name": "K6_NO_USAGE_REPORT", "value": "true"},
                    {"name": "HOME", "value": "/tmp"}]
        mounts = [{"name": "scripts", "mountPath": K6_MOUNT, "readOnly": True}, {"name": "tmp", "mountPath": "/tmp"}]

        def container(args: list[str], env: list[dict], resources: dict, extra_mounts: list[dict] = (),
                      ports: list[dict] = ()) -> dict:
            c = {"name": "k6", "image": versions.K6_IMAGE, "imagePullPolicy": "Always", "command": ["k6"],
                 "args": args, "env": env, "resources": resources,
                 "securityContext": restricted_container_security(K6_UID),
                 "volumeMounts": mounts + list(extra_mounts)}
            if ports:
                c["ports"] = list(ports)
            return c

        def job(resource: str, job: str, component: str, spec: dict, template: dict) -> k8s.batch.v1.Job:
            # skipAwait: `pulumi up` starts the test and returns; the verdict is the summary
            return k8s.batch.v1.Job(
                f"{name}-{resource}",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=job, namespace=OPS_NAMESPACE, annotations=SKIP_AWAIT,
                                                    labels={**LABELS, **LOAD_TEST_POD_LABELS,
                                                            "app.kubernetes.io/component": component,
                                                            "tartware.io/load-test": job_name}),
                spec={**spec, "template": template},
                opts=self.child(provider, depends_on=waits_for),
            )

        small = {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1000m", "memory": "512Mi"}}
        if lt.profile == "smoke":
            labels = {**LABELS, **LOAD_TEST_POD_LABELS, "app.kubernetes.io/component": "generator",
                      "tartware.io/load-test": job_name}
            args = ["run", "--no-color", f"--summary-export=/results/{job_name}.json", f"{K6_MOUNT}/k6/smoke.js"]
            self.job = job("k6-smoke", job_name, "generator", {"backoffLimit": 0}, pod_spec(
                labels, K6_UID, [container(args, base_env + self._credentials_env("K6_USERNAME", "K6_PASSWORD"), small,
                                           [{"name": "results", "mountPath": "/results"}, SECRET_MOUNT])],
                [scripts_volume, tmp, results, SECRET_VOLUME]))
            return

        s = self.sizing
        labels = {**LABELS, **LOAD_TEST_POD_LABELS, "app.kubernetes.io/component": "generator",
                  "tartware.io/load-test": job_name}
        headless = k8s.core.v1.Service(
            f"{name}-generators",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=GENERATORS_SERVICE, namespace=OPS_NAMESPACE, labels=LABELS),
            spec={"clusterIP": "None", "selector": {"tartware.io/load-test": job_name,
                                                    "app.kubernetes.io/component": "generator"},
                  "ports": [{"name": "k6-api", "port": K6_API_PORT, "targetPort": K6_API_PORT}]},
            opts=self.child(provider, depends_on=waits_for[:1]),
        )
        waits_for.append(headless)
        env = base_env + self._credentials_env("K6_USERNAME", "K6_PASSWORD") + [
            # the whole scenario; each pod runs its execution segment (load.js)
            {"name": "RATE", "value": str(lt.rate)},
            {"name": "DURATION", "value": lt.duration},
            {"name": "PRE_ALLOCATED_VUS", "value": str(s.pre_allocated_vus * s.pods)},
            {"name": "MAX_VUS", "value": str(s.max_vus * s.pods)},
            {"name": "GENERATORS", "value": str(s.pods)},
            # load.js tags every sample testid=<TESTID>, generator=<JOB_COMPLETION_INDEX> (set by
            # Kubernetes in every pod of an Indexed Job): one series per pod in Prometheus
            {"name": "TESTID", "value": job_name},
            {"name": "K6_PROMETHEUS_RW_SERVER_URL", "value": f"{PROMETHEUS_URL}/api/v1/write"},
            {"name": "K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM", "value": "true"},
        ]
        args = ["run", "--no-color", "--paused", "--address", f"0.0.0.0:{K6_API_PORT}", "--no-thresholds",
                "--out", "experimental-prometheus-rw", f"{K6_MOUNT}/k6/load.js"]
        resources = {"requests": {"cpu": f"{s.cpu_request_millicores}m", "memory": f"{s.memory_request_mib}Mi"},
                     "limits": {"cpu": f"{s.cpu_limit_millicores}m", "memory": f"{s.memory_limit_mib}Mi"}}
        # paused generators wait for the coordinator: never longer than start + run + 30 min
        deadline = START_TIMEOUT_SECONDS + lt.duration_seconds + 1800
        self.generators = job("k6-load", job_name, "generator", {
            "activeDeadlineSeconds": deadline,
            "completionMode": "Indexed",
            "completions": s.pods,
            "parallelism": s.pods,
            # each index fails alone: the others keep running and keep what they wrote
            "backoffLimitPerIndex": 0,
            "maxFailedIndexes": s.pods,
        }, pod_spec(labels, K6_UID, [container(args, env, resources, [SECRET_MOUNT], ports=[
            {"name": "k6-api", "containerPort": K6_API_PORT}])], [scripts_volume, tmp, SECRET_VOLUME],
            subdomain=GENERATORS_SERVICE,  # pod DNS <job>-<index>.k6-generators.tartware-ops.svc
            topologySpreadConstraints=[{
                # one generator per node where possible: they must not share a NIC or CPUs
                "maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": {"tartware.io/load-test": job_name,
                                                  "app.kubernetes.io/component": "generator"}},
            }]))
        hosts = ",".join(f"{job_name}-{i}.{service_host(GENERATORS_SERVICE, OPS_NAMESPACE)}:{K6_API_PORT}"
                         for i in range(s.pods))
        coordinator_labels = {**LABELS, **LOAD_TEST_POD_LABELS, "app.kubernetes.io/component": "coordinator",
                              "tartware.io/load-test": job_name}
        coordinator_env = [
            {"name": "GENERATOR_HOSTS", "value": hosts},
            {"name": "PROMETHEUS_URL", "value": PROMETHEUS_URL},
            {"name": "TESTID", "value": job_name},
            {"name": "GENERATORS", "value": str(s.pods)},
            {"name": "RATE", "value": str(lt.rate)},
            {"name": "DURATION_SECONDS", "value": str(lt.duration_seconds)},
            {"name": "START_TIMEOUT_SECONDS", "value": str(START_TIMEOUT_SECONDS)},
            {"name": "K6_NO_USAGE_REPORT", "value": "true"},
            {"name": "HOME", "value": "/tmp"},
        ]
        self.coordinator = job("k6-coordinator", f"{job_name}-summary", "coordinator", {
            "backoffLimit": 0, "activeDeadlineSeconds": deadline + 600}, pod_spec(
            coordinator_labels, K6_UID,
            [container(["run", "--no-color", f"{K6_MOUNT}/k6/coordinator.js"], coordinator_env, small,
                       [{"name": "results", "mountPath": "/results"}])],
            [scripts_volume, tmp, results]))

    # ------------------------------------------------------------------ Locust

    def _locust(self, domain: str, waits_for: list[pulumi.Resource]) -> None:
        name, provider, lt = self._name, self._provider, self._lt
        loc = lt.locust
        workers = loc.workers(self._edge_limit)
        self.job_name = "locust"
        ui = (f"https://{self._ui_host}" if self._ui_host
              else f"kubectl -n {OPS_NAMESPACE} port-forward svc/locust-master {LOCUST_WEB_PORT}")
        self.summary = f"{ui} (web UI: statistics, charts, CSV download)"
        files = locust_files()
        config = self._files("locustfile", files, waits_for[:1])
        # the UI's own login: one account, its password generated (kubectl -n tartware-ops get secret
        # locust-web-login -o jsonpath='{.data.password}' | base64 -d)
        self.web_password = random.RandomPassword(f"{name}-locust-web-login", length=24, special=False,
                                                  min_lower=2, min_upper=2, min_numeric=2, opts=self.child())
        self.web_login = k8s.core.v1.Secret(
            f"{name}-locust-web-login",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=LOCUST_WEB_LOGIN_SECRET, namespace=OPS_NAMESPACE, labels=LABELS),
            type="Opaque",
            string_data={"username": LOCUST_WEB_USER, "password": pulumi.Output.secret(self.web_password.result)},
            opts=self.child(provider, depends_on=waits_for[:1]),
        )
        waits_for = waits_for + [config, self.web_login]
        volumes = [{"name": "locustfile", "configMap": {
                       "name": "locustfile", "items": [{"key": configmap_key(p), "path": p} for p in files]}},
                   {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}, SECRET_VOLUME]
        mounts = [{"name": "locustfile", "mountPath": LOCUST_MOUNT, "readOnly": True},
                  {"name": "tmp", "mountPath": "/tmp"}, SECRET_MOUNT]
        env = ([{"name": "HOME", "value": "/tmp"}, {"name": "WORKERS", "value": str(workers)}]
               + self._credentials_env("LOCUST_USERNAME", "LOCUST_PASSWORD"))
        common = ["locust", "-f", f"{LOCUST_MOUNT}/{LOCUST_FILE}", "--host", self.endpoint.url]
        # the master serves the UI: --web-login (locust 2.47.0 argument_parser.py) with web_login.py
        web_login = {
            "args": ["-f", f"{LOCUST_MOUNT}/{LOCUST_FILE},{LOCUST_MOUNT}/{LOCUST_WEB_LOGIN_FILE}", "--web-login"],
            "env": [{"name": "LOCUST_WEB_USERNAME", "value": LOCUST_WEB_USER},
                    {"name": "LOCUST_WEB_PASSWORD_FILE", "value": f"{WEB_LOGIN_DIR}/password"}],
            "volume": {"name": "web-login", "secret": {"secretName": LOCUST_WEB_LOGIN_SECRET, "defaultMode": 0o440,
                                                       "items": [{"key": "password", "path": "password"}]}},
            "mount": {"name": "web-login", "mountPath": WEB_LOGIN_DIR, "readOnly": True},
        }

        def deployment(role: str, replicas: int, args: list[str], resources: dict, ports: list[dict],
                       probe: Optional[dict]) -> k8s.apps.v1.Deployment:
            labels = {**LABELS, **LOCUST_POD_LABELS, "app.kubernetes.io/component": role}
            master = role == "master"
            c: dict[str, Any] = {"name": "locust", "image": versions.LOCUST_IMAGE, "imagePullPolicy": "Always",
                                 # a later -f wins (argparse): the master also loads the login module
                                 "command": common + (web_login["args"] if master else []) + args,
                                 "env": env + (web_login["env"] if master else []), "resources": resources,
                                 "securityContext": restricted_container_security(LOCUST_UID),
                                 "volumeMounts": mounts + ([web_login["mount"]] if master else [])}
            if ports:
                c["ports"] = ports
            if probe:
                c["readinessProbe"] = probe
                c["livenessProbe"] = {**probe, "initialDelaySeconds": 30}
            return k8s.apps.v1.Deployment(
                f"{name}-locust-{role}",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=f"locust-{role}", namespace=OPS_NAMESPACE, labels=labels),
                spec={"replicas": replicas, "selector": {"matchLabels": {**LOCUST_POD_LABELS,
                                                                         "app.kubernetes.io/component": role}},
                      "template": pod_spec(labels, LOCUST_UID, [c],
                                           volumes + ([web_login["volume"]] if master else []), restart="Always")},
                opts=self.child(provider, depends_on=waits_for),
            )

        web = {"httpGet": {"path": "/", "port": LOCUST_WEB_PORT}, "periodSeconds": 10}
        self.master = deployment("master", 1, [
            "--master", "--master-port", str(LOCUST_MASTER_PORT), "--web-port", str(LOCUST_WEB_PORT),
            "--users", str(loc.users), "--spawn-rate", str(loc.spawn_rate), "--expect-workers", str(workers),
        ], {"requests": {"cpu": "500m", "memory": "512Mi"}, "limits": {"cpu": "2000m", "memory": "1Gi"}},
            [{"name": "web", "containerPort": LOCUST_WEB_PORT}, {"name": "master", "containerPort": LOCUST_MASTER_PORT}],
            web)
        self.master_service = k8s.core.v1.Service(
            f"{name}-locust-master-service",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="locust-master", namespace=OPS_NAMESPACE, labels=LABELS),
            spec={"selector": {**LOCUST_POD_LABELS, "app.kubernetes.io/component": "master"},
                  "ports": [{"name": "http-web", "port": LOCUST_WEB_PORT, "targetPort": LOCUST_WEB_PORT},
                            {"name": "tcp-master", "port": LOCUST_MASTER_PORT, "targetPort": LOCUST_MASTER_PORT}]},
            opts=self.child(provider, depends_on=waits_for[:1]),
        )
        self.workers = deployment("worker", workers, [
            "--worker", "--master-host", service_host("locust-master", OPS_NAMESPACE),
            "--master-port", str(LOCUST_MASTER_PORT),
        ], {"requests": {"cpu": "1000m", "memory": "512Mi"}, "limits": {"cpu": "1000m", "memory": "1Gi"}}, [], None)
