from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.fields import RichTextField

from wagtail_evidence.choices import DatePrecision
from wagtail_evidence.formfields import SanitizedMarkupFormField, WebURLFormField
from wagtail_evidence.media.weburls import validate_web_url
from wagtail_evidence.sanitize import sanitize_html


class MultipleChoiceField(models.JSONField):
    """A list of choices stored as JSON, so it works on every database Wagtail
    supports and survives revisions; editors tick boxes."""

    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_class"] = self.choices_class
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices_class.choices,
            coerce=str,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = set(value or []) - set(self.choices_class.values)
        if unknown:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                params={"value": sorted(unknown)[0]},
            )


class WebURLField(models.CharField):
    """Every URL the package stores: http(s) only, to a public host (see weburls)."""

    default_validators = [validate_web_url]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})


class SanitizedRichTextField(RichTextField):
    """Wagtail's RichTextField, sanitized on every write: a form, ``save()`` (and
    with it every revision), ``bulk_create()`` and ``QuerySet.update()`` with
    plain values. Django passes an expression (``update(intro=Value(...))``)
    to the database untouched: code that writes markup that way must call
    ``sanitize_html`` itself."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        # QuerySet.update() comes here without pre_save.
        if value:
            value = sanitize_html(value)
        return super().get_db_prep_save(value, connection)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SanitizedMarkupFormField, **kwargs})


def coordinate_field(verbose_name, limit):
    """A latitude (limit 90) or longitude (limit 180) in decimal degrees."""
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
    )


def date_precision_field(verbose_name):
    """How precise a date beside it is: a day, around a day, or a month."""
    return models.CharField(
        verbose_name,
        max_length=16,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )


def optional_link(to, verbose_name, **kwargs):
    """An optional link to an image or document that survives its deletion.
    ``to`` comes from Wagtail's get_*_model_string(), so custom models work."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )
