"""What the system checks share: their tag, and a test of MIDDLEWARE."""

from django.utils.module_loading import import_string


TAG = "wagtail_evidence"


def contains_subclass(class_path, candidate_paths):
    """Whether one of the dotted paths names ``class_path`` or a subclass of it
    (as django.contrib.admin.checks checks MIDDLEWARE)."""
    try:
        cls = import_string(class_path)
    except ImportError:
        return False
    for path in candidate_paths:
        try:
            candidate = import_string(path)
        except ImportError:
            continue  # reported by Django when the middleware is loaded
        if isinstance(candidate, type) and issubclass(candidate, cls):
            return True
    return False
