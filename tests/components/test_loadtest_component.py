"""components/operations/loadtest.py alone."""

import pulumi

from components.operations.loadtest import LoadTestArgs

from components.operations.loadtest import LoadTest
from tests.components.helpers import build, deps_names, on, provider, settings, stand_in, wired


def test_load_test_job_waits_for_namespace_and_release():
    s = settings(environment="dev", loadTest="smoke", loadTestUsername="admin")

    def b():
        p = provider()
        ns, release = stand_in("ops-namespace", p), stand_in("tartware-release", p)
        return LoadTest("load-test", LoadTestArgs(s.ops.load_test, "tartware.local", ns, release), on(p))

    run, lt = build(b)
    wired(run, "tartware:ops:LoadTest", "load-test", stand_ins=("ops-namespace", "tartware-release"))
    job = run.one("kubernetes:batch/v1:Job")
    assert {"ops-namespace", "tartware-release"} <= deps_names(run, job)
    assert lt.job_name == job.plain["metadata"]["name"]
    assert isinstance(lt.job_name, (str, pulumi.Output))
