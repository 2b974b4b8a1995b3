"""The house's shape, checked on the code: imports in one direction and no loop, each formula's
exponential in one place, functions small enough to read, and tests that mirror the package."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "linclass"
LAYERS = {"core": 0, "session": 1, "ui": 2, "testing": 2}  # a layer imports only from layers below it


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The linclass modules a file imports (TYPE_CHECKING imports included), as dotted names."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("linclass")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            if base.startswith("linclass"):
                out |= {f"{base}.{a.name}" for a in node.names} | {base}
    return out


def _graph() -> dict[str, set[str]]:
    files = [*PACKAGE.rglob("*.py"), ROOT / "app.py"]
    modules = {_module_name(f): f for f in files}
    return {m: {i for i in _imports(f) if i in modules and i != m} for m, f in modules.items()}


def test_no_modules_import_each_other_in_a_loop():
    graph = _graph()
    # A package's __init__ re-exports its modules: importing a module of a package runs the package
    # first, but that is no loop of the modules' own code, so __init__ files are left out.
    graph = {
        m: {i for i in deps if not (PACKAGE / (i.replace(".", "/") + "/__init__.py")).exists()}
        for m, deps in graph.items()
        if not (PACKAGE / (m.replace(".", "/") + "/__init__.py")).exists()
    }
    seen, stack = set(), []

    def visit(m):
        if m in stack:
            raise AssertionError("import loop: " + " -> ".join(stack[stack.index(m) :] + [m]))
        if m in seen:
            return
        stack.append(m)
        for d in graph.get(m, ()):
            visit(d)
        stack.pop()
        seen.add(m)

    for m in graph:
        visit(m)


def test_imports_run_one_way_between_the_layers():
    for m, deps in _graph().items():
        parts = m.split(".")
        if len(parts) < 2 or parts[1] not in LAYERS:
            continue
        for d in deps:
            layer = d.split(".")[1] if len(d.split(".")) > 1 else None
            if layer in LAYERS and layer != parts[1]:
                assert LAYERS[layer] < LAYERS[parts[1]], f"{m} imports {d}"


def test_the_exponential_and_logarithm_of_scores_live_in_at_most_two_files():
    natural = re.compile(r"\bnp\.(exp|log|log1p|expm1|logaddexp)\(|\bmath\.(exp|log)\(")
    files = [p.relative_to(ROOT) for p in PACKAGE.rglob("*.py") if natural.search(p.read_text())]
    assert len(files) <= 2, files


def test_every_function_is_small_enough_to_read():
    radon = pytest.importorskip("radon.complexity")
    too_big = []
    for path in [*PACKAGE.rglob("*.py"), ROOT / "app.py"]:
        for block in radon.cc_visit(path.read_text()):
            if block.complexity > 15:
                too_big.append(f"{path.relative_to(ROOT)}:{block.name} ({block.complexity})")
    assert not too_big, too_big


def test_the_tests_mirror_the_package():
    """tests/<pkg>/test_<module>[_<aspect>].py for a module <pkg>/<module>.py of linclass, and every
    module has at least one such file (the browser, deploy and page tests drive the whole app)."""
    modules = {p.relative_to(PACKAGE).with_suffix("") for p in PACKAGE.rglob("*.py") if p.stem != "__main__"}
    covered, strays = set(), []
    for test in (ROOT / "tests").rglob("test_*.py"):
        rel = test.relative_to(ROOT / "tests")
        if rel.parts[0] in ("browser", "deploy", "js") or len(rel.parts) == 1:
            continue
        folder, stem = Path(*rel.parts[:-1]), test.stem[len("test_") :]
        match = [
            m
            for m in modules
            if m.parent == folder
            and (stem == m.name or stem.startswith(m.name + "_") or (m.name == "__init__" and stem.startswith("init")))
        ]
        (covered.update(match) if match else strays.append(str(rel)))
    assert not strays, f"test files that mirror no module: {strays}"
    # linclass/ui/app.py is the installed package's two-line script (main() of ui/page): the install test runs it.
    untested = sorted(str(m) for m in modules - covered if m.name != "__init__" and str(m) != "ui/app")
    assert not untested, f"modules without a test file: {untested}"
