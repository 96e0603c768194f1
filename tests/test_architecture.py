"""The package's structure, held against its code (docs/explanation/architecture.md):
no import circle between its modules, each layer importing only those below it,
a short top level, and the moved modules still importable from their old paths."""

import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

import wagtail_evidence


PACKAGE = Path(wagtail_evidence.__file__).parent

# Top first; a module may import only from its own layer or those below.
LAYERS = [
    ["apps", "wagtail_hooks", "templatetags", "management", "checks"],
    ["views"],
    ["signal_handlers", "purge", "warming"],
    ["admin"],
    ["exchange", "archives"],
    ["models"],
    ["editorial"],
    ["blocks"],
    ["reader"],
    ["facets", "badge", "formfields", "validators"],
    ["media", "geo"],
    ["conf", "choices", "dates", "i18n", "sanitize", ""],
]
TOP_LEVEL_ALLOWANCE = 12  # modules beside __init__, apps and wagtail_hooks


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules():
    return {
        module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
    }


def imported_modules(path, known):
    """The package's modules that ``path`` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names} & known
        elif isinstance(node, ast.ImportFrom) and node.module in known:
            # "from package import module" imports that module; "from module
            # import name" the module itself
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & known
            found |= submodules or {node.module}
    return found


def import_graph():
    modules = package_modules()
    return {
        name: imported_modules(path, set(modules)) for name, path in modules.items()
    }


def layer_of(module):
    relative = module.removeprefix("wagtail_evidence").lstrip(".")
    head = relative.split(".")[0]
    for index, layer in enumerate(LAYERS):
        if head in layer:
            return index
    raise AssertionError(
        f"{module} is on no layer: add it to LAYERS and the architecture page"
    )


def test_the_graph_is_read():
    graph = import_graph()
    assert (
        "wagtail_evidence.reader.render_cache"
        in graph["wagtail_evidence.models.evidence"]
    )
    assert (
        "wagtail_evidence.blocks.citations" in graph["wagtail_evidence.editorial.gate"]
    )


def test_no_import_circle():
    graph = import_graph()
    visiting, done, circles = [], set(), []

    def visit(module):
        if module in visiting:
            circles.append(visiting[visiting.index(module) :] + [module])
            return
        if module in done:
            return
        visiting.append(module)
        for target in sorted(graph[module]):
            visit(target)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    assert circles == []
    assert len(done) == len(graph) > 50


def test_each_layer_imports_only_the_layers_below():
    upward = [
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if layer_of(target) < layer_of(module)
    ]
    assert upward == []


def test_the_top_level_is_short():
    modules = [
        path.stem
        for path in PACKAGE.glob("*.py")
        if path.stem not in {"__init__", "apps", "wagtail_hooks"}
    ]
    assert 0 < len(modules) <= TOP_LEVEL_ALLOWANCE, sorted(modules)


@pytest.mark.parametrize("old, new", sorted(wagtail_evidence.MOVED_MODULES.items()))
def test_a_moved_module_imports_from_its_old_path_with_a_warning(old, new):
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} has moved to {new}"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)


def test_settings_may_still_name_old_paths():
    from django.utils.module_loading import import_string

    from wagtail_evidence.editorial.middleware import EvidenceGateMiddleware
    from wagtail_evidence.media.providers import YouTube

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert (
            import_string("wagtail_evidence.middleware.EvidenceGateMiddleware")
            is EvidenceGateMiddleware
        )
        assert import_string("wagtail_evidence.providers.YouTube") is YouTube


def test_permissions_are_asked_of_the_one_policy():
    from wagtail_evidence.editorial.permissions import evidence_permission_policy
    from wagtail_evidence.models import Evidence

    assert Evidence.snippet_viewset.permission_policy is evidence_permission_policy
    asking_django = [
        str(path.relative_to(PACKAGE))
        for path in package_modules().values()
        if ".has_perm(" in path.read_text()
    ]
    assert asking_django == []
