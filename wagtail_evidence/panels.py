"""The Evidence form, tab by tab, in the order a verification desk works."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)


def facet_panel(heading, *fields, status, method):
    return MultiFieldPanel(
        [*fields, FieldPanel(status), FieldPanel(method)], heading=heading
    )


media_panels = [
    FieldPanel("title"),
    FieldPanel("media_url"),
    FieldPanel("display"),
    FieldRowPanel([FieldPanel("provider", read_only=True), FieldPanel("media_id", read_only=True)]),
    FieldPanel("video_file"),
    FieldPanel("poster"),
    FieldPanel("description"),
    MultiFieldPanel(
        [FieldPanel("original_file"), FieldPanel("original_file_sha256", read_only=True)],
        heading=_("Chain of custody"),
    ),
    FieldPanel("tags"),
]

sources_panels = [
    InlinePanel(
        "appearances",
        heading=_("Where it appeared"),
        label=_("Appearance"),
        help_text=_("Each place the media was posted or relayed, earliest first."),
    ),
]

verification_panels = [
    facet_panel(
        _("Where it was filmed"),
        FieldRowPanel([FieldPanel("place"), FieldPanel("region"), FieldPanel("country")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("location_precision"),
        status="location_status",
        method="location_method",
    ),
    facet_panel(
        _("When it was filmed"),
        FieldRowPanel([FieldPanel("filmed_on"), FieldPanel("filmed_on_precision")]),
        status="date_status",
        method="date_method",
    ),
    facet_panel(
        _("Who appears or filmed it"),
        FieldPanel("identified"),
        status="identity_status",
        method="identity_method",
    ),
    facet_panel(
        _("Authenticity"),
        FieldPanel("authenticity_category"),
        status="authenticity_status",
        method="authenticity_method",
    ),
    MultiFieldPanel(
        [FieldPanel("verdict"), FieldPanel("verdict_note")],
        heading=_("The desk's verdict"),
    ),
    InlinePanel(
        "credits",
        heading=_("Credits"),
        label=_("Credit"),
        help_text=_("Credits are shown to readers beside the item."),
    ),
]

warning_panels = [
    FieldPanel("warning_level"),
    FieldPanel("warning_categories"),
]

evidence_edit_handler = TabbedInterface(
    [
        ObjectList(media_panels, heading=_("Media")),
        ObjectList(sources_panels, heading=_("Sources")),
        ObjectList(verification_panels, heading=_("Verification")),
        ObjectList(warning_panels, heading=_("Content warning")),
    ]
)
