"""What CloudNativePG itself would refuse in the render: its admission webhooks' rules and the
references its controllers resolve, read from cloudnative-pg/cloudnative-pg@v1.30.0 (the CRD schemas
are checked by schemas.py; these are the rules a schema cannot express):

* ``Cluster`` (internal/webhook/v1/cluster_webhook.go): ``validateName`` (a DNS-1035 label of at most
  50 characters), ``validateBootstrapMethod`` (one bootstrap method), ``validateBootstrapRecoverySource``
  (the recovery source is an external cluster with connection parameters, a Barman object store or a
  CNPG-I plugin), ``validateMicroservice`` (one database, no roles, no wildcard),
  ``validateSynchronousReplicaConfiguration`` (fewer synchronous standbys than instances),
  ``validatePluginConfiguration`` (at most one WAL archiver plugin);
* ``Pooler`` (pooler_webhook.go): ``validatePgbouncerGenericParameters`` (only the allowed PgBouncer
  parameters);
* ``ScheduledBackup`` (scheduledbackup_webhook.go): the schedule parses with robfig/cron v1.2.0
  ``cron.Parse`` (five or six fields, seconds first, or a descriptor); a schedule that is not six
  fields only draws a warning there, but shifts every field by one (second, minute, hour, ...), so it
  is refused here;
* references the controllers resolve: the app Secret of ``bootstrap.initdb``/``recovery`` holds
  ``username`` and ``password`` (internal/management/utils/secrets.go ``GetUserPasswordFromSecret``),
  the ObjectStore a plugin names exists (plugin-barman-cloud@v0.13.0 internal/cnpgi/operator/config),
  a Pooler's and a ScheduledBackup's cluster exists.
"""

from __future__ import annotations

import re
from typing import Any

from tools.conformance.references import existing
from tools.system import SystemRender

CNPG = "postgresql.cnpg.io/v1"
# internal/webhook/v1/pooler_webhook.go AllowedPgbouncerGenericConfigurationParameters at v1.30.0
POOLER_PARAMETERS = frozenset("""
application_name_add_host auth_type autodb_idle_timeout cancel_wait_timeout client_idle_timeout
client_login_timeout client_tls_ciphers client_tls_sslmode client_tls13_ciphers default_pool_size
disable_pqexec dns_max_ttl dns_nxdomain_ttl idle_transaction_timeout ignore_startup_parameters
listen_backlog log_connections log_disconnections log_pooler_errors log_stats max_client_conn
max_db_connections max_packet_size max_prepared_statements max_user_connections min_pool_size pkt_buf
query_timeout query_wait_timeout reserve_pool_size reserve_pool_timeout sbuf_loopcnt server_check_delay
server_check_query server_connect_timeout server_fast_close server_idle_timeout server_lifetime
server_login_retry server_reset_query server_reset_query_always server_round_robin server_tls_ciphers
server_tls13_ciphers server_tls_protocols server_tls_sslmode stats_period suspend_timeout
tcp_defer_accept tcp_socket_buffer tcp_keepalive tcp_keepcnt tcp_keepidle tcp_keepintvl
tcp_user_timeout track_extra_parameters verbose
""".split())
DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
# robfig/cron@v1.2.0 parser.go: descriptors, and "@every <duration>"
DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


def _cnpg(system: SystemRender, kind: str):
    return [i for i in system.of_kind(kind) if i.doc.get("apiVersion") == CNPG]


def cluster_errors(doc: dict[str, Any]) -> list[str]:
    name = (doc.get("metadata") or {}).get("name", "")
    spec = doc.get("spec") or {}
    out = []
    if not DNS1035.match(name) or len(name) > 63:
        out.append("cluster name must be a valid DNS label")
    if len(name) > 50:
        out.append("the maximum length of a cluster name is 50 characters")
    bootstrap = spec.get("bootstrap") or {}
    if sum(1 for m in ("initdb", "recovery", "pg_basebackup") if bootstrap.get(m) is not None) > 1:
        out.append("Only one bootstrap method can be specified at a time")
    external = {e.get("name"): e for e in spec.get("externalClusters") or []}
    source = (bootstrap.get("recovery") or {}).get("source")
    if source:
        ext = external.get(source)
        if ext is None:
            out.append(f"External cluster {source} not found")
        elif not (ext.get("connectionParameters") or ext.get("barmanObjectStore") or ext.get("plugin")):
            out.append(f"External cluster {source} cannot be used for recovery")
    imp = (bootstrap.get("initdb") or {}).get("import")
    if imp is not None:
        if imp.get("type") == "microservice":
            dbs = imp.get("databases") or []
            if len(dbs) != 1:
                out.append("You need to specify a single database for the `microservice` import type")
            if imp.get("roles"):
                out.append("You cannot specify roles to import for the `microservice` import type")
            if len(dbs) == 1 and "*" in dbs[0]:
                out.append("You cannot specify any wildcard for the `microservice` import type")
        elif imp.get("type") != "monolith":
            out.append("Unrecognized import type")
        ext_name = (imp.get("source") or {}).get("externalCluster")
        if ext_name not in external:
            out.append(f"import source: external cluster {ext_name} not found")
    sync = (spec.get("postgresql") or {}).get("synchronous")
    if sync is not None:
        total = (int(spec.get("instances", 1)) + len(sync.get("standbyNamesPost") or [])
                 + len(sync.get("standbyNamesPre") or []))
        if int(sync.get("number", 0)) >= total:
            out.append("Invalid synchronous configuration: the number of synchronous replicas must be less than "
                       "the total number of instances and the provided standby names.")
    archivers = [p.get("name") for p in spec.get("plugins") or [] if p.get("enabled", True) and p.get("isWALArchiver")]
    if len(archivers) > 1:
        out.append("Cannot enable more than one WAL archiver plugin")
    return out


def schedule_errors(schedule: str) -> list[str]:
    """robfig/cron v1.2.0 ``Parse`` (Second | Minute | Hour | Dom | Month | DowOptional | Descriptor)
    accepts five or six fields; CloudNativePG warns below six. Six is required here."""
    if schedule.startswith("@"):
        ok = schedule in DESCRIPTORS or bool(re.fullmatch(r"@every \S+", schedule))
        return [] if ok else [f"unrecognized descriptor: {schedule}"]
    fields = schedule.split()
    if len(fields) not in (5, 6):
        return [f"Expected 5 to 6 fields, found {len(fields)}: {schedule}"]
    if len(fields) != 6:
        return ["Schedule parameter may not have the right number of arguments (usually six arguments are "
                f"needed): '{schedule}' would run at second {fields[0]}, minute {fields[1]}, hour {fields[2]}"]
    return []


def violations(system: SystemRender) -> list[str]:
    out: list[str] = []
    secrets = existing(system)["Secret"]  # Secrets of the render, ExternalSecrets' targets included
    stores = {(i.namespace, i.name) for i in system.of_kind("ObjectStore")}
    clusters = {(i.namespace, i.name) for i in _cnpg(system, "Cluster")}
    for item in _cnpg(system, "Cluster"):
        out += [f"{item.key}: {e}" for e in cluster_errors(item.doc)]
        spec = item.doc.get("spec") or {}
        bootstrap = spec.get("bootstrap") or {}
        for method in ("initdb", "recovery"):
            ref = ((bootstrap.get(method) or {}).get("secret") or {}).get("name")
            key = (item.namespace or "default", ref)
            if ref and (key not in secrets
                        or (secrets[key] is not None and not {"username", "password"} <= set(secrets[key]))):
                has = sorted(secrets[key]) if key in secrets else "no such Secret"
                out.append(f"{item.key}: bootstrap.{method}.secret {ref} must hold username and password (has {has})")
        names = [(p.get("parameters") or {}).get("barmanObjectName") for p in spec.get("plugins") or []]
        names += [((e.get("plugin") or {}).get("parameters") or {}).get("barmanObjectName")
                  for e in spec.get("externalClusters") or []]
        out += [f"{item.key}: ObjectStore {n} does not exist" for n in names if n and (item.namespace, n) not in stores]
    for item in _cnpg(system, "Pooler"):
        spec = item.doc.get("spec") or {}
        bad = sorted(set((spec.get("pgbouncer") or {}).get("parameters") or {}) - POOLER_PARAMETERS)
        out += [f"{item.key}: spec.pgbouncer.parameters {p}: Invalid or reserved parameter" for p in bad]
        if (item.namespace, (spec.get("cluster") or {}).get("name")) not in clusters:
            out.append(f"{item.key}: its cluster {(spec.get('cluster') or {}).get('name')} does not exist")
    for item in _cnpg(system, "ScheduledBackup"):
        spec = item.doc.get("spec") or {}
        out += [f"{item.key}: schedule: {e}" for e in schedule_errors(str(spec.get("schedule", "")))]
        if (item.namespace, (spec.get("cluster") or {}).get("name")) not in clusters:
            out.append(f"{item.key}: its cluster {(spec.get('cluster') or {}).get('name')} does not exist")
    return out
