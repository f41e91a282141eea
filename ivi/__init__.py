"""The head unit: CAN signals (``ivi.can``), charging stops and trip plans (``ivi.planner``,
``ivi.profiles``), the Qt-free services behind the screen (``ivi.services``), the Qt Quick screen
(``ivi.ui``), the composition root (``ivi.app``) and the ``ivi`` command line (``ivi.cli``).

Defaults live in ``ivi.settings``; the process-wide choices of the app in ``ivi.process``.
The charger data it reads is ``chargers``, its geography ``geo``, its OTA sync ``sync``.
"""

__all__: list[str] = []  # a namespace of subpackages: import what you use from them
