from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail_evidence.choices import ClaimDatePrecision, DatePrecision


def format_with_precision(value, precision):
    """A date in the reader's locale, to its precision: a day, 'around' a day,
    a month or a year."""
    if not value:
        return ""
    if precision == ClaimDatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    text = date_format(value, "DATE_FORMAT")
    if precision == DatePrecision.APPROXIMATE:
        return _("around %(date)s") % {"date": text}
    return text


def iso_with_precision(value, precision):
    """The machine-readable date to its precision, for ``<time datetime>`` and
    schema.org: "2019", "2020-10" or "2020-10-25"."""
    if not value:
        return ""
    if precision == ClaimDatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == ClaimDatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
