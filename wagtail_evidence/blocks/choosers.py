from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail.snippets.widgets import AdminSnippetChooser

from wagtail_evidence.blocks.compare import EvidenceChoiceComparison
from wagtail_evidence.i18n import isolate_text
from wagtail_evidence.reader.loading import mark_batch
from wagtail_evidence.reader.serializers import evidence_representation


def chosen_title(evidence):
    """How a chosen record reads in the editor: its title, its badge and its
    warning, so an editor sees what they cite without opening it. Plain text
    (the chooser sets it as text), the title isolated for bidi."""
    return _("%(title)s · %(badge)s · %(warning)s") % {
        "title": isolate_text(evidence.title),
        "badge": evidence.badge.label,
        "warning": evidence.get_warning_level_display(),
    }


# The records a walk of an article's streams is about to convert
# (blocks.citations): loaded together the first time a chooser asks for any,
# so that the evidence blocks and the claims of a page cost one query between
# them, not one each.
_loading_together = ContextVar("wagtail_evidence_loading_together", default=None)


class RecordsTogether:
    def __init__(self, ids):
        self.ids = {str(pk) for pk in ids}
        self.loaded = None

    def load(self, model, ids):
        """{pk: record} holding ``ids``, or None when some are not this walk's."""
        if not ids:
            return {}
        if not {str(pk) for pk in ids} <= self.ids:
            return None
        if self.loaded is None:
            try:
                self.loaded = model.objects.in_bulk(self.ids)
            except (TypeError, ValueError, ValidationError):
                # An id stored behind Django's back ("1.0"): each block type
                # converts its own values, as Wagtail would.
                self.ids = set()
                return None
            mark_batch(list(self.loaded.values()))
        return self.loaded


@contextmanager
def records_loaded_together(ids):
    """Within, the choosers load the records ``ids`` name in one query, the
    first time one converts any of them; none if none converts."""
    token = _loading_together.set(RecordsTogether(ids) if ids else None)
    try:
        yield
    finally:
        _loading_together.reset(token)


class EvidenceChooser(AdminSnippetChooser):
    """The snippet chooser, naming the chosen record with chosen_title()."""

    def get_display_title(self, instance):
        return chosen_title(instance)


class EvidenceChooserBlock(SnippetChooserBlock):
    """Chooses an Evidence record. Loads every record of a stream in one query;
    the evidence block then adds the details its templates need, for the items
    it cannot serve from the render cache, in one more batch.
    """

    class Meta:
        # The label of each row where the block is a list's child (a claim's
        # evidence), which has no name to derive one from. Meta, not a keyword,
        # so that sites' migrations do not change.
        label = _("Evidence record")

    def __init__(self, **kwargs):
        super().__init__("wagtail_evidence.Evidence", **kwargs)

    @cached_property
    def widget(self):
        chooser = super().widget  # Wagtail's checks, and the snippet's icon
        return EvidenceChooser(self.target_model, icon=chooser.icon)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, (), kwargs  # the target model is fixed, not configuration

    def to_python(self, value):
        return self.bulk_to_python([value])[0] if value is not None else None

    def bulk_to_python(self, values):
        values = list(values)
        wanted = [value for value in values if value is not None]
        together = _loading_together.get()
        objects = together.load(self.target_model, wanted) if together else None
        if objects is None:
            objects = self.target_model.objects.in_bulk(wanted)
            mark_batch(list(objects.values()))
        return [objects.get(value) for value in values]

    def get_comparison_class(self):
        """Revisions compare the record by its title and badge, not its id."""
        return EvidenceChoiceComparison

    def get_api_representation(self, value, context=None):
        """The record as readers see it, or ``{"withdrawn": true}`` unless it is live."""
        return evidence_representation(value, context)
