from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_evidence.media.weburls import validate_web_url


def validate_not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(
            _("This date is in the future. Check the year, or leave it empty."),
            code="future_date",
        )


def validate_web_url_lines(value):
    """One web address per line, each as strict as any other URL field."""
    errors = []
    for number, line in enumerate((value or "").splitlines(), start=1):
        if line.strip():
            try:
                validate_web_url(line)
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        _("Line %(number)s: %(problem)s"),
                        params={"number": number, "problem": message},
                        code="line",
                    )
                    for message in error.messages
                )
    if errors:
        raise ValidationError(errors)
