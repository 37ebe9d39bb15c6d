"""Pod Security Standards, as the Pod Security Admission controller enforces them.

Each check below re-implements one file of kubernetes/kubernetes@v1.32.0
staging/src/k8s.io/pod-security-admission/policy/ (the same rules hold for Kubernetes 1.28-1.35 except
where a version is noted). A namespace's level is its ``pod-security.kubernetes.io/enforce`` label;
a namespace without the label gets the admission default, ``privileged``
(pod-security-admission/admission/api/v1/types.go ``Defaults``). ``restricted`` includes baseline.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from tools.conformance.pods import PodTemplate, pod_templates
from tools.system import SystemRender

LEVELS = ("privileged", "baseline", "restricted")
ENFORCE = "pod-security.kubernetes.io/enforce"

# check_capabilities_baseline.go: capabilities.add only from this set
BASELINE_CAPABILITIES = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                         "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
# check_sysctls.go: the safe set (ip_local_reserved_ports since 1.27; tcp_keepalive_* and
# tcp_fin_timeout since 1.29)
SAFE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes"}
# check_seLinuxOptions.go: allowed types (container_engine_t since 1.31)
SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
# check_restrictedVolumes.go: the only inline volume sources restricted allows
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                      "projected", "secret"}


def _sc(c: dict[str, Any]) -> dict[str, Any]:
    return c.get("securityContext") or {}


def _all(pod: PodTemplate) -> list[dict[str, Any]]:
    return pod.containers(init=True) + list(pod.spec.get("ephemeralContainers") or [])


# ---------------------------------------------------------------------------------- baseline


def host_namespaces(pod: PodTemplate) -> list[str]:  # check_hostNamespaces.go
    return [f"{k}=true" for k in ("hostNetwork", "hostPID", "hostIPC") if pod.spec.get(k)]


def privileged(pod: PodTemplate) -> list[str]:  # check_privileged.go
    return [f"container {c['name']}: privileged" for c in _all(pod) if _sc(c).get("privileged")]


def capabilities_baseline(pod: PodTemplate) -> list[str]:  # check_capabilities_baseline.go
    out = []
    for c in _all(pod):
        bad = [cap for cap in ((_sc(c).get("capabilities") or {}).get("add") or []) if cap not in BASELINE_CAPABILITIES]
        if bad:
            out.append(f"container {c['name']}: adds capabilities {bad}")
    return out


def host_path_volumes(pod: PodTemplate) -> list[str]:  # check_hostPathVolumes.go
    return [f"hostPath volume {v['name']}" for v in pod.spec.get("volumes") or [] if "hostPath" in v]


def host_ports(pod: PodTemplate) -> list[str]:  # check_hostPorts.go
    return [f"container {c['name']}: hostPort {p['hostPort']}" for c in _all(pod) for p in c.get("ports") or []
            if p.get("hostPort")]


def apparmor(pod: PodTemplate) -> list[str]:  # check_appArmorProfile.go
    out = []
    ann = pod.metadata.get("annotations") or {}
    for k, v in ann.items():
        if k.startswith("container.apparmor.security.beta.kubernetes.io/") and not (
                v == "runtime/default" or str(v).startswith("localhost/")):
            out.append(f"annotation {k}={v}")
    profiles = [("pod", (pod.spec.get("securityContext") or {}).get("appArmorProfile"))]
    profiles += [(f"container {c['name']}", _sc(c).get("appArmorProfile")) for c in _all(pod)]
    out += [f"{who}: appArmorProfile Unconfined" for who, p in profiles if p and p.get("type") == "Unconfined"]
    return out


def selinux(pod: PodTemplate) -> list[str]:  # check_seLinuxOptions.go
    out = []
    opts = [("pod", (pod.spec.get("securityContext") or {}).get("seLinuxOptions"))]
    opts += [(f"container {c['name']}", _sc(c).get("seLinuxOptions")) for c in _all(pod)]
    for who, o in opts:
        if not o:
            continue
        if o.get("type", "") not in SELINUX_TYPES or o.get("user") or o.get("role"):
            out.append(f"{who}: seLinuxOptions {o}")
    return out


def proc_mount(pod: PodTemplate) -> list[str]:  # check_procMount.go
    return [f"container {c['name']}: procMount {_sc(c)['procMount']}" for c in _all(pod)
            if _sc(c).get("procMount") not in (None, "Default")]


def seccomp_baseline(pod: PodTemplate) -> list[str]:  # check_seccompProfile_baseline.go
    profiles = [("pod", (pod.spec.get("securityContext") or {}).get("seccompProfile"))]
    profiles += [(f"container {c['name']}", _sc(c).get("seccompProfile")) for c in _all(pod)]
    return [f"{who}: seccompProfile Unconfined" for who, p in profiles if p and p.get("type") == "Unconfined"]


def sysctls(pod: PodTemplate) -> list[str]:  # check_sysctls.go
    return [f"sysctl {s['name']}" for s in (pod.spec.get("securityContext") or {}).get("sysctls") or []
            if s["name"] not in SAFE_SYSCTLS]


def windows_host_process(pod: PodTemplate) -> list[str]:  # check_windowsHostProcess.go
    opts = [(pod.spec.get("securityContext") or {}).get("windowsOptions") or {}]
    opts += [_sc(c).get("windowsOptions") or {} for c in _all(pod)]
    return ["windowsOptions.hostProcess"] if any(o.get("hostProcess") for o in opts) else []


def host_probes(pod: PodTemplate) -> list[str]:  # check_hostProbesAndhostLifecycle.go (1.34+)
    out = []
    for c in _all(pod):
        handlers = [c.get(p) for p in ("livenessProbe", "readinessProbe", "startupProbe")]
        handlers += list((c.get("lifecycle") or {}).values())
        for h in handlers:
            for kind in ("httpGet", "tcpSocket"):
                if h and (h.get(kind) or {}).get("host"):
                    out.append(f"container {c['name']}: {kind}.host set")
    return out


BASELINE: dict[str, Callable[[PodTemplate], list[str]]] = {
    "hostNamespaces": host_namespaces, "privileged": privileged, "capabilities_baseline": capabilities_baseline,
    "hostPathVolumes": host_path_volumes, "hostPorts": host_ports, "appArmorProfile": apparmor,
    "seLinuxOptions": selinux, "procMount": proc_mount, "seccompProfile_baseline": seccomp_baseline,
    "sysctls": sysctls, "windowsHostProcess": windows_host_process, "hostProbesAndhostLifecycle": host_probes,
}


# ---------------------------------------------------------------------------------- restricted


def restricted_volumes(pod: PodTemplate) -> list[str]:  # check_restrictedVolumes.go
    out = []
    for v in pod.spec.get("volumes") or []:
        kinds = [k for k in v if k != "name"]
        if not any(k in RESTRICTED_VOLUMES for k in kinds):
            out.append(f"volume {v['name']}: {kinds}")
    return out


def allow_privilege_escalation(pod: PodTemplate) -> list[str]:  # check_allowPrivilegeEscalation.go
    return [f"container {c['name']}: allowPrivilegeEscalation != false" for c in _all(pod)
            if _sc(c).get("allowPrivilegeEscalation") is not False]


def run_as_non_root(pod: PodTemplate) -> list[str]:  # check_runAsNonRoot.go
    pod_level = (pod.spec.get("securityContext") or {}).get("runAsNonRoot")
    out = []
    if pod_level is False:
        out.append("pod: runAsNonRoot=false")
    for c in _all(pod):
        own = _sc(c).get("runAsNonRoot")
        if own is False:
            out.append(f"container {c['name']}: runAsNonRoot=false")
        elif own is None and pod_level is not True:
            out.append(f"container {c['name']}: runAsNonRoot unset (pod and container)")
    return out


def run_as_user(pod: PodTemplate) -> list[str]:  # check_runAsUser.go
    out = ["pod: runAsUser=0"] if (pod.spec.get("securityContext") or {}).get("runAsUser") == 0 else []
    return out + [f"container {c['name']}: runAsUser=0" for c in _all(pod) if _sc(c).get("runAsUser") == 0]


def seccomp_restricted(pod: PodTemplate) -> list[str]:  # check_seccompProfile_restricted.go
    ok = ("RuntimeDefault", "Localhost")
    pod_type = ((pod.spec.get("securityContext") or {}).get("seccompProfile") or {}).get("type")
    out = []
    if pod_type is not None and pod_type not in ok:
        out.append(f"pod: seccompProfile {pod_type}")
    for c in _all(pod):
        own = (_sc(c).get("seccompProfile") or {}).get("type")
        if own is not None and own not in ok:
            out.append(f"container {c['name']}: seccompProfile {own}")
        elif own is None and pod_type is None:
            out.append(f"container {c['name']}: seccompProfile unset (pod and container)")
    return out


def capabilities_restricted(pod: PodTemplate) -> list[str]:  # check_capabilities_restricted.go
    out = []
    for c in _all(pod):
        caps = _sc(c).get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            out.append(f"container {c['name']}: does not drop ALL capabilities")
        extra = [a for a in caps.get("add") or [] if a != "NET_BIND_SERVICE"]
        if extra:
            out.append(f"container {c['name']}: adds {extra}")
    return out


RESTRICTED: dict[str, Callable[[PodTemplate], list[str]]] = {
    "restrictedVolumes": restricted_volumes, "allowPrivilegeEscalation": allow_privilege_escalation,
    "runAsNonRoot": run_as_non_root, "runAsUser": run_as_user, "seccompProfile_restricted": seccomp_restricted,
    "capabilities_restricted": capabilities_restricted,
}


def evaluate(pod: PodTemplate, level: str) -> list[str]:
    """The violations of ``pod`` against ``level`` (check id: detail)."""
    checks: dict[str, Callable] = {}
    if level in ("baseline", "restricted"):
        checks.update(BASELINE)
    if level == "restricted":
        checks.update(RESTRICTED)
        checks.pop("hostPathVolumes")  # overridden by restrictedVolumes
    return [f"{cid}: {d}" for cid, fn in checks.items() for d in fn(pod)]


def namespace_levels(system: SystemRender) -> dict[str, str]:
    return {i.name: ((i.doc.get("metadata") or {}).get("labels") or {}).get(ENFORCE, "privileged")
            for i in system.of_kind("Namespace")}


def violations(system: SystemRender, levels: Optional[dict[str, str]] = None) -> list[str]:
    levels = levels if levels is not None else namespace_levels(system)
    out = []
    for pod in pod_templates(system):
        level = levels.get(pod.namespace, "privileged")
        for v in evaluate(pod, level):
            out.append(f"{pod.owner} (namespace {pod.namespace} enforces {level}): {v}")
    return out
