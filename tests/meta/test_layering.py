"""Layering, read from the source with ast: core imports no feature, features import only earlier ones, domain code
never reads the request, and modules stay small."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

from portal.config import ROOT

PORTAL = ROOT / "portal"
# auth → people → hub → {records, memories, mentoring, groups} → training → claims → payments (training files
# certificates through records' services; features register "needs me" items with hub, which imports none of them)
FEATURE_RANK = {
    "auth": 0,
    "people": 1,
    "records": 2,
    "memories": 2,
    "training": 2.5,
    "mentoring": 2,
    "groups": 2,
    "hub": 1.5,  # the home page and its registries: features register with it, it imports none of them
    "claims": 3,
    "payments": 4,
}
# Top-level wiring: may import any feature, and no feature or core module may import it.
WIRING = {"admin", "account", "inbox", "ops", "pwa", "errors", "demo", "cli", "app", "models", "jobs_registry"}
# Modules anything may import.
FOUNDATION = {"core", "config"}
DOMAIN_MODULES = {"services", "queries", "policy"}
REQUEST_STATE = {"request", "session", "g", "current_user"}
MAX_LINES = 400
TEMPLATE_WARN_LINES = 400


def _modules(root: Path):
    for path in sorted(root.rglob("*.py")):
        yield path, ast.parse(path.read_text(), filename=str(path))


def _part(path: Path) -> str:
    """The top-level part of portal a file belongs to: 'core', 'auth', 'cli', ..."""
    rel = path.relative_to(PORTAL)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _portal_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Every portal part imported anywhere in the module, including imports inside functions."""
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = (
                [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
                if node.module == "portal"
                else [node.module]
            )
        for name in names:
            parts = name.split(".")
            if parts[0] == "portal" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def test_portal_uses_absolute_imports():
    relative = [
        f"{p.relative_to(ROOT)}:{n.lineno}"
        for p, tree in _modules(PORTAL)
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.level > 0
    ]
    assert not relative, f"use absolute portal.* imports so the layering scan sees them: {relative}"


def test_core_imports_no_feature_or_wiring():
    bad = [
        f"{p.relative_to(ROOT)}:{line} imports portal.{target}"
        for p, tree in _modules(PORTAL / "core")
        for line, target in _portal_imports(tree)
        if target not in FOUNDATION
    ]
    assert not bad, "portal/core must not import features or wiring:\n" + "\n".join(bad)


def test_features_import_only_features_earlier_in_the_order():
    bad = []
    for path, tree in _modules(PORTAL):
        source = _part(path)
        if source not in FEATURE_RANK:
            continue
        for line, target in _portal_imports(tree):
            if target == source or target in FOUNDATION:
                continue
            if target in FEATURE_RANK and FEATURE_RANK[target] < FEATURE_RANK[source]:
                continue
            bad.append(f"{path.relative_to(ROOT)}:{line} ({source}) imports portal.{target}")
    assert not bad, (
        "features follow auth → people → hub → {records, memories, training, mentoring, groups} → "
        "claims → payments; wiring (admin, account, ...) is never imported by a feature:\n" + "\n".join(bad)
    )


def test_every_portal_package_is_classified():
    parts = {_part(p) for p, _ in _modules(PORTAL)} - {"__init__"}
    unknown = parts - set(FEATURE_RANK) - WIRING - FOUNDATION
    assert not unknown, f"add these to FEATURE_RANK or WIRING in {Path(__file__).name}: {sorted(unknown)}"


def _is_domain_module(path: Path) -> bool:
    rel = path.relative_to(PORTAL)
    return path.stem in DOMAIN_MODULES or any(part in DOMAIN_MODULES for part in rel.parts[:-1])


def test_services_queries_and_policy_never_read_the_request():
    bad = []
    for path, tree in _modules(PORTAL):
        if not _is_domain_module(path):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in {"flask", "flask_login", "flask.globals"}:
                names = {alias.name for alias in node.names} & REQUEST_STATE
                if names:
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {sorted(names)}")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in REQUEST_STATE
                and isinstance(node.value, ast.Name)
                and node.value.id in {"flask", "flask_login"}
            ):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not bad, "services, queries and policy take the actor as an argument:\n" + "\n".join(bad)


def test_python_modules_stay_under_400_lines():
    long = []
    for base in (PORTAL, ROOT / "tests", ROOT / "bench"):
        for path in sorted(base.rglob("*.py")) if base.exists() else []:
            lines = len(path.read_text().splitlines())
            if lines > MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, f"split modules longer than {MAX_LINES} lines:\n" + "\n".join(long)


def test_long_templates_are_reported():
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in sorted((ROOT / "templates").rglob("*.html"))
        if (n := len(p.read_text().splitlines())) > TEMPLATE_WARN_LINES
    ]
    for entry in long:
        warnings.warn(f"long template, consider partials: {entry}", stacklevel=1)
