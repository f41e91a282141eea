"""Benchmarks, one module per capability; run from the repository root as modules so that they
import the packages (and the tests' broker helpers) normally::

    python -m bench.cache      python -m bench.planner    python -m bench.canbus
    python -m bench.ota_sync   python -m bench.ui         make bench   # all of them

Each prints a table with a baseline measured in the same run (``bench._table``)."""
