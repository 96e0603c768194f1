import pytest
from django.core.exceptions import ValidationError

from wagtail_evidence.media.weburls import display_host, parse_web_url


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.bellingcat.com/news/", "www.bellingcat.com"),
        ("http://example.org", "example.org"),
        ("HTTPS://Example.ORG/Path?q=1", "example.org"),
        ("https://example.org:443/", "example.org"),
        ("https://bücher.example/", "xn--bcher-kva.example"),
        ("https://8.8.8.8/", "8.8.8.8"),
        (
            "https://xn--bcher-kva.example/",
            "xn--bcher-kva.example",
        ),  # as browsers show it
        ("https://XN--E1AFMKFD.xn--p1ai/", "xn--e1afmkfd.xn--p1ai"),
    ],
)
def test_accepts_public_web_addresses_and_normalises_the_host(url, host):
    assert parse_web_url(url).host == host


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("", "empty"),
        ("javascript:alert(1)", "scheme"),
        ("data:text/html,<script>alert(1)</script>", "scheme"),
        ("ftp://example.org/file", "scheme"),
        ("//example.org/", "scheme"),
        ("https://user:pass@example.org/", "userinfo"),
        ("https://youtube.com@evil.example/", "userinfo"),
        ("https://example.org:8080/", "port"),
        ("https://example.org:99999/", "malformed"),
        ("https://localhost/", "local"),
        ("https://127.0.0.1/", "local"),
        ("https://[::1]/", "local"),
        ("https://10.0.0.5/admin", "local"),
        ("https://192.168.1.1/", "local"),
        ("https://169.254.169.254/latest/meta-data", "local"),
        ("https://2130706433/", "host"),
        ("https://0x7f.1/", "host"),
        ("https://printer.local/", "local"),
        ("https://intranet/", "host"),
        ("https://exa mple.org/", "characters"),
        ("https://example.org/\\evil", "characters"),
        ("https://-bad-.example/", "host"),
        ("https://xn--zz.example/", "host"),  # not valid punycode
        ("https://you\u200dtube.com/watch?v=Zx8cV2bN4mQ", "ambiguous_host"),
        ("https://fa\u00df.de/", "ambiguous_host"),
        ("https://\uff59outube.com/", "ambiguous_host"),
    ],
)
def test_refuses_what_a_browser_could_misread_or_that_is_not_public(url, code):
    with pytest.raises(ValidationError) as raised:
        parse_web_url(url)
    assert raised.value.code == code
    assert raised.value.messages[0]  # an editor-facing sentence, not a bare code


def test_display_host_drops_www_and_shows_nothing_for_refused_addresses():
    assert display_host("https://www.youtube.com/watch?v=x") == "youtube.com"
    assert display_host("https://www.bücher.example/") == "xn--bcher-kva.example"
    # Cyrillic "о" in place of the Latin letter: refused, so never shown as youtube.com
    assert display_host("https://y\u043eutube.com/watch?v=x") == ""
    assert display_host("javascript:alert(1)") == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://y\u043eutube.com/watch?v=x",  # one Cyrillic letter among Latin ones
        "https://xn--yutube-wqf.com/",  # the same, as its ASCII form
        "https://\u0440\u0430\u0443\u0440\u0430l.com/",  # Cyrillic letters imitating "paypa", then a Latin l
        "https://\u0440\u0430\u0443\u0440\u0430\u04cf.com/",  # all Cyrillic under .com
        "https://www.g\u03bfogle.com/",  # a Greek omicron
    ],
)
def test_look_alike_hosts_are_refused(url):
    with pytest.raises(ValidationError) as raised:
        parse_web_url(url)
    assert raised.value.code == "look_alike"


@pytest.mark.parametrize(
    "url",
    [
        "https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/",
        "https://b\u00fccher.example/",
        "https://\u4f8b\u3048.jp/",
        "https://m\u00fcnchen.de/",
    ],
)
def test_hosts_in_one_script_are_accepted(url):
    assert parse_web_url(url).host.startswith(("xn--", "www."))
