"""Imports point inward: readers never import writers, nothing imports the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "rncp_ld"


def _imports(path: Path) -> set[str]:
    module = "rncp_ld." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
    return {n for n in found if n.startswith("rncp_ld")}


def _modules():
    return {p: _imports(p) for p in PACKAGE.rglob("*.py")}


def test_model_imports_nothing_from_the_package():
    assert _imports(PACKAGE / "model.py") == set()


def test_readers_never_import_writers_or_rdf():
    for path, imports in _modules().items():
        if "readers" in path.parts:
            bad = {i for i in imports if i.startswith(("rncp_ld.rdf", "rncp_ld.writers", "rncp_ld.convert"))}
            assert not bad, f"{path.name} imports {bad}"


def test_nothing_imports_the_cli():
    for path, imports in _modules().items():
        if path.name not in ("cli.py", "__main__.py"):
            assert "rncp_ld.cli" not in imports, path
