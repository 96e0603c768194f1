"""Whether a site overrides one of the package's reader templates.

Some of what the package's templates write is written in Python for speed
(reader.media_html); a site that overrides one of those templates must get its
own. A template is the package's own when the file the template loaders find
for its name is the one the package ships. Asked once per name and process
(loaders do not change while a process runs), and again when the settings that
choose templates change (tests).
"""

from functools import lru_cache
from pathlib import Path

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import TemplateDoesNotExist
from django.template.loader import get_template


PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=32)
def package_template_in_use(name):
    """True when ``name`` resolves to the package's own file, not a site's."""
    try:
        origin = get_template(name).origin
    except TemplateDoesNotExist:
        return False
    if not origin.name:  # a template not read from a file: the site's own
        return False
    return Path(origin.name).resolve() == PACKAGE_TEMPLATES / name


TEMPLATE_SETTINGS = {"TEMPLATES", "INSTALLED_APPS"}


@receiver(setting_changed)
def _forget_overrides(setting, **kwargs):
    if setting in TEMPLATE_SETTINGS:
        package_template_in_use.cache_clear()
