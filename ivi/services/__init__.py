"""The head unit's services behind the screen, without Qt: the ports the screen talks to
(``ports``), the planner adapter (``planning``), navigation hand-off and the offline sync status.
``ivi.app`` wires them; ``ivi.ui`` only consumes the ports."""
