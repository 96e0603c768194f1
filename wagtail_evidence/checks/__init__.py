"""System checks for a project's setup of wagtail-evidence.

Every check carries the tag ``wagtail_evidence``, so that
``manage.py check --database default --tag wagtail_evidence`` runs them all.
Their messages are not translated, as Django's own are not.
docs/reference/system-checks.md explains each one.

One module per check, each registering its check when imported, as the app's
``ready()`` does by importing this package:

- ``middleware``: E001, the middleware that shows a refusal as a message;
- ``app_order``: W001, the order of INSTALLED_APPS;
- ``workflow``: W002, the evidence-check workflow (reads the database);
- ``csp``: W003, a Content Security Policy that blocks the players;
- ``frontend_cache``: W004, cached pages that nothing purges;
- ``content_credentials``: E002-E004 and W005, a C2PA trust list that is not used;
- ``source_check``: E005, a source check's timeout that is not a number of seconds;
- ``warming``: E006, a number of articles to warm in the request that is not one.

A test that replaces a function a check calls must patch it on the module of
that check, where it is looked up, not on this package.
"""

from wagtail_evidence.checks import (
    app_order,
    content_credentials,
    csp,
    frontend_cache,
    middleware,
    source_check,
    warming,
    workflow,
)
from wagtail_evidence.checks.common import TAG, contains_subclass


__all__ = [
    "TAG",
    "app_order",
    "content_credentials",
    "contains_subclass",
    "csp",
    "frontend_cache",
    "middleware",
    "source_check",
    "warming",
    "workflow",
]
