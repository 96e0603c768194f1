"""One save of an Evidence record at a time.

Wagtail's autosave overwrites the editor's own autosaved revision once it has
checked that this revision is still the latest. For a snippet nothing holds the
two together: Save draft pressed while that autosave was on its way could land
in between, and the autosave then wrote its older state over the revision Save
draft had just made, silently. So a save of a record holds the record's row
from before the edit view reads it until the save ends. A second save waits,
then reads what the first one wrote: an autosave behind it is refused as out
of date, and a Save draft behind it as a form older than the record
(admin/views/edit.py), with what was typed kept in the form.

(Wagtail's page editor already holds a page's saves apart: it saves the
editor's comment subscription row, in the same transaction as the revision,
before the revision. tests/test_one_save_at_a_time.py holds it to that.)

Wagtail's snippet edit view has hooks but no transaction, so the
before_edit_snippet hook, registered first, runs the edit view again inside
one (where the other hooks then run once).
"""

from django.db import connection, transaction
from django.db.models import F

from wagtail_evidence.models import Evidence


SAVING = "_wagtail_evidence_saving"


def view_again(request):
    """The view this request was routed to, run again from the start."""
    match = request.resolver_match
    return match.func(request, *match.args, **match.kwargs)


def hold_row(instance):
    """Lock the instance's row until the transaction ends. SQLite has no row
    locks: there the first write takes the database's, before anything is read,
    so that two saves cannot both read and then wait on each other."""
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if connection.features.has_select_for_update:
        list(rows.select_for_update().values_list("pk", flat=True))
    else:
        key = instance._meta.pk.attname  # update() takes no "pk" alias
        rows.update(**{key: F(key)})


def one_save_of_a_record_at_a_time(request, instance):
    """before_edit_snippet"""
    if request.method != "POST" or hasattr(request, SAVING):
        return None
    if not isinstance(instance, Evidence) or request.resolver_match is None:
        return None
    with transaction.atomic():
        hold_row(instance)
        setattr(request, SAVING, True)
        return view_again(request)
