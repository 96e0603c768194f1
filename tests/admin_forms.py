"""Post the admin's own forms the way an editor's browser does."""

from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text


def form_data(response):
    """The values the rendered editor form would submit, minus row templates."""
    html = response.content.decode()
    form_id = "page-edit-form" if 'id="page-edit-form"' in html else "w-editor-form"
    data = querydict_from_html(html, form_id=form_id)
    return {key: values[-1] for key, values in data.lists() if "__prefix__" not in key}


def inline_rows(prefix, rows):
    """Rows of an InlinePanel, as the admin's JavaScript numbers them."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in {"ORDER": str(index + 1), "DELETE": "", "id": "", **row}.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def stream(items):
    """StreamField form data: a list of (block type, value) pairs."""
    data = {str(index): {"type": kind, "value": value, "deleted": "", "order": str(index)} for index, (kind, value) in enumerate(items)}
    data["count"] = str(len(items))
    return data


def list_items(values):
    """ListBlock form data."""
    data = {str(index): {"value": value, "deleted": "", "order": str(index)} for index, value in enumerate(values)}
    data["count"] = str(len(values))
    return data


def body_data(blocks, field="body"):
    """Form data for a StreamField from stored-form blocks ({"type", "value"}),
    so a test can submit the body a factory built."""

    def field_value(value):
        if isinstance(value, list):
            return list_items([field_value(item) for item in value])
        if isinstance(value, dict):
            return {key: field_value(item) for key, item in value.items()}
        return "" if value is None else value

    return nested_form_data({field: stream([(block["type"], field_value(block["value"])) for block in blocks])})


__all__ = ["body_data", "form_data", "inline_rows", "list_items", "nested_form_data", "rich_text", "stream"]


def client_for(user):
    """A browser of its own for ``user``: tests where two people edit at once."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
