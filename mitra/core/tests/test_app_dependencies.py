"""The apps depend on each other one way only (DESIGN.md, docs/architecture.md):

    core ← users, integrations ← mail ← parties ← dedupe, reminders ← activities ← api

Every import in every module of every app counts, module level or inside a function;
tests, migrations and `core/testing.py` (the test personas) do not.
"""

import ast
from pathlib import Path

from django.test import SimpleTestCase

MITRA = Path(__file__).resolve().parents[2]

# An app may import apps of a lower layer only (never its own layer, never a higher one).
LAYERS = {
    "core": 0,
    "users": 1,
    "integrations": 1,
    "mail": 2,
    "parties": 3,
    "dedupe": 4,
    "reminders": 4,
    "activities": 5,
    "api": 9,
}
NOT_CODE = {"tests", "migrations", "locale", "templates", "static"}
TEST_SUPPORT = {Path("core/testing.py")}


def apps():
    return sorted(p.name for p in MITRA.iterdir() if (p / "__init__.py").exists())


def imports_of(app):
    """(imported app, imported module, file) for every import of another mitra app."""
    for path in sorted((MITRA / app).rglob("*.py")):
        rel = path.relative_to(MITRA)
        if NOT_CODE & set(rel.parts) or rel in TEST_SUPPORT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if (
                    parts[0] == "mitra"
                    and len(parts) > 1
                    and parts[1] != app
                    and (MITRA / parts[1] / "__init__.py").exists()
                ):
                    yield parts[1], ".".join(parts[:3]), rel


class AppDependencyTests(SimpleTestCase):
    def test_every_app_has_a_layer(self):
        self.assertEqual(sorted(set(apps()) - set(LAYERS)), [], "add the new app to LAYERS")

    def test_imports_point_down_the_layers(self):
        wrong = {
            f"{rel}: {app} imports {module}"
            for app in apps()
            for other, module, rel in imports_of(app)
            if LAYERS[other] >= LAYERS[app]
        }
        self.assertEqual(sorted(wrong), [])

    def test_no_app_imports_another_apps_views(self):
        wrong = {
            f"{rel}: {module}"
            for app in apps()
            for _other, module, rel in imports_of(app)
            if module.rsplit(".", 1)[-1].startswith("views")
        }
        self.assertEqual(sorted(wrong), [])

    def test_the_graph_has_no_cycle(self):
        graph = {app: {other for other, _m, _r in imports_of(app)} for app in apps()}
        done, path = set(), []

        def visit(app):
            if app in path:
                self.fail("cycle: " + " → ".join([*path[path.index(app) :], app]))
            if app in done:
                return
            path.append(app)
            for other in sorted(graph[app]):
                visit(other)
            path.pop()
            done.add(app)

        for app in graph:
            visit(app)
