"""The package's shape, held by tests: stage folders talk to each other only through their
public API (the names in a stage's `__init__`), and the code-version hash covers every module."""
from __future__ import annotations

import ast
from pathlib import Path

import pipeline
from pipeline.store.article_store import PACKAGE_DIR

PACKAGE = Path(pipeline.__file__).resolve().parent
STAGE_FOLDERS = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())


def _imports(path: Path):
    """(line, module, names) of every `pipeline...` import of a module, lazy ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "pipeline":
                    yield node.lineno, alias.name, []


def test_the_stage_folders_are_the_stages():
    assert STAGE_FOLDERS == ["claims", "crossref", "ingest", "linking", "outputs", "references", "store"]


def test_no_stage_imports_another_stages_private_modules():
    wrong = []
    for folder in STAGE_FOLDERS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            for line, module, names in _imports(path):
                parts = module.split(".")
                other = parts[1] if len(parts) > 1 else None
                if other in STAGE_FOLDERS and other != folder:
                    public = getattr(__import__(f"pipeline.{other}", fromlist=["__all__"]), "__all__", [])
                    if len(parts) > 2 or any(name not in public for name in names):
                        wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {module} {names}")
    assert not wrong, "\n".join(wrong)


def test_each_stage_folders_public_names_exist():
    for folder in STAGE_FOLDERS:
        package = __import__(f"pipeline.{folder}", fromlist=["__all__"])
        for name in getattr(package, "__all__", []):
            assert hasattr(package, name), f"pipeline.{folder}.{name}"


def test_the_code_version_hash_covers_every_module(tmp_path, monkeypatch):
    """A change to any module, in any stage folder, makes a new pipeline version (so stored
    work files are redone)."""
    import shutil

    from pipeline.store import article_store

    assert PACKAGE_DIR == PACKAGE
    copy = tmp_path / "pipeline"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(article_store, "PACKAGE_DIR", copy)
    versions = set()
    for changed in [None, *sorted(copy.rglob("*.py"))[::7]]:
        if changed is not None:
            changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        article_store.pipeline_version.cache_clear()
        versions.add(article_store.pipeline_version())
    article_store.pipeline_version.cache_clear()
    assert len(versions) == 1 + len(sorted(copy.rglob("*.py"))[::7])
    assert any(p.parent != copy for p in sorted(copy.rglob("*.py"))[::7])  # a module in a folder was among them


def test_docs_architecture_lists_every_module_once():
    """docs/ARCHITECTURE.md has one line per module of the package, and none for a module that is gone."""
    import re

    from tests.conftest import ROOT

    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([\w/]+\.py)` \|", text, re.M)
    modules = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))
    assert sorted(listed) == modules


def test_no_module_over_400_lines_and_no_function_over_60():
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > 400:
            too_long.append(f"{path.relative_to(PACKAGE)}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60:
                too_long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}: "
                                f"{node.end_lineno - node.lineno + 1} lines")
    assert not too_long, "\n".join(too_long)
