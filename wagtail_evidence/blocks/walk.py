"""Finding the blocks of one kind anywhere inside a page's StreamFields."""

from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField


def iter_block_values(value, block_class):
    """Yield every value of ``block_class`` inside ``value``, depth first."""
    if isinstance(value, StreamValue):
        for child in value:
            if isinstance(child.block, block_class):
                yield child.value
            else:
                yield from iter_block_values(child.value, block_class)
    elif isinstance(value, StructValue):
        for name, child_block in value.block.child_blocks.items():
            if isinstance(child_block, block_class):
                yield value.get(name)
            else:
                yield from iter_block_values(value.get(name), block_class)
    elif isinstance(value, ListValue):
        for bound in value.bound_blocks:
            if isinstance(value.list_block.child_block, block_class):
                yield bound.value
            else:
                yield from iter_block_values(bound.value, block_class)


def stream_field_names(model):
    """The names of a model's StreamFields, wherever a project put its blocks."""
    return [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    ]


def stream_values(obj):
    """The values of every StreamField on ``obj`` (a page, or a page from a revision)."""
    return [getattr(obj, name) for name in stream_field_names(type(obj))]


def bind_streams(obj):
    """Read every block of ``obj``'s streams, so that saving ``obj`` runs each
    block's ``get_prep_value``: Wagtail passes stream data that nobody has read
    (raw JSON written by code or an import) through to the database as it is."""
    for stream in stream_values(obj):
        for _child in stream:
            pass


def iter_page_block_values(page, block_class):
    for stream in stream_values(page):
        yield from iter_block_values(stream, block_class)
