"""The article's page form: where the publish button meets the gate."""

from wagtail.admin.forms import WagtailAdminPageForm

from wagtail_evidence.blocks.walk import stream_field_names
from wagtail_evidence.editorial.gate import gate_messages


class EvidenceArticleForm(WagtailAdminPageForm):
    """Page form for articles. Publishing a new article meets the gate here, as
    a form error: Wagtail would save the new page live before any hook could
    refuse it, and there is no draft yet to keep. An existing article's draft
    is saved first and the refusal follows it (admin/publish_refusal.py)."""

    def clean(self):
        cleaned_data = super().clean()
        if "action-publish" in self.data and self.instance.pk is None:
            names = stream_field_names(self._meta.model)
            streams = [
                cleaned_data[name]
                for name in names
                if cleaned_data.get(name) is not None
            ]
            for message in gate_messages(streams):
                self.add_error(None, message)
        return cleaned_data
