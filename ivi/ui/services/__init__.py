"""The screen's view of the outside world: small ports (Protocols) and the plain data they deliver.

Nothing here imports Qt. Stores in ``ivi.ui.stores`` consume these ports; the composition root
(``ivi.app``) decides which implementation sits behind each one:

==================  =======================================  ===========================================
port                built-in stand-in (this package)         real part (wired by the lead)
==================  =======================================  ===========================================
VehicleSource       ``sim_vehicle.SimulatedDrive``           ``ivi.can`` reader on a python-can bus
SuggestionProvider  ``route_suggestions.RouteSuggestions``   ``ivi.planner`` suggestions
TripPlanner         ``greedy_planner.GreedyPlanner``         ``ivi.planner`` optimal plans
SyncService         ``OfflineSync`` (below, in app wiring)   ``sync.client`` over MQTT
NavigationSink      ``navigation.PrintNavigation``           the navigation app's local MQTT topic
==================  =======================================  ===========================================
"""
