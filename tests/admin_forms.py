"""Post the admin's own forms the way an editor's browser does."""

from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)


def form_data(response):
    """The values the rendered editor form would submit, minus row templates."""
    html = response.content.decode()
    form_id = "page-edit-form" if 'id="page-edit-form"' in html else "w-editor-form"
    data = querydict_from_html(html, form_id=form_id)
    return {key: values[-1] for key, values in data.lists() if "__prefix__" not in key}


def new_records_form(response):
    """A create form's values to post as many new records, as a script would:
    without the form's own key, each post makes a record of its own (a form in
    the browser, with its key, makes one: admin/views/create.py)."""
    data = form_data(response)
    data.pop("create_form_key", None)
    return data


def inline_rows(prefix, rows):
    """Rows of an InlinePanel, each new (no id), as the admin's JavaScript posts them."""
    return nested_form_data(
        {prefix: inline_formset([{"id": "", **row} for row in rows])}
    )


# StreamField form data from (block type, value) pairs: Wagtail's own helper.
stream = streamfield


def list_items(values):
    """ListBlock form data (Wagtail's helpers have none)."""
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index)}
        for index, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def body_data(blocks, field="body"):
    """Form data for a StreamField from stored-form blocks ({"type", "value"}),
    so a test can submit the body a factory built. A block's "id", if it has
    one, is posted as the editor posts it, so the block stays the same block."""

    def field_value(value):
        if isinstance(value, list):
            return list_items([field_value(item) for item in value])
        if isinstance(value, dict):
            return {key: field_value(item) for key, item in value.items()}
        return "" if value is None else value

    data = stream([(block["type"], field_value(block["value"])) for block in blocks])
    for index, block in enumerate(blocks):
        if block.get("id"):
            data[str(index)]["id"] = block["id"]
    return nested_form_data({field: data})


__all__ = [
    "body_data",
    "form_data",
    "inline_rows",
    "list_items",
    "new_records_form",
    "nested_form_data",
    "rich_text",
    "stream",
]


def client_for(user):
    """A browser of its own for ``user``: tests where two people edit at once."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def desk_publishes(login, evidence, **changes):
    """The verification desk publishes ``changes`` to ``evidence`` through its
    edit form, as its browser would; returns the desk's client, still logged in."""
    desk = login("verifier")
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])
    data = {**form_data(desk.get(url)), **changes, "action-publish": "action-publish"}
    response = desk.post(url, data)
    assert response.status_code == 302
    return desk
