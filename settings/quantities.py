"""Kubernetes resource quantities, parsed strictly.

Only the forms a platform engineer writes in a budget are accepted:

* CPU: whole or fractional cores (``2``, ``0.5``) or millicores (``500m``).
* Memory: a plain byte count or a binary/decimal suffix
  (``Ki Mi Gi Ti`` / ``k M G T``), e.g. ``512Mi``, ``2Gi``.

Anything else (``500mm``, ``2Gb``, ``-1``, ``1e3``) is rejected with a message that
says what is allowed. Quantities are normalised to integers (millicores, bytes) so
budgets add up exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_CPU_RE = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]+)?)(?P<unit>m?)$")
_MEM_RE = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]+)?)(?P<unit>Ki|Mi|Gi|Ti|k|M|G|T)?$")

MEMORY_UNITS: dict[str, int] = {
    "": 1,
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}

CPU_HELP = "a CPU quantity such as '500m' (millicores) or '2' / '0.5' (cores)"
MEMORY_HELP = "a memory quantity such as '512Mi', '2Gi' or '1G' (suffixes: Ki Mi Gi Ti k M G T)"


class QuantityError(ValueError):
    """A quantity string that is not a valid Kubernetes CPU or memory quantity."""


@dataclass(frozen=True, order=True)
class Cpu:
    """A CPU amount in millicores."""

    millicores: int

    @classmethod
    def parse(cls, value: object) -> "Cpu":
        if isinstance(value, Cpu):
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise QuantityError(f"{value!r} is not {CPU_HELP}")
        text = str(value).strip()
        match = _CPU_RE.match(text)
        if not match:
            raise QuantityError(f"{text!r} is not {CPU_HELP}")
        try:
            number = Decimal(match["num"])
        except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
            raise QuantityError(f"{text!r} is not {CPU_HELP}") from exc
        milli = number if match["unit"] == "m" else number * 1000
        if milli != milli.to_integral_value():
            raise QuantityError(f"{text!r} is finer than 1m; {CPU_HELP}")
        if milli <= 0:
            raise QuantityError(f"{text!r} must be greater than zero; {CPU_HELP}")
        return cls(int(milli))

    @property
    def cores(self) -> float:
        return self.millicores / 1000

    def __str__(self) -> str:  # canonical form, in millicores as the guide writes them
        return f"{self.millicores}m"


@dataclass(frozen=True, order=True)
class Memory:
    """A memory amount in bytes."""

    bytes: int

    @classmethod
    def parse(cls, value: object) -> "Memory":
        if isinstance(value, Memory):
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise QuantityError(f"{value!r} is not {MEMORY_HELP}")
        text = str(value).strip()
        match = _MEM_RE.match(text)
        if not match:
            raise QuantityError(f"{text!r} is not {MEMORY_HELP}")
        amount = Decimal(match["num"]) * MEMORY_UNITS[match["unit"] or ""]
        if amount != amount.to_integral_value():
            raise QuantityError(f"{text!r} is not a whole number of bytes; {MEMORY_HELP}")
        if amount <= 0:
            raise QuantityError(f"{text!r} must be greater than zero; {MEMORY_HELP}")
        return cls(int(amount))

    @property
    def gib(self) -> float:
        return self.bytes / 2**30

    def __str__(self) -> str:  # canonical Kubernetes form, largest exact binary unit
        for unit in ("Ti", "Gi", "Mi", "Ki", "T", "G", "M", "k"):
            size = MEMORY_UNITS[unit]
            if self.bytes % size == 0:
                return f"{self.bytes // size}{unit}"
        return str(self.bytes)
