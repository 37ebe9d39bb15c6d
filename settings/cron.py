"""Cron schedules as the Kubernetes CronJob controller reads them, and the longest gap between runs.

Kubernetes parses ``spec.schedule`` with robfig/cron v3's standard parser (five fields: minute,
hour, day of month, month, day of week; descriptors such as ``@daily``). The rules here are that
parser's, read from robfig/cron@v3.0.1 ``parser.go`` and ``spec.go``:

* bounds: minute 0-59, hour 0-23, day of month 1-31, month 1-12 (or ``jan``-``dec``), day of week
  0-6 (or ``sun``-``sat``; 7 is out of range), names case-insensitive;
* each field is a comma list of ``*``/``?``, ``N``, ``N-M``, each optionally ``/step``; ``N/step``
  means ``N-max/step``;
* day matching (``dayMatches``): when day of month or day of week was given as ``*``/``?``
  (a step > 1 clears that mark), both must match; otherwise either may match;
* descriptors: ``@yearly``/``@annually``, ``@monthly``, ``@weekly``, ``@daily``/``@midnight``,
  ``@hourly``. (``@every <duration>`` is left out on purpose: use a five-field schedule.)

``max_interval_seconds`` is what the backup alert needs: the longest time between two runs.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

# (field, lowest, highest, the names it accepts for values)
FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
    ("month", 1, 12, {m: i + 1 for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}),
    ("day of week", 0, 6, {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}),
)
DESCRIPTORS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}
# Long enough to contain every combination of weekday, month length and leap day (the Gregorian
# calendar repeats after 400 years; a Feb-29 schedule recurs within 8 years, e.g. 2096 -> 2104).
_SPAN_DAYS = 9 * 366


class CronError(ValueError):
    pass


@dataclass(frozen=True)
class Schedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    days_star: bool
    weekdays_star: bool

    def day_matches(self, day: datetime.date) -> bool:
        if day.month not in self.months:
            return False
        dom = day.day in self.days
        dow = (day.isoweekday() % 7) in self.weekdays
        if self.days_star or self.weekdays_star:
            return dom and dow
        return dom or dow


def _number(text: str, low: int, high: int, names: dict[str, int], field: str) -> int:
    value = names.get(text.lower())
    if value is None:
        if not text.isdigit():
            raise CronError(f"{field}: {text!r} is not a number"
                            + (f" or a name ({', '.join(names)})" if names else ""))
        value = int(text)
    if not low <= value <= high:
        raise CronError(f"{field}: {value} is outside {low}-{high}")
    return value


def _field(text: str, field: str, low: int, high: int, names: dict[str, int]) -> tuple[frozenset[int], bool]:
    values: set[int] = set()
    star = False
    for part in text.split(","):
        if not part:
            raise CronError(f"{field}: empty list element in {text!r}")
        range_part, _, step_text = part.partition("/")
        step = 1
        if "/" in part:
            if not step_text.isdigit() or int(step_text) == 0:
                raise CronError(f"{field}: step {step_text!r} must be a positive number")
            step = int(step_text)
        if range_part in ("*", "?"):
            start, end = low, high
            star = star or step == 1
        else:
            first, dash, last = range_part.partition("-")
            start = _number(first, low, high, names, field)
            end = _number(last, low, high, names, field) if dash else (high if "/" in part else start)
            if start > end:
                raise CronError(f"{field}: range {range_part!r} runs backwards")
        values.update(range(start, end + 1, step))
    return frozenset(values), star


def parse(expression: str) -> Schedule:
    """The schedule, or CronError saying what is wrong."""
    text = expression.strip()
    if text.startswith("@"):
        if text.lower() not in DESCRIPTORS:
            raise CronError(f"unknown descriptor {text!r}; allowed: {', '.join(DESCRIPTORS)}")
        text = DESCRIPTORS[text.lower()]
    parts = text.split()
    if len(parts) != 5:
        raise CronError(f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(parts)}")
    parsed = [_field(p, name, low, high, names) for p, (name, low, high, names) in zip(parts, FIELDS)]
    (minutes, _), (hours, _), (days, days_star), (months, _), (weekdays, weekdays_star) = parsed
    return Schedule(minutes, hours, days, months, weekdays, days_star, weekdays_star)


@functools.lru_cache(maxsize=256)
def max_interval_seconds(expression: str, start: datetime.date = datetime.date(2027, 1, 1)) -> int:
    """Longest time between two consecutive runs; CronError if the schedule never fires.

    Walks nine years day by day (a few milliseconds): cached, since every settings load asks it
    about the same few schedules."""
    s = parse(expression)
    in_day = sorted(h * 60 + m for h in s.hours for m in s.minutes)  # minutes after midnight
    longest = max((b - a for a, b in zip(in_day, in_day[1:])), default=0)
    previous_day = None
    for offset in range(_SPAN_DAYS):
        day = start + datetime.timedelta(days=offset)
        if not s.day_matches(day):
            continue
        if previous_day is not None:
            gap = (day - previous_day).days * 1440 - in_day[-1] + in_day[0]
            longest = max(longest, gap)
        previous_day = day
    if previous_day is None:
        raise CronError("the schedule never fires (no day matches it)")
    return longest * 60
