from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language_info
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


def default_language_code():
    """The site's LANGUAGE_CODE: the language of captions unless the desk says
    otherwise."""
    return settings.LANGUAGE_CODE


def validate_language_code(value):
    """A language Django knows ("fr", "pt-br", "zh-hans"), as browsers take it
    in a <track>'s srclang."""
    try:
        get_language_info(value.lower())
    except KeyError:
        raise ValidationError(
            _(
                "“%(code)s” is not a language code we know. Use a code such as "
                "en, fr, ar or pt-br."
            ),
            params={"code": value},
            code="unknown_language",
        ) from None
