"""The one exception of the ``geo`` package.

::

    GeoError (ValueError)   unknown place, coordinates outside the map, bad polyline, no route

It inherits ``ValueError`` because every case is a bad value handed in; errors become messages
only in the CLIs and the UI.
"""

from __future__ import annotations

__all__ = ["GeoError"]


class GeoError(ValueError):
    """A place name, coordinate or polyline that cannot be used, or two places with no route."""
