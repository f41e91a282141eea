"""The one exception hierarchy of ``ivi.can``.

::

    CanError
     ├── DatabaseError (ValueError)     a DBC file that does not parse or is unusable
     ├── MappingError (ValueError)      a VSS mapping file that is malformed or names a signal the DBC lacks
     │    └── TransformError            a ``math`` transform outside the safe expression subset
     ├── LogFileError (ValueError)      a CAN log that cannot be read (unknown format, truncated, not a log)
     ├── BusError (OSError)             a CAN interface that cannot be opened or fails while running
     └── SimulationError (ValueError)   a simulator setting that cannot work (bad route, fault spec, ...)

Bad *frames* are never exceptions: the decoder turns them into counted ``Rejection`` values.
Errors become messages only in the CLI (``ivi can-dump``/``ivi can-sim``) and the UI.
"""

from __future__ import annotations


class CanError(Exception):
    """Base of every error raised by ``ivi.can``."""


class DatabaseError(CanError, ValueError):
    """The CAN database (DBC) cannot be loaded."""


class MappingError(CanError, ValueError):
    """The DBC → VSS mapping cannot be used with this database."""


class TransformError(MappingError):
    """A ``math`` transform is not a plain arithmetic expression in ``x``."""


class LogFileError(CanError, ValueError):
    """A CAN log file cannot be read."""


class BusError(CanError, OSError):
    """A CAN bus cannot be opened, or failed while reading."""


class SimulationError(CanError, ValueError):
    """A simulator setting that cannot work."""
