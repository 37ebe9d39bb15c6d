"""What CloudNativePG creates from the custom resources of a render, so the whole-system checks see it.

The operator, not Helm or Pulumi, creates a database's pods: a ``Cluster`` becomes instance Pods
(no StatefulSet), their claims, Services, PodDisruptionBudgets, certificate Secrets and a bootstrap
Job; a ``Pooler`` becomes a Deployment and a Service. None of them is in a chart, so this module
builds them from the custom resources the way CloudNativePG 1.30.0 does, field by field from its
source (cloudnative-pg/cloudnative-pg@v1.30.0):

* instance Pods: pkg/specs/pods.go ``buildInstance``/``createClusterPodSpec``/``createPostgresContainers``
  (name ``<cluster>-<n>``; labels ``cnpg.io/cluster``, ``cnpg.io/instanceName``, ``cnpg.io/podRole:
  instance``, ``app.kubernetes.io/*``; containers ``postgres`` with ports postgresql 5432, metrics
  9187, status 8000 and ``spec.resources``; init container ``bootstrap-controller`` with the same
  resources, pkg/specs/containers.go), ``GetPodSecurityContext`` (uid/gid 26, runAsNonRoot, fsGroup,
  seccomp RuntimeDefault) and ``GetSecurityContext`` (no privilege escalation, drop ALL, read-only
  root, non-root, seccomp), pkg/specs/volumes.go ``createPostgresVolumes`` (pgdata claim named after
  the pod, scratch-data and shm emptyDirs); the instance role label ``cnpg.io/instanceRole`` is set
  at run time: the first instance is modelled as the primary;
* the bootstrap Job of the first instance: pkg/specs/jobs.go ``CreatePrimaryJob`` (``<cluster>-1-<role>``,
  role initdb, import or full-recovery; the same pod spec, restartPolicy Never);
* Services ``-rw``/``-ro``/``-r``: pkg/specs/services.go; PodDisruptionBudgets ``<cluster>`` (3+
  instances) and ``<cluster>-primary``: pkg/specs/poddisruptionbudget.go; Secrets ``-ca``, ``-server``,
  ``-replication``: api/v1/cluster_types.go suffixes; the ServiceAccount named after the cluster
  (``GetServiceAccountName``, with ``serviceAccountTemplate``'s metadata);
* a Pooler's Deployment and Service: pkg/specs/pgbouncer/deployments.go ``Deployment`` (container
  ``pgbouncer``, ports pgbouncer 5432 and metrics 9127, uid 998/gid 996, the ``<cluster>-ca`` and
  ``<cluster>-server`` Secrets, init container ``bootstrap-controller`` with the pooler's resources,
  the template merged in) and services.go ``Service`` (named after the Pooler, selector
  ``cnpg.io/poolerName``);
* the Barman Cloud plugin's sidecar, injected into every instance whose cluster archives (and into
  the full-recovery Job of a cluster recovering through it): cloudnative-pg/plugin-barman-cloud@v0.13.0
  internal/cnpgi/operator/lifecycle.go ``reconcilePodSpec`` (init container ``plugin-barman-cloud``
  with restartPolicy Always, a native sidecar; its resources from the ObjectStore's
  ``instanceSidecarConfiguration``; the same hardened securityContext).
"""

from __future__ import annotations

import copy
from typing import Any, Iterable, Optional

from tools import cnpg_images

OPERATOR = "operator:cloudnative-pg"  # the origin of the objects this module adds to a render
CNPG_API = "postgresql.cnpg.io/v1"
PLUGIN_NAME = "barman-cloud.cloudnative-pg.io"
# Images the operator puts in pods it creates: its own (the bootstrap-controller init container copies
# the manager binary from it), PgBouncer's and the plugin's sidecar; read from the pinned charts by
# tools/cnpg_images.py, which refuses charts of another operator or plugin version than this model's.
_IMAGES = cnpg_images.images()
OPERATOR_IMAGE, PGBOUNCER_IMAGE, PLUGIN_SIDECAR_IMAGE = _IMAGES.operator, _IMAGES.pgbouncer, _IMAGES.plugin_sidecar
POSTGRES_UID = POSTGRES_GID = 26
PGBOUNCER_UID, PGBOUNCER_GID = 998, 996
APP_LABELS = {"app.kubernetes.io/name": "postgresql", "app.kubernetes.io/managed-by": "cloudnative-pg"}


def _meta(name: str, ns: str, labels: Optional[dict[str, str]] = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "namespace": ns, **({"labels": labels} if labels else {}), **extra}


def _seccomp(spec: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(spec.get("seccompProfile") or {"type": "RuntimeDefault"})


def container_security(spec: dict[str, Any]) -> dict[str, Any]:
    """pkg/specs/containers.go ``GetSecurityContext`` (no securityContext override in the spec)."""
    return {"seccompProfile": _seccomp(spec), "capabilities": {"drop": ["ALL"]}, "privileged": False,
            "runAsNonRoot": True, "readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False}


def pod_security(spec: dict[str, Any], uid: int = POSTGRES_UID, gid: int = POSTGRES_GID) -> dict[str, Any]:
    """pkg/specs/pods.go ``GetPodSecurityContext`` (instances, Jobs) and pgbouncer
    ``createPodSecurityContext`` (uid 998, gid 996)."""
    return {"seccompProfile": _seccomp(spec), "runAsUser": uid, "runAsGroup": gid, "runAsNonRoot": True,
            "fsGroup": gid}


# (namespace, name) -> ObjectStore; looked up with the name a Cluster gives, which it may leave out
ObjectStores = dict[tuple[str, Optional[str]], dict[str, Any]]


def object_stores(items: Iterable[dict[str, Any]]) -> ObjectStores:
    return {((d.get("metadata") or {}).get("namespace", ""), d["metadata"]["name"]): d for d in items
            if d.get("kind") == "ObjectStore" and str(d.get("apiVersion", "")).startswith("barmancloud.cnpg.io/")}


def sidecar(store: Optional[dict[str, Any]], spec: dict[str, Any]) -> dict[str, Any]:
    """The plugin's sidecar as lifecycle.go ``reconcilePodSpec`` injects it."""
    resources = copy.deepcopy((((store or {}).get("spec") or {}).get("instanceSidecarConfiguration") or {})
                              .get("resources") or {})
    return {"name": "plugin-barman-cloud", "image": PLUGIN_SIDECAR_IMAGE, "args": ["instance"],
            "restartPolicy": "Always", "resources": resources,
            "startupProbe": {"exec": {"command": ["/manager", "healthcheck", "unix"]}, "failureThreshold": 10,
                             "timeoutSeconds": 10},
            "securityContext": {"allowPrivilegeEscalation": False, "runAsNonRoot": True, "privileged": False,
                                "readOnlyRootFilesystem": True, "seccompProfile": {"type": "RuntimeDefault"},
                                "capabilities": {"drop": ["ALL"]}},
            "env": [{"name": "NAMESPACE"}, {"name": "CLUSTER_NAME"}]}


def _archive_store(cluster: dict[str, Any], stores: ObjectStores) -> Optional[dict[str, Any]]:
    """The ObjectStore the instances archive to (a plugin entry naming barmanObjectName), if any."""
    ns = cluster["metadata"].get("namespace", "")
    for plugin in (cluster.get("spec") or {}).get("plugins") or []:
        name = (plugin.get("parameters") or {}).get("barmanObjectName")
        if plugin.get("name") == PLUGIN_NAME and name and plugin.get("enabled", True):
            return stores.get((ns, name), {"metadata": {"name": name}})
    return None


def _recovery_store(cluster: dict[str, Any], stores: ObjectStores) -> Optional[dict[str, Any]]:
    spec = cluster.get("spec") or {}
    source = ((spec.get("bootstrap") or {}).get("recovery") or {}).get("source")
    for ext in spec.get("externalClusters") or []:
        plugin = ext.get("plugin") or {}
        if ext.get("name") == source and plugin.get("name") == PLUGIN_NAME:
            name = (plugin.get("parameters") or {}).get("barmanObjectName")
            return stores.get((cluster["metadata"].get("namespace", ""), name), {"metadata": {"name": name}})
    return None


def bootstrap_role(spec: dict[str, Any]) -> str:
    """pkg/specs/jobs.go: the first instance's Job (initdb, import through initdb, or full-recovery)."""
    bootstrap = spec.get("bootstrap") or {"initdb": {}}
    if "recovery" in bootstrap:
        return "full-recovery"
    if "pg_basebackup" in bootstrap:
        return "pgbasebackup"
    return "import" if (bootstrap.get("initdb") or {}).get("import") else "initdb"


def _instance_pod_spec(cluster: dict[str, Any], pod_name: str, extra_init: list[dict[str, Any]]) -> dict[str, Any]:
    spec = cluster.get("spec") or {}
    name = cluster["metadata"]["name"]
    resources = copy.deepcopy(spec.get("resources") or {})
    affinity = spec.get("affinity") or {}
    mounts = [{"name": "pgdata", "mountPath": "/var/lib/postgresql/data"},
              {"name": "scratch-data", "mountPath": "/controller"}, {"name": "shm", "mountPath": "/dev/shm"}]
    out: dict[str, Any] = {
        "hostname": pod_name,
        "initContainers": [{"name": "bootstrap-controller", "image": OPERATOR_IMAGE,
                            "command": ["/manager", "bootstrap", "/controller/manager"],
                            "resources": resources, "securityContext": container_security(spec),
                            "volumeMounts": copy.deepcopy(mounts)}, *extra_init],
        "containers": [],
        "volumes": [{"name": "pgdata", "persistentVolumeClaim": {"claimName": pod_name}},
                    {"name": "scratch-data", "emptyDir": {}},
                    {"name": "shm", "emptyDir": {"medium": "Memory"}}],
        "securityContext": pod_security(spec),
        "serviceAccountName": spec.get("serviceAccountName") or name,
    }
    for key in ("nodeSelector", "tolerations"):
        if affinity.get(key):
            out[key] = copy.deepcopy(affinity[key])
    if spec.get("topologySpreadConstraints"):
        out["topologySpreadConstraints"] = copy.deepcopy(spec["topologySpreadConstraints"])
    return out


def _postgres_container(cluster: dict[str, Any], command: list[str], name: str = "postgres",
                        ports: bool = True) -> dict[str, Any]:
    spec = cluster.get("spec") or {}
    c: dict[str, Any] = {"name": name, "image": spec.get("imageName", ""), "command": command,
                         "resources": copy.deepcopy(spec.get("resources") or {}),
                         "securityContext": container_security(spec),
                         "volumeMounts": [{"name": "pgdata", "mountPath": "/var/lib/postgresql/data"},
                                          {"name": "scratch-data", "mountPath": "/controller"},
                                          {"name": "shm", "mountPath": "/dev/shm"}]}
    if ports:  # an instance (not a Job): its ports and the instance manager's probes (createPostgresContainers)
        c["ports"] = [{"name": "postgresql", "containerPort": 5432, "protocol": "TCP"},
                      {"name": "metrics", "containerPort": 9187, "protocol": "TCP"},
                      {"name": "status", "containerPort": 8000, "protocol": "TCP"}]
        for probe, path in (("startupProbe", "/startupz"), ("readinessProbe", "/readyz"),
                            ("livenessProbe", "/healthz")):
            c[probe] = {"httpGet": {"path": path, "port": 8000}, "timeoutSeconds": 5}
    return c


def cluster_objects(cluster: dict[str, Any], stores: ObjectStores) -> list[dict[str, Any]]:
    spec = cluster.get("spec") or {}
    name, ns = cluster["metadata"]["name"], cluster["metadata"].get("namespace", "default")
    instances = int(spec.get("instances", 1))
    common = {**APP_LABELS, "app.kubernetes.io/instance": name, "app.kubernetes.io/component": "database",
              "cnpg.io/cluster": name}
    archive = _archive_store(cluster, stores)
    out: list[dict[str, Any]] = []
    sa_meta = (spec.get("serviceAccountTemplate") or {}).get("metadata") or {}
    out.append({"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": _meta(spec.get("serviceAccountName") or name, ns, {**sa_meta.get("labels", {})} or None,
                                  **({"annotations": dict(sa_meta["annotations"])}
                                     if sa_meta.get("annotations") else {}))})
    for suffix in ("-ca", "-server", "-replication"):
        out.append({"apiVersion": "v1", "kind": "Secret",
                    "metadata": _meta(name + suffix, ns, {"cnpg.io/cluster": name}),
                    "type": "kubernetes.io/tls" if suffix != "-ca" else "Opaque"})
    port = [{"name": "postgres", "port": 5432, "targetPort": 5432, "protocol": "TCP"}]
    for role, selector in (("rw", {"cnpg.io/cluster": name, "cnpg.io/instanceRole": "primary"}),
                           ("ro", {"cnpg.io/cluster": name, "cnpg.io/instanceRole": "replica"}),
                           ("r", {"cnpg.io/cluster": name, "cnpg.io/podRole": "instance"})):
        out.append({"apiVersion": "v1", "kind": "Service", "metadata": _meta(f"{name}-{role}", ns, dict(common)),
                    "spec": {"type": "ClusterIP", "ports": copy.deepcopy(port), "selector": selector}})
    if instances >= 3:
        out.append({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta(name, ns, dict(common)),
                    "spec": {"minAvailable": instances - 2,
                             "selector": {"matchLabels": {"cnpg.io/cluster": name,
                                                          "cnpg.io/instanceRole": "replica"}}}})
    out.append({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                "metadata": _meta(f"{name}-primary", ns, dict(common)),
                "spec": {"minAvailable": 1,
                         "selector": {"matchLabels": {"cnpg.io/cluster": name, "cnpg.io/instanceRole": "primary"}}}})
    storage = spec.get("storage") or {}
    for n in range(1, instances + 1):
        pod_name = f"{name}-{n}"
        claim: dict[str, Any] = {"accessModes": ["ReadWriteOnce"],
                                 "resources": {"requests": {"storage": storage.get("size", "1Gi")}}}
        if storage.get("storageClass"):
            claim["storageClassName"] = storage["storageClass"]
        out.append({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                    "metadata": _meta(pod_name, ns, {**common, "cnpg.io/instanceName": pod_name}), "spec": claim})
        labels = {**common, "cnpg.io/instanceName": pod_name, "cnpg.io/podRole": "instance",
                  "cnpg.io/instanceRole": "primary" if n == 1 else "replica"}
        pod_spec = _instance_pod_spec(cluster, pod_name, [sidecar(archive, spec)] if archive is not None else [])
        pod_spec["containers"] = [_postgres_container(cluster, ["/controller/manager", "instance", "run"])]
        out.append({"apiVersion": "v1", "kind": "Pod", "metadata": _meta(pod_name, ns, labels), "spec": pod_spec})
    role = bootstrap_role(spec)
    job_name = f"{name}-1-{role}"
    job_labels = {**common, "cnpg.io/instanceName": f"{name}-1", "cnpg.io/jobRole": role}
    recovery = _recovery_store(cluster, stores) if role == "full-recovery" else None
    job_spec = _instance_pod_spec(cluster, f"{name}-1", [sidecar(recovery, spec)] if recovery is not None else [])
    job_spec["hostname"] = job_name
    job_spec["containers"] = [_postgres_container(cluster, ["/controller/manager", "instance", role], name=role,
                                                  ports=False)]
    job_spec["restartPolicy"] = "Never"
    out.append({"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta(job_name, ns, job_labels),
                "spec": {"template": {"metadata": {"labels": job_labels}, "spec": job_spec}}})
    return out


def _merge_containers(base: list[dict[str, Any]], template: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Pooler's template containers with the operator's fields filled in (podspec builder: a
    template's own value wins where the operator does not overwrite, e.g. resources; the ports,
    mounts and securityContext are the operator's)."""
    out = [copy.deepcopy(t) for t in template or []]
    for b in base:
        target = next((c for c in out if c.get("name") == b["name"]), None)
        if target is None:
            out.insert(0, copy.deepcopy(b))
            continue
        for key, value in b.items():
            if key in ("securityContext", "ports", "volumeMounts") or key not in target:
                target[key] = copy.deepcopy(value)
    return out


def pooler_objects(pooler: dict[str, Any], clusters: dict[tuple[str, str], dict[str, Any]]) -> list[dict[str, Any]]:
    spec = pooler.get("spec") or {}
    name, ns = pooler["metadata"]["name"], pooler["metadata"].get("namespace", "default")
    cluster_name = (spec.get("cluster") or {}).get("name", "")
    cluster_spec = (clusters.get((ns, cluster_name)) or {}).get("spec") or {}
    template = spec.get("template") or {}
    tspec = template.get("spec") or {}
    labels = {**((template.get("metadata") or {}).get("labels") or {}), "cnpg.io/poolerName": name,
              "cnpg.io/cluster": cluster_name, "cnpg.io/podRole": "pooler", **APP_LABELS,
              "app.kubernetes.io/instance": cluster_name, "app.kubernetes.io/component": "pooler"}
    pgbouncer = {"name": "pgbouncer", "image": PGBOUNCER_IMAGE, "command": ["/controller/manager", "pgbouncer", "run"],
                 "ports": [{"name": "pgbouncer", "containerPort": 5432}, {"name": "metrics", "containerPort": 9127}],
                 "readinessProbe": {"tcpSocket": {"port": 5432}, "timeoutSeconds": 5},
                 "securityContext": container_security(cluster_spec),
                 "volumeMounts": [{"name": "scratch-data", "mountPath": "/controller"}]}
    containers = _merge_containers([pgbouncer], tspec.get("containers") or [])
    found: Optional[dict[str, Any]] = next((c.get("resources") for c in containers if c["name"] == "pgbouncer"), {})
    resources: dict[str, Any] = copy.deepcopy(found or {})
    pod_spec = {k: copy.deepcopy(v) for k, v in tspec.items() if k not in ("containers", "initContainers", "volumes")}
    pod_spec.update({
        "initContainers": [{"name": "bootstrap-controller", "image": OPERATOR_IMAGE,
                            "command": ["/manager", "bootstrap", "/controller/manager"], "resources": resources,
                            "securityContext": container_security(cluster_spec),
                            "volumeMounts": [{"name": "scratch-data", "mountPath": "/controller"}]}],
        "containers": containers,
        "volumes": [{"name": "ca", "secret": {"secretName": f"{cluster_name}-ca"}},
                    {"name": "server-tls", "secret": {"secretName": f"{cluster_name}-server"}},
                    {"name": "scratch-data", "emptyDir": {}}, *copy.deepcopy(tspec.get("volumes") or [])],
        "securityContext": pod_security(cluster_spec, PGBOUNCER_UID, PGBOUNCER_GID),
        "serviceAccountName": spec.get("serviceAccountName") or name,
    })
    meta_labels = {k: v for k, v in labels.items() if k != "cnpg.io/instanceName"}
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(name, ns)},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": _meta(name, ns, dict(meta_labels)),
         "spec": {"replicas": int(spec.get("instances", 1)), "selector": {"matchLabels": {"cnpg.io/poolerName": name}},
                  "template": {"metadata": {"labels": labels}, "spec": pod_spec}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, ns, dict(meta_labels)),
         "spec": {"type": "ClusterIP", "selector": {"cnpg.io/poolerName": name},
                  "ports": [{"name": "pgbouncer", "port": 5432, "targetPort": "pgbouncer", "protocol": "TCP"}]}},
    ]


def operator_objects(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Everything CloudNativePG creates for the Clusters and Poolers among ``docs``."""
    docs = list(docs)
    stores = object_stores(docs)
    clusters = {((d.get("metadata") or {}).get("namespace", ""), d["metadata"]["name"]): d for d in docs
                if d.get("kind") == "Cluster" and d.get("apiVersion") == CNPG_API}
    out: list[dict[str, Any]] = []
    for cluster in clusters.values():
        out += cluster_objects(cluster, stores)
    for d in docs:
        if d.get("kind") == "Pooler" and d.get("apiVersion") == CNPG_API:
            out += pooler_objects(d, clusters)
    return out
