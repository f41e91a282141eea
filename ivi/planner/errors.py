"""The one exception hierarchy of ``ivi.planner`` (and the vehicle profiles it reads).

::

    PlannerError
     ├── ProfileError (ValueError)      a vehicle profile that does not parse or makes no sense
     ├── PlanInputError (ValueError)    state of charge outside 0–100, reserve above the charge, ...
     └── EmptyCacheError                the charger cache holds no station at all

An unreachable destination is *not* an error: ``plan_trip`` returns a plan with
``feasible=False``, a reason and the best partial plan. Errors become messages only in the CLI/UI.
"""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error raised by the planner."""


class ProfileError(PlannerError, ValueError):
    """A vehicle profile (TOML) that cannot be used; the message names the file and the field."""


class PlanInputError(PlannerError, ValueError):
    """A request the planner cannot answer as asked (the message says which value and why)."""


class EmptyCacheError(PlannerError):
    """The charger cache is empty: nothing to suggest until the feeds are imported or synced."""
