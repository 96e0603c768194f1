"""The Evidence inspect view: the poster covered when the record is warned
(admin/warned_media.py)."""

from wagtail.snippets.views.snippets import InspectView

from wagtail_evidence.admin.warned_media import WarnedImageDisplay, record_warning


class EvidenceInspectView(InspectView):
    def get_poster_display_value(self):
        return WarnedImageDisplay(
            self.object.poster, record_warning(self.object), self.request.user
        )
