"""The house as built (docs/architecture.md): every import points down, never up or sideways.

Reads each module's imports with ``ast`` (imports inside functions included), so a lazy import cannot
hide a dependency. A new top-level package must be given a floor in ``FLOORS`` before it can be used.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Higher floors may import lower ones; parts on the same floor may not import each other.
FLOORS = {
    "seoul_diplomacy": 4,  # wiring: settings, root URLs, wsgi/asgi, env, middleware, routers
    "pages": 3,  # the site's own pages that compose both apps: home, sitemaps, robots, /healthz
    "search": 3,  # the site's search page over both apps (the search column itself is core.search)
    "dataio": 3,  # data maintenance: commands, import/export, consistency, synthetic data, open data
    "projects": 2,
    "rankings": 2,
    "listing": 1,  # the filtered-list machinery
    "core": 0,  # the kernel both apps build on
}

# What a model module may never import, wherever it comes from.
NOT_FOR_MODELS = {"views", "forms", "admin", "filters", "urls", "selectors", "exports"}


def modules():
    for package in FLOORS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield package, path


def imported_names(path):
    """Every dotted module name ``path`` imports (``from a.b import c`` gives "a.b" and "a.b.c")."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"


def wrong_imports():
    for package, path in modules():
        for name in set(imported_names(path)):
            target = name.split(".")[0]
            if target not in FLOORS or target == package:
                continue
            if FLOORS[target] >= FLOORS[package]:
                yield f"{path.relative_to(ROOT)} imports {name} ({target} is not below {package})"


def test_every_import_points_down():
    assert sorted(set(wrong_imports())) == []


def test_models_import_no_view_form_or_admin():
    found = []
    for _package, path in modules():
        if path.name != "models.py":
            continue
        for name in imported_names(path):
            parts = name.split(".")
            if parts[0] in FLOORS and set(parts[1:]) & NOT_FOR_MODELS:
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    assert found == []


def test_every_top_level_package_has_a_floor():
    """A new part of the house is placed on purpose, not by accident."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(FLOORS)


@pytest.mark.parametrize(
    ("package", "source", "wrong"),
    [
        ("core", "from projects.models import Case\n", True),
        ("listing", "def later():\n    from rankings import selectors\n", True),
        ("projects", "from rankings.models import RankingIndex\n", True),
        ("dataio", "from pages import views\n", True),
        ("pages", "from projects.models import Case\nfrom core import i18n\n", False),
    ],
)
def test_the_rule_catches_a_wrong_import(tmp_path, monkeypatch, package, source, wrong):
    """The checker itself: an import up or sideways is found, even inside a function; one down is not."""
    (tmp_path / package).mkdir()
    (tmp_path / package / "probe.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.FLOORS", {**FLOORS})
    found = list(wrong_imports())
    assert bool(found) is wrong, found
