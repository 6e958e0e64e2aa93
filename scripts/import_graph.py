"""The package's import graph, checked against its floors.

    python scripts/import_graph.py [--dot FILE] [--verbose]

Every ``import`` of a ``cnlp`` module is read from the source (module level and inside functions
alike), mapped to the floor of the importing and the imported module, and reported:

* import circles (strongly connected groups of modules),
* imports that run from a lower floor up to a higher one,
* library modules (below the front floor) that import the command line,
* the number of internal import statements, and how many of them sit inside functions.

Exit status 1 when a circle or an upward import exists that is not listed in ``ALLOWED_UP``.
The floors are those of docs/architecture.md ("Floors").
"""
from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "cnlp"

#: floor number -> name (higher floors may import lower ones, never the other way round)
FLOORS = {0: "kernels", 1: "ground", 2: "corpus", 3: "dictionary", 4: "learning core",
          5: "tasks", 6: "training", 7: "pipeline", 8: "front"}

#: upward imports accepted, each with its reason: (importer, imported) -> why
ALLOWED_UP: dict[tuple[str, str], str] = {}


def floor_of(mod: str) -> int:
    parts = mod.split(".")
    leaf = parts[-1]
    if leaf.startswith("_") and leaf.endswith("kernels") or leaf in ("_intrinsics", "_jit"):
        return 0
    if mod in ("cnlp", "cnlp.__main__", "cnlp.batch", "cnlp.dask", "cnlp.kernel_cache") or (len(parts) > 1 and parts[1] == "cli"):
        return 8
    if len(parts) == 1:
        return 8
    top = parts[1]
    if top in ("pipeline", "models", "registry"):
        return 7
    if top == "train":
        return 6
    if top in ("segment", "segmentation", "segmenters", "pos", "ner", "entities", "parse", "parsing", "depparse",
               "extract", "classify", "eval_files"):
        return 5
    if top in ("sequence", "tagset", "linear_tagger"):
        return 4
    if top == "dictionary":
        return 3
    if top == "corpus":
        return 2
    if top == "data":
        return 1
    return 1   # text, io, errors, evaluate, doc, progress, _locks, _marks, ...


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def resolve(importer: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not is_pkg:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def collect(modules: set[str]):
    """-> list of (importer, imported, in_function, lineno)"""
    edges = []
    for path in sorted(PKG.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        importer = module_name(path)
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node, in_func):
            for child in ast.iter_child_nodes(node):
                inner = in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                if isinstance(child, ast.Import):
                    for alias in child.names:
                        if alias.name == "cnlp" or alias.name.startswith("cnlp."):
                            edges.append((importer, target(alias.name), in_func, child.lineno))
                elif isinstance(child, ast.ImportFrom):
                    mod = resolve(importer, is_pkg, child)
                    if mod == "cnlp" or mod.startswith("cnlp."):
                        # `from cnlp.x import y` where y is a sub-module counts as importing cnlp.x.y
                        names = [f"{mod}.{a.name}" for a in child.names if f"{mod}.{a.name}" in modules]
                        if names:
                            for name in names:
                                edges.append((importer, name, in_func, child.lineno))
                        else:
                            edges.append((importer, target(mod), in_func, child.lineno))
                visit(child, inner)

        def target(name):
            while name not in modules and "." in name:
                name = name.rsplit(".", 1)[0]
            return name

        visit(tree, False)
    return edges


def sccs(graph: dict[str, set[str]]):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            strong(v)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dot", help="write the module graph in Graphviz format")
    ap.add_argument("--verbose", action="store_true", help="list every upward import with its line")
    args = ap.parse_args(argv)
    modules = {module_name(p) for p in PKG.rglob("*.py") if "__pycache__" not in p.parts}
    edges = collect(modules)
    # an import of a package's parent (`from . import x` inside cnlp/x/...) is not an edge to itself
    edges = [e for e in edges if e[0] != e[1]]
    graph = defaultdict(set)
    for a, b, _, _ in edges:
        graph[a].add(b)
    circles = sccs(graph)
    up = [(a, b, f, ln) for a, b, f, ln in edges if floor_of(b) > floor_of(a)]
    up_pairs = sorted({(a, b) for a, b, _, _ in up})
    bad_up = [p for p in up_pairs if p not in ALLOWED_UP]
    cli_users = sorted({a for a, b, _, _ in edges if (b == "cnlp.cli" or b.startswith("cnlp.cli."))
                        and floor_of(a) < 8})
    n_func = sum(1 for e in edges if e[2])
    stmts = {(a, ln) for a, _, _, ln in edges}
    func_stmts = {(a, ln) for a, _, f, ln in edges if f}
    print(f"modules: {len(modules)}; internal import statements: {len(stmts)}, "
          f"inside functions: {len(func_stmts)}; import edges: {len(edges)} ({n_func} inside functions)")
    print(f"import circles: {len(circles)}")
    for c in circles:
        print(f"  circle of {len(c)}: {' '.join(c)}")
    print(f"upward imports (module pairs): {len(up_pairs)}; not allowed: {len(bad_up)}")
    for a, b in up_pairs:
        why = ALLOWED_UP.get((a, b))
        print(f"  {a} [{FLOORS[floor_of(a)]}] -> {b} [{FLOORS[floor_of(b)]}]" + (f"  (allowed: {why})" if why else ""))
        if args.verbose:
            for e in up:
                if e[0] == a and e[1] == b:
                    print(f"      line {e[3]}{' (in a function)' if e[2] else ''}")
    print(f"library modules importing the command line: {len(cli_users)}" + (f": {' '.join(cli_users)}" if cli_users else ""))
    if args.dot:
        with open(args.dot, "w", encoding="utf-8") as f:
            f.write("digraph cnlp {\n  rankdir=BT;\n")
            for a in sorted(graph):
                for b in sorted(graph[a]):
                    color = "red" if floor_of(b) > floor_of(a) else "black"
                    f.write(f'  "{a}" -> "{b}" [color={color}];\n')
            f.write("}\n")
    return 1 if circles or bad_up or cli_users else 0


if __name__ == "__main__":
    sys.exit(main())
