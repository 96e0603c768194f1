"""The admin's own stylesheet and script, on every admin page: badges and
covered media appear in listings, forms, views and modals alike."""

from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.staticfiles import versioned_static


def stylesheet():
    return format_html(
        '<link rel="stylesheet" href="{}">',
        versioned_static("wagtail_evidence/css/admin.css"),
    )


def script():
    """Covers warned media (admin/warned_media.py), asking the address given
    here which of Wagtail's own image listings to cover; and tells an edit form
    which revision its own autosave wrote (admin/views/edit.py)."""
    return format_html(
        '<script src="{}" data-warned-images-url="{}" defer></script>'
        '<script src="{}" defer></script>',
        versioned_static("wagtail_evidence/js/admin-warned-media.js"),
        reverse("wagtail_evidence:warned_images"),
        versioned_static("wagtail_evidence/js/admin-autosave.js"),
    )
