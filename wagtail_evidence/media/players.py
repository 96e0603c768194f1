"""The one player builder: what plays an item, built once from its record, then
written as HTML (the reader templates) or given as data (the API, JSON-LD).

The only place that writes an iframe or a video element, so that every player
carries the same guarantees: a sandbox without top navigation, a minimal allow
list, a referrer policy and a title, and nothing that loads or plays by itself.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.images.models import Filter

from wagtail_evidence.conf import get_setting
from wagtail_evidence.i18n import translated


# allow-same-origin is for the player's own origin, which is never ours:
# only third-party players are framed, so scripts cannot reach this site.
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation"
IFRAME_ALLOW = "encrypted-media; picture-in-picture; fullscreen"
REFERRER_POLICY = "strict-origin-when-cross-origin"
DEFAULT_ASPECT_RATIO = "16-9"


@dataclass(frozen=True)
class Player:
    """A self-hosted file ("video") or a platform's player page ("iframe")."""

    kind: str
    url: str
    origin: str = ""  # the iframe's origin; empty for our own file
    title: str = ""

    @property
    def is_video(self):
        return self.kind == "video"


PLAYER_TITLE = gettext_lazy("%(platform)s player: %(heading)s")


def player_for(item, heading):
    """The player for ``item``, or None when it has none (link-only media). A
    self-hosted file wins over a platform's player: it needs no third party."""
    if item.video_file_id:
        return Player("video", item.video_file.url)
    provider = item.provider_object
    url = provider.embed_url(item.media_id) if provider is not None else None
    if not url:
        return None
    title = translated(PLAYER_TITLE) % {
        "platform": provider.label,
        "heading": heading,
    }
    return Player("iframe", url, origin=provider.player_origin, title=title)


def player_html(item, heading, description_id=""):
    """The player for ``item`` as HTML, or "" when it has none. A video of our
    own is named by ``heading`` and described by the element whose id is
    ``description_id`` (the item's safe description, written by the template)."""
    player = player_for(item, heading)
    if player is None:
        return ""
    if player.is_video:
        return video_html(item, player, heading, description_id)
    return format_html(
        '<iframe class="evidence-player" src="{}" title="{}" sandbox="{}" allow="{}" '
        'referrerpolicy="{}" loading="lazy"></iframe>',
        player.url,
        player.title,
        IFRAME_SANDBOX,
        IFRAME_ALLOW,
        REFERRER_POLICY,
    )


def player_data(item, heading, absolute=str):
    """The player for ``item`` as data, for a front end that builds it after the
    reader's consent; ``absolute`` makes an address of our own absolute."""
    player = player_for(item, heading)
    if player is None:
        return None
    if player.is_video:
        captions = captions_of(item)
        return {
            "kind": "video",
            "url": absolute(player.url),
            "captions": {"url": absolute(captions.url), "language": captions.language}
            if captions
            else None,
        }
    return {
        "kind": "iframe",
        "url": player.url,
        "origin": player.origin,
        "title": player.title,
        "sandbox": IFRAME_SANDBOX,
        "allow": IFRAME_ALLOW,
        "referrer_policy": REFERRER_POLICY,
    }


def video_html(item, player, heading="", description_id=""):
    """Our own file: nothing is fetched before the reader presses play. Its
    accessible name is the block's heading, its description the safe one."""
    poster = poster_rendition(item.poster).url if item.poster_id else ""
    captions = captions_of(item)
    return format_html(
        '<video class="evidence-player" src="{}" preload="none" controls playsinline'
        "{}{}{}>{}"
        '<a href="{}">{}</a></video>',
        player.url,
        format_html(' aria-label="{}"', heading) if heading else "",
        format_html(' aria-describedby="{}"', description_id) if description_id else "",
        format_html(' poster="{}"', poster) if poster else "",
        format_html(
            '<track kind="captions" src="{}" srclang="{}" label="{}" default>',
            captions.url,
            captions.language,
            captions.label,
        )
        if captions
        else "",
        player.url,
        _("Download the video file"),
    )


@dataclass(frozen=True)
class Captions:
    url: str
    language: str  # a code, for srclang
    label: str  # the language's name, in the active language


def captions_of(item):
    """The captions of our own video, or None. A <track> fetches nothing
    before the video plays: its video has preload="none"."""
    if not item.captions_file_id:
        return None
    language = item.captions_language or settings.LANGUAGE_CODE
    try:
        label = get_language_info(language.lower())["name_translated"]
    except KeyError:  # stored past validation: the code alone names it
        label = language
    return Captions(item.captions_file.url, language, label)


@lru_cache(maxsize=16)
def filter_for(spec):
    """One Filter per spec: it parses its operations once, not once per poster."""
    return Filter(spec=spec)


def poster_rendition(image):
    """The poster's rendition: the one the batch prefetched, else Wagtail's own
    (from its rendition cache, else the database, else made now), which it puts
    back in that cache. find_existing_rendition alone reads the cache but never
    fills it: once the entry expired, every view would query for it."""
    spec = filter_for(get_setting("POSTER_FILTER"))
    if "renditions" in getattr(image, "_prefetched_objects_cache", {}):
        try:
            return image.find_existing_rendition(spec)
        except image.get_rendition_model().DoesNotExist:
            pass
    return image.get_rendition(spec)


def poster_html(image, alt=""):
    rendition = poster_rendition(image)
    return format_html(
        '<img class="evidence-media__poster" src="{}" width="{}" height="{}" alt="{}" '
        'loading="lazy" decoding="async">',
        rendition.url,
        rendition.width,
        rendition.height,
        alt,
    )


def aspect_ratio(item):
    """The player's box, reserved before anything loads: "16-9", "4-5", "9-16"."""
    provider = None if item.video_file_id else item.provider_object
    return provider.aspect_ratio if provider else DEFAULT_ASPECT_RATIO


def aspect_class(item):
    return f"evidence-media--ratio-{aspect_ratio(item)}"


def embed_url(item):
    """The platform's player page, or "" (our own file plays in our <video>)."""
    player = player_for(item, "")
    return player.url if player is not None and not player.is_video else ""
