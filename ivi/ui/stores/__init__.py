"""View-model stores (Neptune 3 style): Python objects with notifying properties, slots and list
models. Only stores talk to services; QML only binds to them. Each store receives data on the GUI
thread (background threads reach it through its mailbox, see ``ivi.ui.worker``)."""

__all__: list[str] = []  # each store is imported from its module (they all load Qt)
