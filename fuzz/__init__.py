"""Fuzzing of every parser the module exposes to someone else's bytes (development only, not shipped).

``fuzz.harness`` holds the contract a harness follows, ``fuzz.harnesses`` one module per parser,
``fuzz.runner`` the coverage-guided runner behind ``make fuzz``. See docs/fuzzing.md.
"""

__all__: list[str] = []
