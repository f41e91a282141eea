"""The Qt Quick (PySide6) head-unit screen: QML in ``qml/`` (views, panels, controls), the
stores it binds to (``stores``), the controller that feeds them from the services' ports
(``controller``), and the hosting of the QML engine (``runtime``). The only package that imports
Qt. Entry point: ``ivi.ui.runtime.run_screen``."""

__all__: list[str] = []  # import from the modules: importing this package must not load Qt
