"""The floors of docs/architecture.md hold: scripts/import_graph.py finds no import circle, no upward
import and no library module importing the command line."""
from __future__ import annotations

import contextlib
import importlib.util
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_graph():
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_no_circles_no_upward_imports_no_cli_in_the_library():
    g = _import_graph()
    modules = {g.module_name(p) for p in g.PKG.rglob("*.py") if "__pycache__" not in p.parts}
    assert {"cnlp", "cnlp.evaluate", "cnlp.extract.keywords", "cnlp.classify.features"} <= modules
    edges = [e for e in g.collect(modules) if e[0] != e[1]]
    graph: dict = {}
    for a, b, _, _ in edges:
        graph.setdefault(a, set()).add(b)
    assert g.sccs(graph) == [], "import circles"
    up = sorted({(a, b) for a, b, _, _ in edges if g.floor_of(b) > g.floor_of(a)} - set(g.ALLOWED_UP))
    assert up == [], "upward imports: " + ", ".join(f"{a} -> {b}" for a, b in up)
    cli = sorted({a for a, b, _, _ in edges if (b == "cnlp.cli" or b.startswith("cnlp.cli.")) and g.floor_of(a) < 8})
    assert cli == [], f"library modules importing the command line: {cli}"
    # the script's own verdict (its exit status) agrees
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = g.main([])
    assert status == 0, out.getvalue()
    assert "import circles: 0" in out.getvalue()


def test_every_module_has_a_known_floor():
    """A new top-level module lands on the ground floor unless the script is told otherwise: list
    the modules the ground floor holds, so that one placed there by accident is noticed."""
    g = _import_graph()
    ground = sorted(m for m in (g.module_name(p) for p in g.PKG.rglob("*.py") if "__pycache__" not in p.parts)
                    if g.floor_of(m) == 1 and not m.startswith("cnlp.data"))
    assert ground == ["cnlp._locks", "cnlp._marks", "cnlp.doc", "cnlp.errors", "cnlp.evaluate", "cnlp.expressions", "cnlp.io",
                      "cnlp.outputs", "cnlp.progress", "cnlp.text"], ground
