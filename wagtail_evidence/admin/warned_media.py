"""Media behind a content warning, as the admin shows it to the people who work
on it all day: blurred and in grayscale until they show it, one item at a time,
unless their account settings say otherwise (admin/account.py).

The surfaces that show an Evidence record's media in the admin: the poster's
image chooser in the form, the poster in the inspect view, and the poster in a
comparison of two revisions, all covered here, on the server; and the poster
among Wagtail's own images (their listing, the image chooser), which Wagtail
renders: the script covers those in the browser, asking warned_images() which
they are. The Evidence listing, the register and the Evidence chooser show no
media. The reader's side has its own warning (blocks/evidence.py).
"""

import functools

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.images.components import ImageDisplay
from wagtail.images.edit_handlers import ImageFieldComparison
from wagtail.images.widgets import AdminImageChooser

from wagtail_evidence.choices import WarningLevel, most_severe_warning
from wagtail_evidence.models import AdminPreferences, Evidence


TEMPLATE = "wagtail_evidence/admin/warned_media.html"

# The button's words, before and after it is pressed: the level it names is the
# one the editor chose, so "graphic" is never said of merely disturbing media.
LABELS = {
    WarningLevel.DISTURBING: (_("Show disturbing media"), _("Hide disturbing media")),
    WarningLevel.GRAPHIC: (_("Show graphic media"), _("Hide graphic media")),
}


def known_level(value):
    return value if value in LABELS else WarningLevel.NONE


def record_warning(record):
    """The stricter of the record's saved level and its latest revision's: a
    draft that adds a warning covers the media before it is published."""
    levels = [known_level(record.warning_level)]
    revision = getattr(record, "latest_revision", None)
    if revision is not None:
        levels.append(known_level(revision.content.get("warning_level")))
    return most_severe_warning(levels)


def blurs_warned_media(user):
    return AdminPreferences.for_user(user).blurs_warned_media


def cover_context(level, user):
    """What the cover's template needs, or None when ``level`` warns of nothing."""
    level = known_level(level)
    if level == WarningLevel.NONE:
        return None
    show, hide = LABELS[level]
    return {
        "level": level,
        "blurred": blurs_warned_media(user),
        "show_label": show,
        "hide_label": hide,
    }


def cover(media_html, level, user):
    """``media_html`` in its cover with the button that shows it; as it is, when
    ``level`` warns of nothing."""
    context = cover_context(level, user)
    if context is None or not media_html:
        return media_html
    return render_to_string(TEMPLATE, {"media": media_html, **context})


def warned_images(user):
    """What the script needs to cover warned posters among Wagtail's images:
    each such image's id with the strictest level of the records it is the
    poster of (as saved: a live record's unpublished draft is not read), the
    user's choice, and the button's words in the user's language."""
    images = {}
    posters = (
        Evidence.objects.exclude(warning_level=WarningLevel.NONE)
        .exclude(poster=None)
        .values_list("poster_id", "warning_level")
    )
    for image_id, level in posters:
        key = str(image_id)
        images[key] = most_severe_warning(
            [images.get(key, WarningLevel.NONE), known_level(level)]
        )
    return {
        "blurred": blurs_warned_media(user),
        "images": images,
        "labels": {
            level: {"show": str(show), "hide": str(hide)}
            for level, (show, hide) in LABELS.items()
        },
    }


class WarnedImageChooser(AdminImageChooser):
    """Wagtail's image chooser, its preview covered when the record is warned.
    The cover stays when another image is chosen: the chooser swaps the image
    inside it."""

    template_name = "wagtail_evidence/admin/widgets/warned_image_chooser.html"

    def __init__(self, level=WarningLevel.NONE, user=None, **kwargs):
        super().__init__(**kwargs)
        self.level = level
        self.user = user

    def get_context(self, name, value_data, attrs):
        context = super().get_context(name, value_data, attrs)
        context["warned_media"] = cover_context(self.level, self.user)
        return context


class WarnedImageDisplay(ImageDisplay):
    """The inspect view's poster, covered when the record is warned."""

    def __init__(self, value, level=WarningLevel.NONE, user=None):
        super().__init__(value)
        self.level = level
        self.user = user

    def render_html(self, parent_context):
        return cover(super().render_html(parent_context), self.level, self.user)


class WarnedImageComparison(ImageFieldComparison):
    """Two revisions' posters, covered when either revision is warned."""

    def __init__(self, field, obj_a, obj_b, user=None):
        super().__init__(field, obj_a, obj_b)
        self.level = most_severe_warning(
            [known_level(obj_a.warning_level), known_level(obj_b.warning_level)]
        )
        self.user = user

    def htmldiff(self):
        return cover(super().htmldiff(), self.level, self.user)


class PosterPanel(FieldPanel):
    """The poster's field; its revisions compare as covered images."""

    class BoundPanel(FieldPanel.BoundPanel):
        def get_comparison(self):
            if not self.is_shown():
                return []
            user = getattr(self.request, "user", None)
            return [
                functools.partial(WarnedImageComparison, self.panel.db_field, user=user)
            ]
