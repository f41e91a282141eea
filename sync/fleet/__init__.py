"""A simulated fleet on a broker cluster: many cars (real MQTT sessions, the real state machine)
in a few processes, their caches checked against the publisher (``ivi-sync fleet``,
``bench.fleet``)."""

__all__: list[str] = []
