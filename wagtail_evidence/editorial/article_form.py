"""The article's page form: where the publish button meets the gate."""

from wagtail.admin.forms import WagtailAdminPageForm

from wagtail_evidence.blocks.walk import stream_field_names
from wagtail_evidence.editorial.gate import gate_messages
from wagtail_evidence.formfields import (
    CREATE_FORM_KEY,
    CreateFormKeyField,
    note_create_form,
)


class EvidenceArticleForm(WagtailAdminPageForm):
    """Page form for articles. Publishing a new article meets the gate here, as
    a form error: Wagtail would save the new page live before any hook could
    refuse it, and there is no draft yet to keep. An existing article's draft
    is saved first and the refusal follows it (admin/publish_refusal.py).

    A new article's form carries a key of its own, so that the form posted
    again edits the page it made (admin/views/create.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields[CREATE_FORM_KEY] = CreateFormKeyField()
            note_create_form(self)

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
