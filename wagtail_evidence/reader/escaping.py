"""Django's conditional_escape, without its lazy-string wrapper.

The cold render escapes some seventy values per block; conditional_escape and
escape each go through keep_lazy's wrapper, which tests every argument for a
lazy string, most of what escaping cost. This does what they do (a lazy string
is made a string first, safe HTML is kept, anything else is escaped by
html.escape, quotes included) and returns plain text for the f-strings of
reader.card_html, reader.media_html and reader.block_html, which mark the
whole safe once.
"""

from html import escape as escape_html

from django.utils.functional import Promise


def escape(value):
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape_html(str(value))
