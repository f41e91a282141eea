"""View-model stores (Neptune 3 style): Python objects with notifying properties, slots and list
models. Only stores talk to services; QML only binds to them. Each store receives data on the GUI
thread (background threads reach it through a queued signal, see ``ivi.ui.worker``)."""
