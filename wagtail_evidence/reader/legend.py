"""The badge legend readers are sent to from the line under each badge, and
the newsroom's "How we verify" page the legend links to (both settings)."""

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from wagtail_evidence.badge import BADGE_MEANINGS
from wagtail_evidence.choices import Badge
from wagtail_evidence.conf import get_setting
from wagtail_evidence.media.weburls import safe_web_url


def configured_address(name, value):
    """A link target from a setting: '#fragment', '/a/path/' or a strict web
    address. Anything else is a mistake in the settings, said as such."""
    value = str(value)
    if value.startswith("#") and len(value) > 1 and " " not in value:
        return value
    if value.startswith("/") and not value.startswith("//") and " " not in value:
        return value
    address = safe_web_url(value)
    if not address:
        raise ImproperlyConfigured(
            f'WAGTAIL_EVIDENCE["{name}"] must be "#fragment", "/a/path/" or a web '
            f"address starting with https://, not {value!r}."
        )
    return address


def legend_url():
    value = get_setting("BADGE_LEGEND_URL")
    return configured_address("BADGE_LEGEND_URL", value) if value else ""


def method_page_url():
    """The "How we verify" page in the active language, else the site's default
    language, else none."""
    value = get_setting("METHOD_PAGE")
    if isinstance(value, dict):
        language = translation.get_language() or ""
        from django.conf import settings

        value = (
            value.get(language)
            or value.get(language.split("-")[0])
            or value.get(settings.LANGUAGE_CODE)
        )
    return configured_address("METHOD_PAGE", value) if value else ""


def legend_context():
    return {
        "badges": [
            {
                "value": badge.value,
                "label": badge.label,
                "meaning": BADGE_MEANINGS[badge],
            }
            for badge in Badge
        ],
        "method_url": method_page_url(),
    }
