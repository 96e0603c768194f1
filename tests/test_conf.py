import pytest
from django.core.exceptions import ImproperlyConfigured

from wagtail_evidence.conf import DEFAULTS, get_setting


def test_defaults_apply_when_the_project_sets_nothing(settings):
    settings.WAGTAIL_EVIDENCE = {}
    assert get_setting("POSTER_FILTER") == DEFAULTS["POSTER_FILTER"]


def test_a_project_value_wins_and_is_reloaded_when_settings_change(settings):
    settings.WAGTAIL_EVIDENCE = {"POSTER_FILTER": "fill-640x360"}
    assert get_setting("POSTER_FILTER") == "fill-640x360"
    settings.WAGTAIL_EVIDENCE = {}
    assert get_setting("POSTER_FILTER") == DEFAULTS["POSTER_FILTER"]


def test_a_misspelt_key_is_reported_with_the_known_ones(settings):
    settings.WAGTAIL_EVIDENCE = {"POSTER_FILTR": "fill-640x360"}
    with pytest.raises(
        ImproperlyConfigured, match="POSTER_FILTR.*Known keys: .*POSTER_FILTER"
    ):
        get_setting("POSTER_FILTER")


def test_an_unknown_name_is_a_programming_error():
    with pytest.raises(ImproperlyConfigured):
        get_setting("NOPE")
