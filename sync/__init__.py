"""Charger data for the head unit and the cloud: models, the offline SQLite cache, partner feeds
and their geography, and (in ``sync.protocol`` and friends) the OTA sync over MQTT.

Runs headless on a server or a test bench: nothing here imports Qt or ``ivi``.
"""
__version__ = "0.1.0"
