"""The players the package emits, built from a provider and a media id.

The only place that writes an iframe or a video element, so that every player
carries the same guarantees: a sandbox without top navigation, a minimal allow
list, a referrer policy and a title, and nothing that loads or plays by itself.
"""

from django.utils.html import format_html
from django.utils.translation import gettext as _

from wagtail_evidence.conf import get_setting


# allow-same-origin is for the player's own origin, which is never ours:
# only third-party players are framed, so scripts cannot reach this site.
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation"
IFRAME_ALLOW = "encrypted-media; picture-in-picture; fullscreen"
REFERRER_POLICY = "strict-origin-when-cross-origin"


def player_html(item, heading):
    """The player for ``item``, or "" when it has none (link-only media). A
    self-hosted file wins over a platform's player: it needs no third party."""
    if item.video_file_id:
        return video_html(item)
    provider = item.provider_object
    if provider is not None:
        src = provider.embed_url(item.media_id)
        if src:
            return format_html(
                '<iframe class="evidence-player" src="{}" title="{}" sandbox="{}" allow="{}" '
                'referrerpolicy="{}" loading="lazy"></iframe>',
                src,
                _("%(platform)s player: %(heading)s") % {"platform": provider.label, "heading": heading},
                IFRAME_SANDBOX,
                IFRAME_ALLOW,
                REFERRER_POLICY,
            )
    return ""


def video_html(item):
    """Our own file: nothing is fetched before the reader presses play."""
    poster = ""
    if item.poster_id:
        poster = item.poster.get_rendition(get_setting("POSTER_FILTER")).url
    return format_html(
        '<video class="evidence-player" src="{}" preload="none" controls playsinline{}>'
        '<a href="{}">{}</a></video>',
        item.video_file.url,
        format_html(' poster="{}"', poster) if poster else "",
        item.video_file.url,
        _("Download the video file"),
    )


def aspect_class(item):
    provider = None if item.video_file_id else item.provider_object
    return f"evidence-media--ratio-{provider.aspect_ratio if provider else '16-9'}"
