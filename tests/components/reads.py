"""Which fields of a component's args its build reads.

``ReadRecorder.track(label, args)`` walks ``args`` and every frozen dataclass of the project
(``facts/``, ``settings/``, ``rules/``, ``components/``: the args, the settings sections, the
NetworkPolicy vocabulary) it holds (through tuples, lists and mappings), and remembers each field under its path
(``EksClusterArgs.node_pools[].spot``). Inside ``with recorder:`` the ``__getattribute__`` of
those classes is wrapped, so every read of a field of a tracked instance, by the component, a
helper or a property of the dataclass itself, marks that path. ``unread()`` is what was never
read. The classes stay the real ones (``isinstance``, ``dataclasses.replace`` and hashing work);
reads outside the block (building the args, the test's own assertions) are not recorded, nor are
the reads of every field by a generated ``__eq__``/``__hash__``/``__repr__`` or by
``dataclasses.replace``.

Handles (``components/handles.py``) and the catalog's facts are the interfaces of other layers, not
settings: they are leaves here.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from typing import Any

IGNORED_CALLERS = ("<string>", dataclasses.__file__)
LAYERS = ("facts.", "settings.", "rules.", "components.")
LEAF_MODULES = (
    "components.handles", "facts.catalog", "facts.endpoints", "facts.versions", "settings.quantities")


def _in_scope(value: Any) -> bool:
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return False
    module = type(value).__module__
    return module.startswith(LAYERS) and module not in LEAF_MODULES


class ReadRecorder:
    def __init__(self) -> None:
        self.expected: set[str] = set()
        self.read: set[str] = set()
        self._paths: dict[int, set[str]] = {}  # id(instance) -> its paths
        self._keep: list[Any] = []  # tracked instances stay alive: their ids stay theirs
        self._classes: set[type] = set()
        self._saved: dict[type, Any] = {}
        self._active = False
        self._own_builds: tuple[type, ...] = ()

    def track(self, label: str, args: Any, own_builds: tuple[type, ...] = ()) -> Any:
        """Record the reads of ``args``' fields; fields holding one of ``own_builds`` (the args of
        a part the component builds, checked by that part's own build) count as read when the
        component reads the field, without looking inside."""
        assert _in_scope(args), f"{label}: not a dataclass of the project"
        self._own_builds = own_builds
        self._walk(label, args, root=True)
        return args

    def _walk(self, path: str, value: Any, root: bool = False) -> None:
        if not root and isinstance(value, self._own_builds):
            return
        if _in_scope(value):
            seen = self._paths.setdefault(id(value), set())
            if path in seen:
                return
            seen.add(path)
            self._keep.append(value)
            if type(value) not in self._saved and self._active:
                self._patch(type(value))
            self._classes.add(type(value))
            for f in dataclasses.fields(value):
                self.expected.add(f"{path}.{f.name}")
                self._walk(f"{path}.{f.name}", object.__getattribute__(value, f.name))
        elif isinstance(value, (tuple, list)):
            for item in value:
                self._walk(f"{path}[]", item)
        elif isinstance(value, Mapping):
            for item in value.values():
                self._walk(f"{path}{{}}", item)

    def _patch(self, cls: type) -> None:
        paths, read = self._paths, self.read
        names = {f.name for f in dataclasses.fields(cls)}
        self._saved[cls] = cls.__dict__.get("__getattribute__")
        original = cls.__getattribute__

        def recording(obj: Any, name: str) -> Any:
            # reads by the generated __eq__/__hash__/__repr__ (compiled from "<string>") and by
            # dataclasses.replace/asdict touch every field: they are not a component reading it
            if name in names and sys._getframe(1).f_code.co_filename not in IGNORED_CALLERS:
                for path in paths.get(id(obj), ()):
                    read.add(f"{path}.{name}")
            return original(obj, name)

        cls.__getattribute__ = recording  # type: ignore[method-assign]

    def __enter__(self) -> "ReadRecorder":
        """Record from here on; ``track`` may be called inside the block (args made in the build)."""
        self._active = True
        for cls in self._classes:
            if cls not in self._saved:
                self._patch(cls)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._active = False
        for cls, saved in self._saved.items():
            if saved is None:
                del cls.__getattribute__
            else:
                cls.__getattribute__ = saved  # type: ignore[method-assign]
        self._saved.clear()

    @property
    def types(self) -> set[type]:
        """The classes of every tracked instance."""
        return set(self._classes)

    def unread(self) -> list[str]:
        return sorted(self.expected - self.read)
