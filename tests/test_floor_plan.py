"""The floor plan of DESIGN.md, held: apps reach each other through `access.py` and the
workflow modules, never through views; the roles table is written once; no task enters an
organization's scope by hand (the base task does)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [
    "accounts",
    "guides",
    "candidates",
    "scorecards",
    "debriefs",
    "references",
    "workspace",
    "demo",
]
SOURCES = sorted(
    path
    for app in [*APPS, "config", "bench"]
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.parts
)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


# The URL configuration routes to every app's views: the one module that may name them.
@pytest.mark.parametrize(
    "path",
    [path for path in SOURCES if path.relative_to(ROOT) != Path("config/urls.py")],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_no_module_imports_another_apps_views(path):
    own = path.relative_to(ROOT).parts[0]
    views = {m for m in imported_modules(path) if m.split(".")[-1] == "views"}
    assert not {m for m in views if m.split(".")[0] in APPS and m.split(".")[0] != own}


ROLES = {"ADMIN", "HIRING_MANAGER", "RECRUITER", "INTERVIEWER"}


def role_collections(path: Path) -> list[int]:
    """Lines holding a tuple, list, set or call's arguments of two or more roles
    (`Role.ADMIN, Role.RECRUITER`)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        elements = node.args if isinstance(node, ast.Call) else getattr(node, "elts", None)
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Call):
            roles = [
                element
                for element in elements
                if isinstance(element, ast.Attribute) and element.attr in ROLES
            ]
            if len(roles) >= 2:
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "path",
    [path for path in SOURCES if path.relative_to(ROOT) != Path("accounts/access.py")],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_no_module_but_the_capability_table_lists_roles(path):
    assert role_collections(path) == []


@pytest.mark.parametrize("path", sorted(ROOT.glob("*/tasks.py")), ids=lambda p: p.parent.name)
def test_no_task_enters_a_scope_by_hand(path):
    assert "scope(" not in path.read_text().replace("scopes_disabled(", "")
