"""The deployment guide's numbers, written out by hand from docs/spec/deployment-guide.md
(checked against it by tests/test_spec.py).

Tests compare the program against these, never against the catalog they test.
"""

GI = 2**30
MI = 2**20

# "Resource Allocation" table: (min replicas, max replicas, cpu request m, cpu limit m,
# memory request bytes, memory limit bytes)
TABLE = {
    "API Gateway": (10, 100, 500, 2000, 512 * MI, 2 * GI),
    "Core Service": (8, 80, 500, 2000, 1 * GI, 4 * GI),
    "Reservations": (8, 70, 500, 2000, 1 * GI, 4 * GI),
    "Billing Service": (5, 40, 300, 1500, 512 * MI, 2 * GI),
    "Guests Service": (5, 35, 300, 1500, 512 * MI, 2 * GI),
    "Rooms Service": (5, 35, 300, 1500, 512 * MI, 2 * GI),
    "Others": (2, 15, 200, 1000, 256 * MI, 1 * GI),
}

# Which deployed service each row sizes. "Others" are the real Tartware services with an app
# that the table does not name (red2n/tartware@a2583469 Apps/).
ROW_OF = {
    "api-gateway": "API Gateway",
    "core-service": "Core Service",
    "reservations-command-service": "Reservations",
    "billing-service": "Billing Service",
    "guests-service": "Guests Service",
    "rooms-service": "Rooms Service",
    "housekeeping-service": "Others",
    "availability-guard-service": "Others",
    "notification-service": "Others",
    "revenue-service": "Others",
}

# Code ports (red2n/tartware@a2583469 package.json dev:* scripts).
PORTS = {
    "api-gateway": 8080,
    "core-service": 3000,
    "reservations-command-service": 3020,
    "billing-service": 3025,
    "guests-service": 3010,
    "rooms-service": 3015,
    "housekeeping-service": 3030,
    "availability-guard-service": 3045,
    "notification-service": 3055,
    "revenue-service": 3060,
}

# "Automatic Scaling": CPU 70 %, memory 80 %; up 100 % every 15 s; down 10 % every 60 s.
HPA_CPU = 70
HPA_MEMORY = 80
SCALE_UP = (100, 15)
SCALE_DOWN = (10, 60)
# scaleDown stabilizationWindowSeconds of every HPA in the guide's platform/kubernetes/hpa-advanced.yaml
# (red2n/tartware@a2583469)
SCALE_DOWN_WINDOW = 300

# "Total Capacity (Max)": ~600 cores, ~1.2 TB, ~400 pods (rounded by the guide).
STATED_MAX = {"cpu_cores": 600, "memory_tb": 1.2, "pods": 400}

# Not from the guide: the dev profile this project chose (docs/budget.md "Database connections",
# README "dev"), the same services at 1-2 replicas each. Written here so tests compute dev totals
# from it rather than copying them.
DEV_REPLICAS = (1, 2)

NAMESPACE = "tartware-system"
RELEASE = "tartware"


def expected_totals():
    """Totals at min and max derived from TABLE and ROW_OF by hand-written arithmetic."""
    out = {}
    for side, idx in (("min", 0), ("max", 1)):
        pods = cpu_req = cpu_lim = mem_req = mem_lim = 0
        for row in ROW_OF.values():
            n = TABLE[row][idx]
            pods += n
            cpu_req += n * TABLE[row][2]
            cpu_lim += n * TABLE[row][3]
            mem_req += n * TABLE[row][4]
            mem_lim += n * TABLE[row][5]
        out[side] = {
            "pods": pods,
            "cpuRequestCores": cpu_req / 1000,
            "cpuLimitCores": cpu_lim / 1000,
            "memoryRequestGi": mem_req / GI,
            "memoryLimitGi": mem_lim / GI,
        }
    return out
