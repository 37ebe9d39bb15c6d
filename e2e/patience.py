"""Bounded retries for the harness's requests, the way a kubelet probe tolerates a slow pod.

On a loaded machine (2 cores shared with other jobs) a service can answer a request late or with a
transient 5xx while it is still healthy: the availability guard's bulk release answered 500 when
its database pool timed out, a reservation write through the gateway timed out. A kubelet probe
does not give up at the first failure either: it tries every ``periodSeconds`` and gives up after
``failureThreshold`` consecutive failures (Kubernetes API, k8s.io/api@v0.34.0 core/v1/types.go
``Probe``: ``periodSeconds`` default 10, ``failureThreshold`` default 3;
https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes).

``call_patiently`` does the same for one request, with bounds that are printed with the result:

* only a transient answer is retried: no answer at all (connection refused, timeout) or a 5xx;
  a 4xx is the service's verdict on the request and fails at once (a wrong route, a missing
  login, a refused value never turns into a pass by waiting);
* at most ``attempts`` tries, ``period`` seconds apart, each with ``timeout`` seconds, so a real
  failure is still reported, after at most attempts x (timeout + period) seconds;
* every retried answer is kept and shown: a pass after a retry says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

# The kubelet's defaults for a probe (docstring): 3 tries, 10 s apart. Each try gets the harness's
# own request time-out (e2e/run.py http), not a probe's 1 s: these are real requests, not /health.
ATTEMPTS = 3
PERIOD_SECONDS = 10.0
TIMEOUT_SECONDS = 10.0


def transient(code: int) -> bool:
    """No answer (0: refused, reset, timed out) or a server error: worth another try."""
    return code == 0 or code >= 500


@dataclass
class Outcome:
    code: int
    body: str
    tries: list[tuple[int, str]] = field(default_factory=list)  # every answer, in order
    seconds: float = 0.0
    attempts: int = ATTEMPTS
    period: float = PERIOD_SECONDS
    timeout: float = TIMEOUT_SECONDS

    @property
    def retried(self) -> bool:
        return len(self.tries) > 1

    def bounds(self) -> str:
        """The bounds in words, for every message that reports the result."""
        return (f"at most {self.attempts} tries {self.period:.0f} s apart, {self.timeout:.0f} s each, "
                "retrying only no answer or a 5xx")

    def story(self) -> str:
        """'' for a first-try answer; otherwise what the earlier tries answered and the time taken."""
        if not self.retried:
            return ""
        earlier = "; ".join(f"try {i + 1}: {code or 'no answer'} {body[:80]}".rstrip()
                            for i, (code, body) in enumerate(self.tries[:-1]))
        return f"after {len(self.tries)} tries in {self.seconds:.0f} s ({earlier}; {self.bounds()})"


def call_patiently(call: Callable[[float], tuple[int, str]], attempts: int = ATTEMPTS, period: float = PERIOD_SECONDS,
                   timeout: float = TIMEOUT_SECONDS, sleep: Callable[[float], None] = time.sleep) -> Outcome:
    """``call(timeout)`` -> (status, body), tried until it answers anything but a transient failure,
    or ``attempts`` times. Returns the last answer with every earlier one."""
    if attempts < 1 or period < 0 or timeout <= 0:
        raise ValueError(f"call_patiently: attempts >= 1, period >= 0 and timeout > 0 expected, got "
                         f"attempts={attempts}, period={period}, timeout={timeout}")
    began = time.monotonic()
    outcome = Outcome(0, "", attempts=attempts, period=period, timeout=timeout)
    for attempt in range(attempts):
        if attempt:
            sleep(period)
        code, body = call(timeout)
        outcome.tries.append((code, body))
        outcome.code, outcome.body = code, body
        if not transient(code):
            break
    outcome.seconds = time.monotonic() - began
    return outcome
