"""One save of an article or an Evidence record at a time.

Wagtail's autosave overwrites the editor's own autosaved revision once it has
checked that this revision is still the latest, and the check reads what the
edit view loaded when the request began. Save draft pressed while that
autosave was on its way could land in between: the autosave then wrote its
older state over the revision Save draft had just made, silently (an article's
last evidence block lost the heading, caption and disclosure typed last). So a
save of an article or a record holds the object's row from before the edit
view reads it until the view has answered. A second save waits, then reads
what the first one wrote: an autosave behind it is refused as out of date; a
Save draft behind it is saved (a record's editor counts the form's own
autosave as no change of someone else's, admin/views/edit.py).

Wagtail's edit views have hooks but no transaction around the whole view, so
the before-edit hooks, registered first, run the edit view again inside one
(where the other hooks of the same name then run once). A site that routes the
edit URL to a view of its own sees that view run twice.
"""

from django.db import connection, transaction
from django.db.models import F

from wagtail_evidence.editorial.gate import EvidenceGateError
from wagtail_evidence.models import Evidence, EvidenceArticleMixin


SAVING = "_wagtail_evidence_saving"


def view_again(request):
    """The view this request was routed to, run again from the start."""
    match = request.resolver_match
    return match.func(request, *match.args, **match.kwargs)


def hold_row(instance):
    """Lock the instance's row until the transaction ends. SQLite has no row
    locks: there the first write takes the database's, before anything is read,
    so that two saves cannot both read and then wait on each other."""
    # The table at the root of the model's inheritance: a page's wagtailcore_page.
    model = [type(instance), *instance._meta.get_parent_list()][-1]
    rows = model._base_manager.filter(pk=instance.pk)
    if connection.features.has_select_for_update:
        list(rows.select_for_update().values_list("pk", flat=True))
    else:
        key = model._meta.pk.attname  # update() takes no "pk" alias
        rows.update(**{key: F(key)})


def one_save_at_a_time(request, instance):
    if request.method != "POST" or hasattr(request, SAVING):
        return None
    if request.resolver_match is None:  # not routed: nothing to run again
        return None
    with transaction.atomic():
        hold_row(instance)
        setattr(request, SAVING, True)
        try:
            return view_again(request)
        except EvidenceGateError as refusal:
            # A refused approval or publish after the draft was saved: Wagtail
            # rolled back the action; the draft stays, as without this hook.
            refused = refusal
    raise refused  # to EvidenceGateMiddleware, or the view's own handling


def one_save_of_an_article_at_a_time(request, page):
    """before_edit_page"""
    if isinstance(page, EvidenceArticleMixin):
        return one_save_at_a_time(request, page)
    return None


def one_save_of_a_record_at_a_time(request, instance):
    """before_edit_snippet"""
    if isinstance(instance, Evidence):
        return one_save_at_a_time(request, instance)
    return None
