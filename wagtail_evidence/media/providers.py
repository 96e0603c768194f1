"""Strict per-provider parsers that turn a media URL into a provider and a media id.

Each provider names its hosts exactly and matches its media ids with a strict
pattern. A URL on a provider's host that does not name a piece of media is refused
with a message saying so; a URL on no provider's host is not a provider's at all
and can only be kept as a link. Projects add providers through the ``PROVIDERS``
setting (docs/how-to/add-a-provider.md).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, quote

from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail_evidence.choices import Platform
from wagtail_evidence.conf import SETTINGS_NAME, get_setting
from wagtail_evidence.i18n import join_labels
from wagtail_evidence.media.weburls import parse_web_url


@dataclass(frozen=True)
class MediaMatch:
    provider: str
    media_id: str


class Provider:
    """One media platform. Subclasses set the attributes and ``match``."""

    name = ""  # stored on the record; a Platform value for the built-in ones
    label = ""  # shown to editors and readers
    hosts = frozenset()
    examples = ()
    # Where the player is served from: the iframe's origin, for the site's
    # Content-Security-Policy frame-src. Empty for a provider that is link-only.
    player_origin = ""
    # The player's box, reserved before anything loads: "16-9", "4-5", "9-16"
    # or "1-1" (classes in the reader stylesheet, which a strict CSP allows).
    aspect_ratio = "16-9"

    def embed_url(self, media_id):
        """The player's address, built from the media id (never from oEmbed
        HTML), or None to keep the provider's media as links only."""
        return None

    def is_video(self, media_id):
        """Whether the media is certainly a video (schema.org's VideoObject);
        False where a post may be an image."""
        return False

    def match(self, web_url):
        """Return the media id for a parsed WebURL on one of ``hosts``, or None."""
        raise NotImplementedError

    def canonical_url(self, media_id):
        """The media's public page, without tracking parameters, for outbound
        links; None to link to the address as the editor typed it."""
        return None


def _first(pattern, text):
    found = re.fullmatch(pattern, text)
    return found.group(1) if found else None


class YouTube(Provider):
    name = Platform.YOUTUBE.value
    label = Platform.YOUTUBE.label
    hosts = frozenset(
        {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
        | {"youtube-nocookie.com", "www.youtube-nocookie.com"}
    )
    examples = ("https://www.youtube.com/watch?v=…", "https://youtu.be/…")
    VIDEO_ID = r"([A-Za-z0-9_-]{11})"

    def match(self, web_url):
        path = web_url.path.rstrip("/")
        if web_url.host == "youtu.be":
            return _first(r"/" + self.VIDEO_ID, path)
        if path == "/watch":
            ids = parse_qs(web_url.query).get("v", [])
            return _first(self.VIDEO_ID, ids[0]) if len(ids) == 1 else None
        return _first(r"/(?:shorts|embed|live|v)/" + self.VIDEO_ID, path)

    def canonical_url(self, media_id):
        return f"https://www.youtube.com/watch?v={media_id}"

    player_origin = "https://www.youtube-nocookie.com"

    def embed_url(self, media_id):
        return f"{self.player_origin}/embed/{media_id}"

    def is_video(self, media_id):
        return True


class XTwitter(Provider):
    name = Platform.X_TWITTER.value
    label = Platform.X_TWITTER.label
    hosts = frozenset(
        {"x.com", "www.x.com", "mobile.x.com"}
        | {"twitter.com", "www.twitter.com", "mobile.twitter.com"}
    )
    examples = ("https://x.com/<account>/status/<number>",)

    def match(self, web_url):
        return _first(
            r"/(?:[A-Za-z0-9_]{1,15}|i/web|i)/status(?:es)?/([0-9]{1,20})"
            r"(?:/(?:photo|video)/[1-4])?/?",
            web_url.path,
        )

    def canonical_url(self, media_id):
        return f"https://x.com/i/status/{media_id}"

    player_origin = "https://platform.twitter.com"
    aspect_ratio = "4-5"

    def embed_url(self, media_id):
        return f"{self.player_origin}/embed/Tweet.html?id={media_id}&dnt=true"


class Telegram(Provider):
    name = Platform.TELEGRAM.value
    label = Platform.TELEGRAM.label
    hosts = frozenset({"t.me", "telegram.me", "www.telegram.me"})
    examples = ("https://t.me/<channel>/<number>",)

    def match(self, web_url):
        found = re.fullmatch(
            r"/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,31})/([0-9]{1,12})/?", web_url.path
        )
        return f"{found.group(1)}/{found.group(2)}" if found else None

    def canonical_url(self, media_id):
        return f"https://t.me/{media_id}"

    player_origin = "https://t.me"
    aspect_ratio = "4-5"

    def embed_url(self, media_id):
        return f"{self.player_origin}/{media_id}?embed=1"


class Facebook(Provider):
    name = Platform.FACEBOOK.value
    label = Platform.FACEBOOK.label
    hosts = frozenset(
        {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"}
        | {"fb.watch"}
    )
    examples = (
        "https://www.facebook.com/<page>/videos/<number>",
        "https://www.facebook.com/watch/?v=<number>",
        "https://www.facebook.com/reel/<number>",
    )

    def match(self, web_url):
        path = web_url.path
        if web_url.host == "fb.watch":
            return _first(r"/([A-Za-z0-9_-]{5,20})/?", path)
        if path.rstrip("/") in ("/watch", "/video.php"):
            ids = parse_qs(web_url.query).get("v", [])
            return _first(r"([0-9]{5,25})", ids[0]) if len(ids) == 1 else None
        found = re.fullmatch(r"/(reel|share/v|share/r)/([0-9A-Za-z]{5,25})/?", path)
        if found:
            return f"{found.group(1)}/{found.group(2)}"
        return _first(
            r"/((?:[A-Za-z0-9][A-Za-z0-9.]{0,79}/(?:videos(?:/[A-Za-z0-9_-][A-Za-z0-9._-]{0,119})?|posts)"
            r")/[0-9A-Za-z]{5,60})/?",
            path,
        )

    def canonical_url(self, media_id):
        if media_id.isdigit():
            return f"https://www.facebook.com/watch/?v={media_id}"
        if "/" not in media_id:
            return f"https://fb.watch/{media_id}/"
        return f"https://www.facebook.com/{media_id}"

    player_origin = "https://www.facebook.com"

    def embed_url(self, media_id):
        plugin = "post" if "/posts/" in media_id else "video"
        href = quote(self.canonical_url(media_id), safe="")
        return f"{self.player_origin}/plugins/{plugin}.php?href={href}"

    def is_video(self, media_id):
        return "/posts/" not in media_id


class Vimeo(Provider):
    name = Platform.VIMEO.value
    label = Platform.VIMEO.label
    hosts = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})
    examples = ("https://vimeo.com/<number>",)

    def match(self, web_url):
        found = re.fullmatch(
            r"/(?:video/|channels/[A-Za-z0-9_-]{1,60}/|groups/[A-Za-z0-9_-]{1,60}"
            r"/videos/)?([0-9]{1,12})(?:/([0-9a-f]{6,20}))?/?",
            web_url.path,
        )
        if not found:
            return None
        video, unlisted_hash = found.groups()
        if not unlisted_hash:  # the player's form carries it as ?h=
            hashes = parse_qs(web_url.query).get("h", [])
            unlisted_hash = (
                hashes[0]
                if len(hashes) == 1 and re.fullmatch(r"[0-9a-f]{6,20}", hashes[0])
                else None
            )
        return f"{video}/{unlisted_hash}" if unlisted_hash else video

    def canonical_url(self, media_id):
        return f"https://vimeo.com/{media_id}"

    player_origin = "https://player.vimeo.com"

    def embed_url(self, media_id):
        video, _slash, unlisted_hash = media_id.partition("/")
        query = f"?h={unlisted_hash}&dnt=1" if unlisted_hash else "?dnt=1"
        return f"{self.player_origin}/video/{video}{query}"

    def is_video(self, media_id):
        return True


class Instagram(Provider):
    name = Platform.INSTAGRAM.value
    label = Platform.INSTAGRAM.label
    hosts = frozenset({"instagram.com", "www.instagram.com"})
    examples = (
        "https://www.instagram.com/p/<code>/",
        "https://www.instagram.com/reel/<code>/",
    )

    def match(self, web_url):
        found = re.fullmatch(r"/(p|reel|tv)/([A-Za-z0-9_-]{5,40})/?", web_url.path)
        return f"{found.group(1)}/{found.group(2)}" if found else None

    def canonical_url(self, media_id):
        return f"https://www.instagram.com/{media_id}/"

    player_origin = "https://www.instagram.com"
    aspect_ratio = "4-5"

    def embed_url(self, media_id):
        return f"{self.player_origin}/{media_id}/embed/"

    def is_video(self, media_id):
        return media_id.startswith(("reel/", "tv/"))


class TikTok(Provider):
    name = Platform.TIKTOK.value
    label = Platform.TIKTOK.label
    hosts = frozenset({"tiktok.com", "www.tiktok.com", "m.tiktok.com"})
    examples = ("https://www.tiktok.com/@<account>/video/<number>",)

    def match(self, web_url):
        found = re.fullmatch(
            r"/(?:@([A-Za-z0-9_.]{1,24})/video|embed(?:/v2)?)/([0-9]{5,25})/?",
            web_url.path,
        )
        return found.group(2) if found else None

    player_origin = "https://www.tiktok.com"
    aspect_ratio = "9-16"

    def embed_url(self, media_id):
        return f"{self.player_origin}/embed/v2/{media_id}"

    def is_video(self, media_id):
        return True


DEFAULT_PROVIDER_CLASSES = (
    YouTube,
    XTwitter,
    Telegram,
    Facebook,
    Vimeo,
    Instagram,
    TikTok,
)


def player_frame_sources(provider_classes=DEFAULT_PROVIDER_CLASSES):
    """The players' origins, for a Content-Security-Policy's ``frame-src``. Read
    at settings time, so it takes classes rather than reading the ``PROVIDERS``
    setting being defined."""
    return sorted({cls.player_origin for cls in provider_classes if cls.player_origin})


@lru_cache(maxsize=1)
def get_providers():
    """The configured providers, in order, as instances."""
    return tuple(import_string(path)() for path in get_setting("PROVIDERS"))


@receiver(setting_changed)
def _forget_providers(setting, **kwargs):
    if setting == SETTINGS_NAME:
        get_providers.cache_clear()


def get_provider(name):
    return next((p for p in get_providers() if p.name == name), None)


def supported_platforms_text():
    return join_labels((provider.label for provider in get_providers()), html=False)


class UnsupportedMediaURL(ValidationError):
    """A valid web address that no provider can embed."""


def parse_media_url(url):
    """Return a MediaMatch for ``url``.

    Raises ValidationError for an address that is not a valid web address at all,
    and UnsupportedMediaURL for a valid one that no provider recognises.
    """
    web_url = parse_web_url(url)
    for provider in get_providers():
        if web_url.host in provider.hosts:
            media_id = provider.match(web_url)
            if media_id:
                return MediaMatch(provider.name, media_id)
            raise UnsupportedMediaURL(
                format_lazy(
                    _(
                        "This {platform} address does not point to a single video or "
                        "post. Use an address like {example}, or choose "
                        "“Link only” under Display to keep it as a plain link."
                    ),
                    platform=provider.label,
                    example=provider.examples[0],
                ),
                code="unsupported_media",
            )
    raise UnsupportedMediaURL(
        format_lazy(
            _(
                "Videos and posts from this site cannot be embedded. Supported: "
                "{platforms}, or upload a video file. To keep this address as a plain "
                "link, choose “Link only” under Display."
            ),
            platforms=supported_platforms_text(),
        ),
        code="unsupported_media",
    )
