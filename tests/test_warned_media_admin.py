"""Staff wellbeing: the admin shows a warned record's media blurred and in
grayscale until the user shows it, unless their account settings say otherwise;
and plays nothing by itself. Read over HTTP, as each editor's browser gets it."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model

from tests.admin_forms import form_data
from tests.factories import make_evidence, make_poster
from wagtail_evidence.models import AdminPreferences, Evidence


pytestmark = pytest.mark.django_db

SNIPPETS = "wagtailsnippets_wagtail_evidence_evidence"
COVER = "[data-evidence-warned-media]"
PANEL = "wagtail_evidence_warned_media"


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def warned(level="graphic", **fields):
    return make_evidence(
        title=f"A {level} record",
        poster=make_poster(f"{level} still"),
        warning_level=level,
        warning_categories=["violence"],
        description="Men lie on a road; the faces cannot be seen.",
        **fields,
    )


def unwarned(**fields):
    return make_evidence(title="A quiet record", poster=make_poster("quiet"), **fields)


def edit_page(client, record):
    return soup(client.get(reverse(f"{SNIPPETS}:edit", args=[record.pk])))


def inspect_page(client, record):
    return soup(client.get(reverse(f"{SNIPPETS}:inspect", args=[record.pk])))


def poster_field(page):
    return page.select_one("#id_poster-chooser")


def button(cover):
    return cover.select_one("button[data-evidence-warned-media-toggle]")


def rendition_sources(page):
    """The images of the page that are renditions of an uploaded image."""
    return [img["src"] for img in page.select("img[src]") if "/images/" in img["src"]]


# The record's form: the poster's image chooser


@pytest.mark.parametrize(
    ("level", "show", "hide"),
    [
        ("graphic", "Show graphic media", "Hide graphic media"),
        ("disturbing", "Show disturbing media", "Hide disturbing media"),
    ],
)
def test_a_warned_records_poster_is_blurred_in_its_form(login, level, show, hide):
    page = edit_page(login("editor"), warned(level))
    cover = poster_field(page).select_one(COVER)
    assert cover is not None
    assert cover.has_attr("data-blurred")
    assert cover.select_one(".evidence-warned-media__media img.chooser__image")
    toggle = button(cover)
    assert toggle["type"] == "button"
    assert toggle.get_text(strip=True) == show
    assert (toggle["data-show-label"], toggle["data-hide-label"]) == (show, hide)


def test_an_unwarned_records_poster_is_shown_as_wagtail_shows_it(login):
    page = edit_page(login("editor"), unwarned())
    chooser = poster_field(page)
    assert chooser.select_one("img.chooser__image")["src"].endswith(".png")
    assert page.select(COVER) == []


def test_the_desk_sees_it_blurred_too(login):
    page = edit_page(login("verifier"), warned())
    assert poster_field(page).select_one(COVER).has_attr("data-blurred")


def test_a_form_sent_back_with_errors_covers_the_level_it_now_warns_of(login):
    client = login("editor")
    record = unwarned()
    url = reverse(f"{SNIPPETS}:edit", args=[record.pk])
    data = form_data(client.get(url))
    data.update(warning_level="graphic", description="")  # refused: no description
    response = client.post(url, data)
    page = soup(response)
    assert page.select_one(".error-message, .w-field__errors .error-message")
    cover = poster_field(page).select_one(COVER)
    assert cover is not None and cover.has_attr("data-blurred")
    assert button(cover).get_text(strip=True) == "Show graphic media"


# The inspect view and the comparison of revisions


def test_the_inspect_view_blurs_a_warned_records_poster(login):
    client = login("editor")
    page = inspect_page(client, warned())
    cover = page.select_one(COVER)
    assert cover.has_attr("data-blurred")
    assert cover.select_one(".evidence-warned-media__media img")
    assert button(cover).get_text(strip=True) == "Show graphic media"

    plain = inspect_page(client, unwarned())
    assert plain.select(COVER) == []
    assert len(rendition_sources(plain)) == 1  # the poster, as Wagtail shows it


def test_a_draft_that_adds_a_warning_covers_the_poster_before_it_is_published(login):
    record = unwarned()
    record.warning_level = "graphic"
    record.description = "Men lie on a road."
    record.save_revision()  # a draft: the live row still says "No warning"
    assert Evidence.objects.get(pk=record.pk).warning_level == "none"
    page = inspect_page(login("editor"), record)
    assert page.select_one(COVER).has_attr("data-blurred")


def test_comparing_revisions_blurs_the_posters_of_a_warned_record(login):
    record = warned()
    record.poster = make_poster("another still")
    record.save_revision().publish()
    url = reverse(
        f"{SNIPPETS}:revisions_compare", args=[record.pk, "earliest", "latest"]
    )
    page = soup(login("editor").get(url))
    cover = page.select_one(COVER)
    assert cover.has_attr("data-blurred")
    assert len(cover.select(".evidence-warned-media__media img")) == 2  # before, after
    assert len(rendition_sources(page)) == 2


# Where the admin lists records, it shows no media to blur


def test_the_listing_the_register_and_the_chooser_show_no_media(login):
    client = login("editor")
    record = warned()
    for url in (
        reverse(f"{SNIPPETS}:list"),
        reverse("wagtail_evidence:register"),
        reverse("wagtailsnippetchoosers_wagtail_evidence_evidence:choose"),
    ):
        response = client.get(url)
        text = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            text = response.json()["html"]
        assert record.title in text, url
        assert rendition_sources(BeautifulSoup(text, "html.parser")) == [], url


# Each user's preference, in Wagtail's account settings


def account_form(client):
    """What the account settings page posts, as the browser would send it."""
    from wagtail.test.utils.form_data import querydict_from_html

    html = client.get(reverse("wagtailadmin_account")).content.decode()
    page = BeautifulSoup(html, "html.parser")
    forms = page.select("form")
    index = next(
        i for i, form in enumerate(forms) if form.select_one(f"[name^={PANEL}-]")
    )
    data = querydict_from_html(html, form_index=index)
    # Wagtail asks every user for their name; the test users have none yet.
    return {
        **{key: values[-1] for key, values in data.lists()},
        "name_email-first_name": "Sam",
        "name_email-last_name": "Writer",
    }


def choose(client, value):
    data = account_form(client)
    data[f"{PANEL}-warned_media"] = value
    response = client.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_account_settings_offer_the_choice_blurred_by_default(login):
    page = soup(login("editor").get(reverse("wagtailadmin_account")))
    panel = page.select_one(f"#{PANEL}-section")
    assert panel.select_one("[data-panel-heading-text]").get_text(strip=True) == (
        "Warned media"
    )
    options = {
        radio["value"]: radio.has_attr("checked")
        for radio in panel.select(f"input[type=radio][name={PANEL}-warned_media]")
    }
    assert options == {"blur": True, "show": False}
    labels = [label.get_text(strip=True) for label in panel.select("label")]
    assert "Blur warned media (default)" in labels
    assert "Show warned media" in labels


def test_showing_warned_media_is_one_users_choice(login, users):
    record = warned()
    editor = login("editor")
    choose(editor, "show")
    assert AdminPreferences.objects.get(user=users["editor"]).warned_media == "show"

    # The editor now sees the media, with a button to blur it again...
    for page in (edit_page(editor, record), inspect_page(editor, record)):
        cover = page.select_one(COVER)
        assert not cover.has_attr("data-blurred")
        assert button(cover).get_text(strip=True) == "Hide graphic media"

    # ...and the desk, who chose nothing, still sees it blurred.
    desk = Client()
    desk.force_login(users["verifier"])
    assert not AdminPreferences.objects.filter(user=users["verifier"]).exists()
    assert (
        poster_field(edit_page(desk, record)).select_one(COVER).has_attr("data-blurred")
    )
    assert inspect_page(desk, record).select_one(COVER).has_attr("data-blurred")

    # Choosing to blur again blurs it again.
    choose(editor, "blur")
    assert (
        poster_field(edit_page(editor, record))
        .select_one(COVER)
        .has_attr("data-blurred")
    )


def test_a_choice_that_is_not_offered_is_refused(login, users):
    client = login("editor")
    data = account_form(client)
    data[f"{PANEL}-warned_media"] = "autoplay"
    response = client.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 200
    assert not AdminPreferences.objects.filter(user=users["editor"]).exists()


def test_account_settings_posted_without_the_choice_still_save(login, users):
    client = login("editor")
    data = {
        key: value
        for key, value in account_form(client).items()
        if not key.startswith(PANEL)
    }
    data["name_email-first_name"] = "Edith"
    response = client.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 302
    users["editor"].refresh_from_db()
    assert users["editor"].first_name == "Edith"
    assert not AdminPreferences.objects.filter(user=users["editor"]).exists()


def test_users_who_do_not_work_on_evidence_are_not_offered_the_choice(
    django_user_model,
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reader-admin", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    page = soup(client.get(reverse("wagtailadmin_account")))
    assert page.select(f"[name^={PANEL}-]") == []


# Nothing plays by itself


def test_no_admin_page_of_a_record_plays_its_video_by_itself(login):
    video = get_document_model()(title="clip.mp4")
    video.file.save("clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    video.save()
    record = warned(video_file=video)
    client = login("editor")
    for url in (
        reverse(f"{SNIPPETS}:edit", args=[record.pk]),
        reverse(f"{SNIPPETS}:inspect", args=[record.pk]),
        reverse(f"{SNIPPETS}:history", args=[record.pk]),
    ):
        page = soup(client.get(url))
        assert page.select("[autoplay]") == [], url
        for media in page.select("video, audio"):
            assert media.get("preload") in ("none", "metadata"), url


# Wagtail's own image listings and chooser: the script asks which images to cover


def test_the_admin_pages_load_the_covers_style_and_script(login):
    page = soup(login("editor").get(reverse("wagtailadmin_home")))
    assert page.select_one('link[href^="/static/wagtail_evidence/css/admin.css?v="]')
    script = page.select_one(
        'script[src^="/static/wagtail_evidence/js/admin-warned-media.js?v="]'
    )
    assert script["data-warned-images-url"] == reverse("wagtail_evidence:warned_images")


def test_the_script_learns_which_images_are_warned_posters(login, users):
    graphic, disturbing, quiet = warned(), warned("disturbing"), unwarned()
    # An image that is the poster of two records takes the stricter warning.
    make_evidence(
        title="The same still, disturbing",
        poster=graphic.poster,
        warning_level="disturbing",
        warning_categories=["distress"],
        description="Men lie on a road.",
    )
    client = login("editor")
    response = client.get(reverse("wagtail_evidence:warned_images"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    answer = response.json()
    assert answer["images"] == {
        str(graphic.poster_id): "graphic",
        str(disturbing.poster_id): "disturbing",
    }
    assert str(quiet.poster_id) not in answer["images"]
    assert answer["blurred"] is True
    assert answer["labels"] == {
        "graphic": {"show": "Show graphic media", "hide": "Hide graphic media"},
        "disturbing": {
            "show": "Show disturbing media",
            "hide": "Hide disturbing media",
        },
    }

    choose(client, "show")
    assert client.get(reverse("wagtail_evidence:warned_images")).json()["blurred"] is (
        False
    )


def test_only_admin_users_may_ask(client, db):
    response = client.get(reverse("wagtail_evidence:warned_images"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
