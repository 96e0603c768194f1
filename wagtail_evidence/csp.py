"""What a site's Content-Security-Policy must allow for the players to load."""

from wagtail_evidence.providers import DEFAULT_PROVIDER_CLASSES


def player_frame_sources(provider_classes=DEFAULT_PROVIDER_CLASSES):
    """The players' origins, for ``frame-src``. Read at settings time, so it takes
    classes rather than reading the ``PROVIDERS`` setting being defined."""
    return sorted({cls.player_origin for cls in provider_classes if cls.player_origin})
