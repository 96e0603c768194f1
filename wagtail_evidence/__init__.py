"""Structured evidence for verification journalism in Wagtail."""

import importlib
import importlib.abc
import importlib.util
import sys
import warnings


__version__ = "0.1.0"

# Modules that moved in 0.2 (CHANGELOG.md), importable from their old paths
# until 1.0 with a DeprecationWarning: projects name some of them in settings
# (MIDDLEWARE, WAGTAIL_FINISH_WORKFLOW_ACTION, PROVIDERS, task paths).
MOVED_MODULES = {
    "wagtail_evidence.admin_urls": "wagtail_evidence.admin.urls",
    "wagtail_evidence.api": "wagtail_evidence.reader.serializers",
    "wagtail_evidence.csp": "wagtail_evidence.media.providers",
    "wagtail_evidence.evidence_check": "wagtail_evidence.editorial.evidence_check",
    "wagtail_evidence.gate": "wagtail_evidence.editorial.gate",
    "wagtail_evidence.jsonld": "wagtail_evidence.reader.jsonld",
    "wagtail_evidence.middleware": "wagtail_evidence.editorial.middleware",
    "wagtail_evidence.panels": "wagtail_evidence.admin.panels",
    "wagtail_evidence.panels_dashboard": "wagtail_evidence.admin.dashboard",
    "wagtail_evidence.players": "wagtail_evidence.media.players",
    "wagtail_evidence.providers": "wagtail_evidence.media.providers",
    "wagtail_evidence.render_cache": "wagtail_evidence.reader.render_cache",
    "wagtail_evidence.roles": "wagtail_evidence.editorial.roles",
    "wagtail_evidence.verification": "wagtail_evidence.editorial.verification",
    "wagtail_evidence.viewsets": "wagtail_evidence.admin.viewsets",
    "wagtail_evidence.weburls": "wagtail_evidence.media.weburls",
    "wagtail_evidence.workflows": "wagtail_evidence.editorial.finish_action",
}


class MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves an old module path with the module that now holds its code."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED_MODULES:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        new = MOVED_MODULES[spec.name]
        warnings.warn(
            f"{spec.name} has moved to {new}.", DeprecationWarning, stacklevel=2
        )
        return importlib.import_module(new)

    def exec_module(self, module):
        pass  # already executed under its new name


if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
    sys.meta_path.append(MovedModuleFinder())
