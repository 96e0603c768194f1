"""Where the reader can see the media itself, and how to say so."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from wagtail_evidence.media.weburls import display_host


@dataclass(frozen=True)
class Outbound:
    url: str
    label: str  # "View the original on Telegram"
    kind: str  # what the media is: "Telegram post", "Video file", a host
    platform: str = ""
    player_host: str = ""  # the host "Load from …" names before consent


def outbound_for(item):
    url = item.outbound_url
    provider = item.provider_object
    if item.video_file_id and not item.media_url:
        return Outbound(url, _("Download the video file"), _("Video file"))
    if provider is not None:
        return Outbound(
            url,
            _("View the original on %(platform)s") % {"platform": provider.label},
            _("%(platform)s post") % {"platform": provider.label},
            platform=provider.label,
            player_host=display_host(provider.player_origin)
            if provider.player_origin
            else "",
        )
    host = display_host(url)
    return Outbound(url, _("View the original on %(host)s") % {"host": host}, host)
