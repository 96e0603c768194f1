"""The Evidence form, tab by tab, in the order a verification desk works."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.documents.widgets import AdminDocumentChooser

from wagtail_evidence.admin.content_credentials import ContentCredentialsPanel
from wagtail_evidence.admin.forms import EvidenceAdminForm
from wagtail_evidence.admin.near_duplicates import NearDuplicatesPanel
from wagtail_evidence.admin.views.sources import SourcesPanel
from wagtail_evidence.admin.warned_media import PosterPanel
from wagtail_evidence.editorial.verification import VERIFY_PERMISSION


class VerificationFieldPanel(FieldPanel):
    """Editable for the verification desk; read-only for everyone else, whose
    form does not contain the field at all, so no request can change it."""

    def __init__(self, field_name, **kwargs):
        kwargs.setdefault("permission", VERIFY_PERMISSION)
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.form is not None and self.bound_field is None:
                self.read_only = True
                self.heading = self.panel.heading or capfirst(
                    self.panel.db_field.verbose_name
                )
                own = self.panel.help_text or capfirst(self.panel.db_field.help_text)
                why = _("Only the verification desk can change this.")
                self.help_text = f"{own} {why}" if own else why

        def is_shown(self):
            return self.read_only or super().is_shown()


def facet_panel(heading, *fields, status, method):
    return MultiFieldPanel(
        [*fields, VerificationFieldPanel(status), FieldPanel(method)], heading=heading
    )


def document_panel(field_name, choose_one_text, choose_another_text):
    """A document chooser whose buttons name the document it chooses."""
    return FieldPanel(
        field_name,
        widget=AdminDocumentChooser(
            choose_one_text=choose_one_text, choose_another_text=choose_another_text
        ),
    )


media_panels = [
    FieldPanel("title"),
    FieldPanel("media_url"),
    FieldPanel("display"),
    FieldRowPanel(
        [FieldPanel("provider", read_only=True), FieldPanel("media_id", read_only=True)]
    ),
    # Three document choosers on one tab: each button names what it chooses.
    document_panel(
        "video_file", _("Choose a video file"), _("Choose another video file")
    ),
    FieldRowPanel(
        [
            document_panel(
                "captions_file",
                _("Choose a captions file"),
                _("Choose another captions file"),
            ),
            FieldPanel("captions_language"),
        ]
    ),
    PosterPanel("poster"),  # its chooser: EvidenceAdminForm, covered when warned
    FieldPanel("description"),
    MultiFieldPanel(
        [
            document_panel(
                "original_file",
                _("Choose the original file"),
                _("Choose another original file"),
            ),
            FieldPanel("original_file_sha256", read_only=True),
            # Offered only where the hash came from the auto-archiver (admin.custody).
            FieldPanel("replace_archiver_hash"),
        ],
        heading=_("Chain of custody"),
    ),
    NearDuplicatesPanel(),  # what its media looks like among other records
    ContentCredentialsPanel(),  # read-only: what the files' C2PA manifests say
    FieldPanel("tags"),
]

sources_panels = [
    InlinePanel(
        "appearances",
        heading=_("Where it appeared"),
        label=_("Appearance"),
        help_text=_("Each place the media was posted or relayed, earliest first."),
    ),
    SourcesPanel(),  # read-only: archives and source status (views/sources.py)
]

verification_panels = [
    facet_panel(
        _("Where it was filmed"),
        FieldRowPanel(
            [FieldPanel("place"), FieldPanel("region"), FieldPanel("country")]
        ),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("location_precision"),
        VerificationFieldPanel("withhold_coordinates"),
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
        # The panel's heading asks the question; the field holds the answer.
        FieldPanel("identified", heading=_("Person, unit or group")),
        status="identity_status",
        method="identity_method",
    ),
    facet_panel(
        _("Authenticity"),
        FieldPanel(
            "authenticity_category",
            heading=_("Original or altered"),
            help_text=_(
                "What the media was found to be: original, or taken out of "
                "context, edited, transformed, staged or satire."
            ),
        ),
        status="authenticity_status",
        method="authenticity_method",
    ),
    MultiFieldPanel(
        [VerificationFieldPanel("verdict"), FieldPanel("verdict_note")],
        heading=_("The desk's verdict"),
    ),
    FieldPanel("verification_reason"),
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
    ],
    base_form_class=EvidenceAdminForm,
)
