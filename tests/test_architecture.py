"""The walls of the house, each held by a test that reads the imports of ``portal/``.

The imports are read with :mod:`ast`, not by importing: an edge ``a → b`` means
module ``a`` imports module ``b`` at run time (relative imports resolved,
``from package import module`` counted as an import of the module). Imports
under ``if TYPE_CHECKING:`` are left out, since they never run; nor is the
parent package every import of a submodule loads first (``portal/__init__.py``
imports every part, so every module would otherwise sit in one circle with it).

Each checker is also run on a small package written to ``tmp_path`` that breaks
its rule, so that every test here is known to be able to fail.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from portal import PARTS

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
MAX_LINES = 400

#: The public side and the staff side (auth, review, admin and audit are still to come: the
#: rule holds against whatever exists, and against imports of modules not written yet).
PUBLIC_SIDE = ("portal.public", "portal.opendata", "portal.api", "portal.complaints", "portal.site")
STAFF_SIDE = ("portal.auth", "portal.review", "portal.admin", "portal.audit", "portal.casework")
#: The three floors of the map in docs/ARCHITECTURE.md: the parts people reach (and the
#: factory above them), the shared pieces (everything else), and the data and settings below.
PARTS_FLOOR = (
    "portal.site",
    "portal.cli",
    "portal.errors",
    "portal.retention",
    *PUBLIC_SIDE,
    *STAFF_SIDE,
)
BOTTOM_FLOOR = ("portal.models", "portal.db", "portal.config", "portal.clock")
#: What the search package may import from the portal: the data, its database, the settings and
#: the text helpers (folding, Kazakh Latin; they import nothing of the portal), nothing of users,
#: pages, features or demo data (a reviewer's scope will be handed to it as an argument).
SEARCH_MAY_IMPORT = ("portal.search", "portal.models", "portal.db", "portal.config", "portal.text")
#: Model names search must not use: who may see what is decided outside the index.
USER_MODELS = frozenset({"User", "Role", "user_regions", "AuditEvent"})
#: Web frameworks: models that import one would know about pages.
WEB = ("flask", "flask_babel", "flask_wtf", "jinja2", "werkzeug", "wtforms")


# --- reading the imports -----------------------------------------------------------------------


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root``, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements under ``node`` that run (not under ``if TYPE_CHECKING:``)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _runtime_imports(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _runtime_imports(child)


def _base(name: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` statement reads from."""
    if not node.level:
        return node.module or ""
    package = name.split(".") if is_package else name.split(".")[:-1]
    anchor = package[: len(package) - (node.level - 1)]
    return ".".join([*anchor, node.module] if node.module else anchor)


def imports(name: str, path: Path, known: Iterable[str]) -> dict[str, set[str]]:
    """What module ``name`` imports: {imported module: names taken from it}.

    ``from package import module`` is an import of the module. Any other dotted
    name is kept as written, even one of this package that does not exist (yet),
    so that a wall holds against modules still to be written.
    """
    known = set(known)
    is_package = path.name == "__init__.py"
    found: dict[str, set[str]] = {}
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, set())
            continue
        base = _base(name, is_package, node)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if submodule in known:
                found.setdefault(submodule, set())
            else:
                found.setdefault(base, set()).add(alias.name)
    return found


def import_graph(root: Path) -> dict[str, dict[str, set[str]]]:
    """Every module of the package at ``root`` and what it imports (see :func:`imports`)."""
    found = modules(root)
    return {name: imports(name, path, found) for name, path in found.items()}


# --- the checkers ------------------------------------------------------------------------------


def find_cycle(graph: dict[str, dict[str, set[str]]]) -> list[str] | None:
    """A circle of imports among the modules of ``graph`` (first module repeated at the end)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if target not in graph:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


def crossings(
    graph: dict[str, dict[str, set[str]]], sources: Iterable[str], targets: Iterable[str]
) -> list[str]:
    """Imports from a module under ``sources`` of a module under ``targets``, as "a → b"."""
    sources, targets = tuple(sources), tuple(targets)
    return [
        f"{module} → {target}"
        for module, imported in sorted(graph.items())
        if _within(module, sources)
        for target in sorted(imported)
        if _within(target, targets)
    ]


def outside(
    graph: dict[str, dict[str, set[str]]], sources: Iterable[str], allowed: Iterable[str]
) -> list[str]:
    """Imports of the same package from ``sources`` that leave ``allowed``, as "a → b"."""
    sources, allowed = tuple(sources), tuple(allowed)
    return [
        f"{module} → {target}"
        for module, imported in sorted(graph.items())
        if _within(module, sources)
        for target in sorted(imported)
        if target.split(".")[0] == module.split(".")[0] and not _within(target, allowed)
    ]


def floor(name: str, parts: Iterable[str], bottom: Iterable[str]) -> int:
    """0 for the package itself (the factory), 1 for a part, 3 for the bottom, 2 for the rest."""
    if "." not in name:
        return 0
    return 1 if _within(name, parts) else 3 if _within(name, bottom) else 2


def upward(
    graph: dict[str, dict[str, set[str]]], parts: Iterable[str], bottom: Iterable[str]
) -> list[str]:
    """Imports of a module on a higher floor than the importer's, as "a → b"."""
    parts, bottom = tuple(parts), tuple(bottom)
    return [
        f"{module} → {target}"
        for module, imported in sorted(graph.items())
        for target in sorted(imported)
        if target in graph and floor(target, parts, bottom) < floor(module, parts, bottom)
    ]


def oversized(root: Path, limit: int, skip: Iterable[str] = ()) -> list[str]:
    """Modules of ``root`` longer than ``limit`` lines, except those under ``skip``."""
    skip = tuple(skip)
    return [
        f"{name} ({lines} lines)"
        for name, path in modules(root).items()
        if not _within(name, skip)
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > limit
    ]


def unexplained_inner_imports(root: Path) -> list[str]:
    """Imports inside a function with no comment on the line before or on their own line."""
    found = []
    for name, path in modules(root).items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for function in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in _runtime_imports(function):
                own, before = lines[node.lineno - 1], lines[node.lineno - 2].strip()
                if "#" not in own and not before.startswith("#"):
                    found.append(f"{name}:{node.lineno}: {own.strip()}")
    return sorted(set(found))


# --- the walls of portal/ ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, set[str]]]:
    return import_graph(PORTAL)


def test_no_import_cycle_in_portal(graph):
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_no_module_over_400_lines_outside_demo():
    assert oversized(PORTAL, MAX_LINES, skip=["portal.demo"]) == []


def test_imports_run_downward_only(graph):
    """Shared pieces import no part, the data and settings nothing above them."""
    assert upward(graph, PARTS_FLOOR, BOTTOM_FLOOR) == []


def test_api_and_open_data_import_no_page_code(graph):
    assert crossings(graph, ["portal.api", "portal.opendata"], ["portal.public"]) == []


def test_models_know_no_pages(graph):
    """Models import only models, and no web framework."""
    assert outside(graph, ["portal.models"], ["portal.models"]) == []
    assert crossings(graph, ["portal.models"], WEB) == []


def test_search_knows_no_users(graph):
    assert outside(graph, ["portal.search"], SEARCH_MAY_IMPORT) == []
    taken = {
        f"{module} ← {name}"
        for module, imported in graph.items()
        if _within(module, ["portal.search"])
        for name in imported.get("portal.models", set()) & USER_MODELS
    }
    assert taken == set()


def test_the_public_side_imports_no_staff_code(graph):
    assert {module.split(".")[1] for module in graph if _within(module, PUBLIC_SIDE)} >= {
        "public",
        "opendata",
        "api",
        "complaints",
        "site",
    }
    assert crossings(graph, PUBLIC_SIDE, STAFF_SIDE) == []


def test_the_factory_is_a_list_of_parts_each_with_one_init_app():
    names = [part.__name__ for part in PARTS]
    assert len(set(names)) == len(names)
    assert all(callable(getattr(part, "init_app", None)) for part in PARTS), names


def test_imports_inside_functions_say_why():
    assert unexplained_inner_imports(PORTAL) == []


# --- the checkers can fail ---------------------------------------------------------------------


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root / "pkg"


def test_the_cycle_finder_finds_a_circle_through_every_kind_of_import(tmp_path):
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg import a\n",
            "pkg/a.py": "from pkg import b\n",  # from package import module
            "pkg/b.py": "from .sub import c\n",  # relative, into a subpackage
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "from .. import d\n",  # relative, two levels
            "pkg/d.py": "import pkg.a\n",  # plain import
        },
    )
    assert find_cycle(import_graph(root)) == ["pkg.a", "pkg.b", "pkg.sub.c", "pkg.d", "pkg.a"]


def test_the_cycle_finder_leaves_out_what_never_runs(tmp_path):
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import B\n",
            "pkg/b.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.a import A\n"
                "B = 1\n"
            ),
        },
    )
    assert find_cycle(import_graph(root)) is None
    (root / "b.py").write_text("def f():\n    from pkg.a import A\n", encoding="utf-8")
    assert find_cycle(import_graph(root)) == ["pkg.a", "pkg.b", "pkg.a"]


def test_the_walls_catch_a_crossing_even_into_code_not_written_yet(tmp_path):
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/public/__init__.py": "",
            "pkg/public/views.py": "from pkg.auth.guards import staff_only\n",
            "pkg/api/__init__.py": "from pkg.public import views\n",
            "pkg/models/__init__.py": "from flask import render_template\nfrom pkg import api\n",
            "pkg/search/__init__.py": "from pkg.models import User, Complaint\n",
        },
    )
    graph = import_graph(root)
    assert crossings(graph, ["pkg.public"], ["pkg.auth"]) == ["pkg.public.views → pkg.auth.guards"]
    assert crossings(graph, ["pkg.api"], ["pkg.public"]) == ["pkg.api → pkg.public.views"]
    assert outside(graph, ["pkg.models"], ["pkg.models"]) == ["pkg.models → pkg.api"]
    assert crossings(graph, ["pkg.models"], WEB) == ["pkg.models → flask"]
    assert graph["pkg.search"]["pkg.models"] & USER_MODELS == {"User"}
    assert upward(graph, ["pkg.public", "pkg.api"], ["pkg.models"]) == ["pkg.models → pkg.api"]


def test_the_size_check_and_the_inner_import_check_can_fail(tmp_path):
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/big.py": "x = 1\n" * 401,
            "pkg/demo/big.py": "x = 1\n" * 401,
            "pkg/lazy.py": (
                "def f():\n    import json\ndef g():\n    # a real start-up cost\n    import csv\n"
            ),
        },
    )
    assert oversized(root, MAX_LINES, skip=["pkg.demo"]) == ["pkg.big (401 lines)"]
    assert unexplained_inner_imports(root) == ["pkg.lazy:2: import json"]
