"""Building blocks shared by every settings section: declared keys, pydantic types, error mapping.

A *section* (``settings/<area>.py``) declares its config keys with ``Setting``, validates
them with a pydantic model derived from ``SettingsModel`` via ``validate_section`` and turns them
into a frozen, typed settings object. Problems are collected, never raised one by one, so a run
reports every bad key at once.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Literal, Mapping, Optional, TypeVar

import pulumi
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, ValidationError
from pydantic.alias_generators import to_camel, to_snake

from .errors import CONFIG_NAMESPACE, ProblemCollector, key
from .quantities import Cpu, Memory


@dataclass(frozen=True)
class Setting:
    """One declared config key (mirrored in Pulumi.yaml by tools/project_file.py): its type, its default
    (one for every stack, or ``per_env``: one per environment), its description and, for a
    pattern-checked key, an ``example`` of an allowed value. Everything else is generated from it:
    the Pulumi.yaml entry, the description's "Unset: X in dev, Y in prod." (``full_description``),
    the error message's "expected ..." (``hint``) and the section builder's defaults (``env_defaults``).
    """

    name: str
    type: Literal["string", "integer", "boolean", "array"]
    description: str
    default: Any = None
    secret: bool = False
    items: Optional[str] = None  # item type for arrays
    per_env: Optional[tuple[Any, Any]] = None  # (dev, prod) when unset; the key is left optional
    example: Optional[str] = None  # what an allowed value looks like, for error messages

    def __post_init__(self) -> None:
        if self.per_env is not None and self.default is not None:
            raise TypeError(f"{self.name}: a default for every stack or one per environment, not both")
        if self.example is not None:
            hint(self.name, self.example)

    @property
    def full_description(self) -> str:
        """The description with its per-environment default, as Pulumi.yaml shows it."""
        if self.per_env is None:
            return self.description
        dev, prod = (_shown(v) for v in self.per_env)
        return f"{self.description} Unset: {dev} in dev, {prod} in prod."

    @property
    def field(self) -> str:
        """The input model's field name (the config key in snake case)."""
        return to_snake(self.name)


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def env_defaults(declared: tuple[Setting, ...]) -> dict[str, tuple[Any, Any]]:
    """Input field -> (dev, prod) of every setting declared with ``per_env``."""
    return {s.field: s.per_env for s in declared if s.per_env is not None}


def env_default(declared: tuple[Setting, ...], name: str, is_prod: bool) -> Any:
    """The default of setting ``name`` in this environment."""
    pair = next(s.per_env for s in declared if s.name == name and s.per_env is not None)
    return pair[1 if is_prod else 0]


class SettingsModel(BaseModel):
    """Base for section input models: config-key (camelCase) aliases, no unknown fields, frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)


CpuQ = Annotated[Cpu, BeforeValidator(Cpu.parse), PlainSerializer(str)]
MemQ = Annotated[Memory, BeforeValidator(Memory.parse), PlainSerializer(str)]
Replicas = Annotated[int, Field(ge=1, le=1000)]
Percent = Annotated[int, Field(ge=1, le=100)]
DnsLabel = Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
DnsName = Annotated[str, Field(max_length=200, pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]

# What "allowed" means for pattern-checked fields, by field name (last path element).
PATTERN_HINTS: dict[str, str] = {}

PERCENT_FIELDS: set[str] = set()


def hint(field_name: str, text: str) -> None:
    """Register the human description of a pattern-checked field (used in error messages)."""
    PATTERN_HINTS[field_name] = text


def _message(err: Mapping[str, Any], loc: list[str]) -> str:
    field_name = next((p for p in reversed(loc) if not p.isdigit()), "")
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown setting"
    if err["type"] == "string_pattern_mismatch":
        text = PATTERN_HINTS.get(field_name) or (PATTERN_HINTS.get(loc[-2], "") if len(loc) > 1 else "")
        return f"invalid value; expected {text}" if text else message
    if err["type"] in ("greater_than_equal", "less_than_equal") and field_name in PERCENT_FIELDS:
        return f"{message}; a utilisation target is a percentage from 1 to 100"
    return message


M = TypeVar("M", bound=BaseModel)


def decode_arrays(raw: dict[str, Any], names: tuple[str, ...]) -> None:
    """Array settings arrive as JSON text from `pulumi config set --path`: decode them in place;
    text that is not JSON is left for pydantic, which reports it with the key."""
    for name in names:
        value = raw.get(name)
        if isinstance(value, str):
            try:
                raw[name] = json.loads(value)
            except json.JSONDecodeError:
                pass


def validate_section(model: type[M], raw: Mapping[str, Any], problems: ProblemCollector,
                     allowed_fields: Optional[Callable[[list[str]], str]] = None) -> Optional[M]:
    """Validate ``raw`` (config key -> value) with ``model``; record problems; None if invalid."""
    try:
        return model.model_validate(dict(raw))
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            message = _message(err, loc)
            if err["type"] == "extra_forbidden" and allowed_fields is not None:
                message = f"unknown setting; allowed: {allowed_fields(loc)}"
            problems.add(key(*loc) if loc else CONFIG_NAMESPACE, message, err.get("input"))
        return None


SecretReader = Callable[[str, bool, ProblemCollector, str], Optional[pulumi.Output]]


@dataclass(frozen=True)
class BuildContext:
    """What a section builder gets besides its raw values."""

    environment: str
    problems: ProblemCollector
    read_secret: SecretReader
    stack: str = "offline"  # the Pulumi stack's name (defaults that keep stacks apart use it)
    # True when a stack is being deployed (load_settings); deployment policies such as "prod keeps
    # its backups off-site" apply then, not when a tool only computes values from settings.
    deploying: bool = False

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"


def no_secrets(name: str, required: bool, problems: ProblemCollector, why: str = "") -> None:
    """Secret reader for offline use (generators): every secret is absent."""
    if required:
        problems.add(key(name), f"missing required secret{why}")
    return None


def fields_of(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(f.alias or n for n, f in model.model_fields.items())


T = TypeVar("T")


def from_input(cls: type[T], inp: BaseModel, **computed: Any) -> T:
    """Build the frozen settings dataclass ``cls`` from its validated input model.

    The one way a section turns input into settings: every dataclass field with a same-named
    input field is copied as validated; ``computed`` gives the rest (defaults resolved from the
    environment, values renamed or derived) and wins over a same-named input field.
    """
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(computed) - names
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    copied = {n: getattr(inp, n) for n in names if n not in computed and n in type(inp).model_fields}
    return cls(**copied, **computed)
