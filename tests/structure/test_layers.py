"""Layers point one way (README, "Where things live"): each top-level package imports only the
layers below it, and no modules import each other in a circle. Read from the code itself
(imports inside functions count too); tests, migrations and bench are left out, and so is the
wiring (settings, root URLconf, Celery app, WSGI), which ties every app together from above."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Bottom first. A package may import its own layer's modules and any layer before it.
LAYERS = ["matching", "encompass", "schools", "incidents", "notifications", "police", "demo"]
WIRING = {"encompass.settings", "encompass.urls", "encompass.celery", "encompass.wsgi", "encompass.asgi"}
LEFT_OUT = {"migrations", "tests", "bench"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            if LEFT_OUT & set(path.relative_to(ROOT).parts):
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if name not in WIRING:
                found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
                break
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_no_package_imports_a_layer_above_it():
    backwards = sorted(
        f"{module} -> {target}"
        for module, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(module)
    )
    assert not backwards, "imports pointing up the layers:\n" + "\n".join(backwards)


def test_no_modules_import_each_other_in_a_circle():
    graph = _graph()
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, f"modules importing each other in a circle: {cycles}"


def test_the_layers_cover_every_top_level_package():
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - LEFT_OUT
    assert packages == set(LAYERS), "place each new top-level package in LAYERS and the README"


def test_the_check_sees_a_backwards_import(tmp_path):
    # The reading itself must notice an import that points up (here schools -> notifications).
    module = tmp_path / "schools_probe.py"
    module.write_text("def f():\n    from notifications.services import notification_create\n")
    known = set(_modules())
    targets = _imports("schools.probe", module, known)
    assert "notifications.services" in targets
    assert _layer("notifications.services") > _layer("schools.probe")
