from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail_evidence.choices import DatePrecision


def format_with_precision(value, precision):
    """A date in the reader's locale, to its precision: a day, 'around' a day, or a month."""
    if not value:
        return ""
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    text = date_format(value, "DATE_FORMAT")
    if precision == DatePrecision.APPROXIMATE:
        return _("around %(date)s") % {"date": text}
    return text
