"""Content Credentials (C2PA) read offline from the files editors attach.

Every file here is signed in the test session with a throwaway certificate
chain (tests/c2pa_signing.py): one whose credentials validate, one tampered
with after signing, one never signed. Editors attach them through the admin
over HTTP; the stored facts, the admin's panel, the reader's line and the API
say what the manifests say, and nothing when there is none. The desk's facets
and verdict never move. And the reading makes no request: a manifest stored
elsewhere and a certificate's OCSP responder, both on a fake server on
127.0.0.1 that the test starts, are never asked.
"""

import http.server
import io
import os
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests import c2pa_signing
from tests import test_query_counts as counts
from tests.admin_forms import form_data
from tests.factories import evidence_block, make_article, make_evidence
from tests.json_ld_rules import fetch, graph, media_review_problems, page_address
from tests.reading import item, read, read_api, shown, text
from tests.test_admin_evidence import ADD_URL, convoy_form, edit_url
from tests.test_jsonld import crawler_site  # noqa: F401 - a fixture
from wagtail_evidence.media import credentials
from wagtail_evidence.models import ContentCredentials, Evidence
from wagtail_evidence.reader import content_credentials as reader_credentials
from wagtail_evidence.reader import loading


c2pa = pytest.importorskip("c2pa", reason='needs "wagtail-evidence[c2pa]"')

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def files():
    """Made once per session: key generation and signing cost tens of ms each."""
    chain = c2pa_signing.make_chain(signer="Field Camera Unit")
    picture = c2pa_signing.small_jpeg()
    signed = c2pa_signing.sign(
        picture, chain, c2pa_signing.manifest(tool="FieldCam", edited_with="Cropper")
    )
    generated = c2pa_signing.sign(
        c2pa_signing.small_jpeg((20, 90, 200)),
        chain,
        c2pa_signing.manifest(tool="ImageModel", source_type="trainedAlgorithmicMedia"),
    )
    return {
        "chain": chain,
        "signed": signed,
        "generated": generated,
        "tampered": c2pa_signing.tampered(signed),
        "unsigned": picture,
    }


def upload_document(client, content, name="capture.jpg"):
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": ContentFile(content, name=name), "collection": "1"},
    )
    assert response.status_code == 302, response.content[:500]
    return get_document_model().objects.get(title=name)


def upload_image(client, content, name="poster.jpg"):
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, content_type="image/jpeg"),
            "collection": "1",
        },
    )
    assert response.status_code == 302, response.content[:500]
    return get_image_model().objects.get(title=name)


def attach_original(client, content, name="capture.jpg"):
    """An editor uploads ``content`` as a document and chooses it as the
    original file of a new record, as in the browser."""
    document = upload_document(client, content, name)
    response = client.post(ADD_URL, convoy_form(client, original_file=str(document.pk)))
    assert response.status_code == 302, response.content[:1000]
    return Evidence.objects.get(original_file=document)


def credentials_of(evidence, slot="original_file"):
    return ContentCredentials.objects.get(evidence=evidence, file=slot)


def shown_states(evidence):
    """The states of the rows the admin and readers take for the files
    ``evidence`` has now."""
    return [row.state for row in reader_credentials.credentials_for(evidence)]


def panel(client, evidence):
    html = client.get(edit_url(evidence)).content.decode()
    start = html.index('class="evidence-content-credentials"')
    return html[start : html.index("</div>", start)]


def publish_in_article(evidence, slug="article"):
    evidence.refresh_from_db()
    evidence.save_revision().publish()
    return make_article([evidence_block(evidence)], title="Article", slug=slug)


def reader_lines(client, article):
    section = item(read(client, article), "Convoy in Horadiz")
    return [text(line) for line in section.select(".evidence-credentials")]


# What is read and stored


def test_valid_credentials_are_read_when_the_editor_attaches_the_file(login, files):
    client = login("editor")
    evidence = attach_original(client, files["signed"])

    row = credentials_of(evidence)
    assert row.state == "valid" and row.failures == []
    assert (row.signer_name, row.signer_issuer) == (
        "Field Camera Unit",
        "Test Newsroom",
    )
    assert row.claim_generator == "FieldCam 2.1"
    assert [action["action"] for action in row.actions] == [
        "c2pa.created",
        "c2pa.edited",
    ]
    assert row.actions[0]["when"] == "2026-11-02T08:30:00Z"
    assert row.actions[0]["digital_source_type"] == "digitalCapture"
    assert row.edited_with == ["Cropper"]
    assert not row.ai_generated
    assert row.trusted is None  # no trust list by default: nobody checked


def test_credentials_tampered_with_after_signing_say_why_they_fail(login, files):
    evidence = attach_original(login("editor"), files["tampered"])

    row = credentials_of(evidence)
    assert row.state == "invalid"
    assert [failure["code"] for failure in row.failures] == [
        "assertion.dataHash.mismatch"
    ]
    assert row.signer_name == "Field Camera Unit"  # still who signed what was there


def test_an_unsigned_file_is_recorded_as_carrying_no_manifest(login, files):
    evidence = attach_original(login("editor"), files["unsigned"])

    row = credentials_of(evidence)
    assert row.state == "absent" and not row.present
    assert row.signer_name == "" and row.actions == []


def test_ai_generation_is_read_from_the_digital_source_type(login, files):
    evidence = attach_original(login("editor"), files["generated"])

    row = credentials_of(evidence)
    assert row.state == "valid"
    assert row.ai_source_type == "trainedAlgorithmicMedia"


def test_a_manifest_the_package_cannot_make_sense_of_never_fails_the_save(
    login, files, monkeypatch
):
    def confused(store, anchors):
        raise AttributeError("'list' object has no attribute 'get'")

    monkeypatch.setattr(credentials, "manifest_facts", confused)
    evidence = attach_original(login("editor"), files["signed"])  # a 302, not a 500

    row = credentials_of(evidence)
    assert row.state == "unreadable"
    assert row.failures[0]["code"] == "manifest.attributeError"


def test_the_poster_is_read_when_the_editor_chooses_it(login, files):
    client = login("editor")
    image = upload_image(client, files["generated"])
    response = client.post(ADD_URL, convoy_form(client, poster=str(image.pk)))
    assert response.status_code == 302

    row = credentials_of(Evidence.objects.get(poster=image), "poster")
    assert row.image_id == image.pk and row.state == "valid"
    assert row.ai_source_type == "trainedAlgorithmicMedia"


def test_the_file_is_read_once_and_again_only_when_it_changes(
    login, files, monkeypatch
):
    client = login("editor")
    evidence = attach_original(client, files["signed"])
    reads = []
    real_read = credentials.read_credentials
    monkeypatch.setattr(
        credentials,
        "read_credentials",
        lambda *args, **kwargs: reads.append(1) or real_read(*args, **kwargs),
    )

    # Edits that keep the file, and every render, read nothing.
    client.post(
        edit_url(evidence),
        {**form_data(client.get(edit_url(evidence))), "place": "Horadiz town"},
    )
    article = publish_in_article(evidence)
    assert client.get(article.url).status_code == 200
    read_api(client, article)
    assert reads == []

    # The document replaced in place (same document, new file): read again.
    # The editor uploads a new file to the same document in Wagtail's admin.
    document = evidence.original_file
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": document.title,
            "file": ContentFile(files["tampered"], name="capture-v2.jpg"),
            "collection": "1",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert reads == [1]
    assert credentials_of(evidence).state == "invalid"


def test_another_file_chosen_is_read_and_the_other_forgotten_by_the_reader(
    login, files
):
    client = login("editor")
    evidence = attach_original(client, files["signed"])
    other = upload_document(client, files["unsigned"], "other.jpg")
    data = form_data(client.get(edit_url(evidence)))
    client.post(edit_url(evidence), {**data, "original_file": str(other.pk)})

    evidence.refresh_from_db()
    shown_rows = reader_credentials.credentials_for(evidence)
    assert [(row.document_id, row.state) for row in shown_rows] == [
        (other.pk, "absent")
    ]


# The desk still decides


def test_credentials_never_set_a_facet_or_the_verdict(login, files):
    """Valid, tampered, unsigned or AI-made: the record's facets, verdict and
    badge are those of the same record posted with no file at all."""
    client = login("editor")
    client.post(ADD_URL, {**convoy_form(client), "title": "Without a file"})
    baseline = Evidence.objects.get(title="Without a file")

    def desk_state(evidence):
        return (
            evidence.facet_statuses,
            evidence.authenticity_category,
            evidence.verdict,
            evidence.badge,
        )

    for kind in ("signed", "tampered", "unsigned", "generated"):
        evidence = attach_original(client, files[kind], f"{kind}.jpg")
        evidence.refresh_from_db()
        assert credentials_of(evidence).state in ("valid", "invalid", "absent")
        assert desk_state(evidence) == desk_state(baseline), kind


# The doors Wagtail opens


def snippet_url(name, *args):
    return reverse(f"wagtailsnippets_wagtail_evidence_evidence:{name}", args=args)


def counting_reads(monkeypatch):
    reads = []
    real_read = credentials.read_credentials

    def read(stream, name, anchors=None):
        reads.append(name)
        return real_read(stream, name, anchors)

    monkeypatch.setattr(credentials, "read_credentials", read)
    return reads


def test_reverting_to_an_older_revision_keeps_what_each_file_said(
    login, files, monkeypatch
):
    """Out of the revisions: publishing an older revision brings back its file,
    and readers get what that file said, without reading it again."""
    client = login("editor")
    evidence = attach_original(client, files["signed"])
    evidence.refresh_from_db()
    first = evidence.save_revision()
    first.publish()
    other = upload_document(client, files["unsigned"], "later.jpg")
    client.post(
        edit_url(evidence),
        {**form_data(client.get(edit_url(evidence))), "original_file": str(other.pk)},
    )
    evidence.refresh_from_db()
    evidence.latest_revision.publish()
    evidence.refresh_from_db()
    assert shown_states(evidence) == ["absent"]

    reads = counting_reads(monkeypatch)
    login("admin").post(
        snippet_url("revisions_revert", evidence.pk, first.pk),
        {
            **form_data(
                client.get(snippet_url("revisions_revert", evidence.pk, first.pk))
            ),
            "action-publish": "action-publish",
        },
    )
    evidence.refresh_from_db()
    assert evidence.original_file_id != other.pk
    assert shown_states(evidence) == ["valid"]
    assert reads == []


def test_a_copy_reads_its_own_files_and_leaves_the_originals_rows(login, files):
    client = login("editor")
    evidence = attach_original(client, files["signed"])
    before = list(ContentCredentials.objects.values_list("pk", "evidence_id", "state"))

    copy_url = snippet_url("copy", evidence.pk)
    response = client.post(
        copy_url, {**form_data(client.get(copy_url)), "title": "A copy"}
    )
    assert response.status_code == 302

    copy = Evidence.objects.get(title="A copy")
    assert (
        list(
            ContentCredentials.objects.filter(evidence=evidence).values_list(
                "pk", "evidence_id", "state"
            )
        )
        == before
    )
    assert shown_states(copy) == ["valid"]


def test_deleting_the_record_or_the_document_deletes_what_was_read(login, files):
    client = login("editor")
    kept = attach_original(client, files["signed"], "kept.jpg")
    gone = attach_original(client, files["signed"], "gone.jpg")

    login("admin").post(snippet_url("delete", gone.pk))
    assert not Evidence.objects.filter(pk=gone.pk).exists()
    assert not ContentCredentials.objects.filter(evidence_id=gone.pk).exists()

    kept.original_file.delete()
    assert not ContentCredentials.objects.filter(evidence=kept).exists()


# The admin


def test_the_panel_shows_the_desk_what_the_manifest_says(login, files):
    client = login("editor")
    evidence = attach_original(client, files["signed"])

    html = panel(client, evidence)
    assert "Field Camera Unit" in html and "Test Newsroom" in html
    assert "FieldCam 2.1" in html and "Cropper" in html
    assert "c2pa.edited" in html
    assert "configures no trust list" in html
    assert "they do not set it" in html


def test_the_panel_says_why_credentials_fail_and_that_absence_proves_nothing(
    login, files
):
    client = login("editor")
    tampered = attach_original(client, files["tampered"], "tampered.jpg")
    assert "assertion.dataHash.mismatch" in panel(client, tampered)
    unsigned = attach_original(client, files["unsigned"], "unsigned.jpg")
    assert "says nothing about the media" in panel(client, unsigned)


def test_without_the_extra_the_panel_says_credentials_are_not_read(
    login, files, monkeypatch
):
    monkeypatch.setattr(credentials, "c2pa_library", lambda: None)
    client = login("editor")
    evidence = attach_original(client, files["signed"])

    assert not ContentCredentials.objects.filter(evidence=evidence).exists()
    assert "Content Credentials are not read on this site" in panel(client, evidence)


def test_the_panel_names_the_site_trust_list_when_the_signer_is_on_it(
    login, files, settings, tmp_path
):
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(files["chain"].root_pem)
    settings.WAGTAIL_EVIDENCE = {
        **getattr(settings, "WAGTAIL_EVIDENCE", {}),
        "C2PA_TRUST_ANCHORS": str(anchors),
    }
    client = login("editor")
    evidence = attach_original(client, files["signed"])

    assert credentials_of(evidence).trusted is True
    assert "configures no trust list" not in panel(client, evidence)


def test_a_signer_off_the_trust_list_is_said_to_be_off_it(
    login, files, settings, tmp_path
):
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(c2pa_signing.make_chain(signer="Someone else").root_pem)
    settings.WAGTAIL_EVIDENCE = {
        **getattr(settings, "WAGTAIL_EVIDENCE", {}),
        "C2PA_TRUST_ANCHORS": str(anchors),
    }
    evidence = attach_original(login("editor"), files["signed"])

    row = credentials_of(evidence)
    assert row.trusted is False and row.state == "valid"  # integrity is not trust


def test_a_trust_list_that_is_not_a_regular_file_is_no_trust_list_and_the_panel_says_why(
    login, files, settings, tmp_path
):
    """A FIFO named by the setting: the save does not wait for a writer nor
    read without end; the signer is read as unchecked, and the panel names
    the problem."""
    anchors = tmp_path / "anchors.pem"
    os.mkfifo(anchors)
    settings.WAGTAIL_EVIDENCE = {
        **getattr(settings, "WAGTAIL_EVIDENCE", {}),
        "C2PA_TRUST_ANCHORS": str(anchors),
    }
    client = login("editor")
    evidence = attach_original(client, files["signed"])

    row = credentials_of(evidence)
    assert row.state == "valid" and row.trusted is None
    assert "it is not a regular file" in panel(client, evidence)


def test_a_trust_list_with_utf8_comments_is_used(login, files, settings, tmp_path):
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes("# Racine de la rédaction\n".encode() + files["chain"].root_pem)
    settings.WAGTAIL_EVIDENCE = {
        **getattr(settings, "WAGTAIL_EVIDENCE", {}),
        "C2PA_TRUST_ANCHORS": str(anchors),
    }
    client = login("editor")
    evidence = attach_original(client, files["signed"])

    assert credentials_of(evidence).trusted is True
    assert "cannot be used" not in panel(client, evidence)


# Readers


def test_readers_see_who_signed_and_with_what(client, login, files):
    evidence = attach_original(login("editor"), files["signed"])
    client.logout()

    lines = reader_lines(client, publish_in_article(evidence))
    assert lines == [
        "Content Credentials (original file): signed by Field Camera Unit "
        "(Test Newsroom), as named in their certificate (not checked against a "
        "trust list), made with FieldCam 2.1, edited with Cropper."
    ]


def test_readers_are_told_when_credentials_say_ai_made_it(client, login, files):
    evidence = attach_original(login("editor"), files["generated"])
    client.logout()

    (line,) = reader_lines(client, publish_in_article(evidence))
    assert "made with ImageModel 2.1." in line
    assert line.endswith("Its credentials say it was generated by AI.")


def test_readers_are_told_plainly_that_tampered_credentials_fail_without_a_verdict(
    client, login, files
):
    evidence = attach_original(login("editor"), files["tampered"])
    client.logout()

    (line,) = reader_lines(client, publish_in_article(evidence))
    assert "do not validate: the file was changed after it was signed." in line
    assert "does not mean the media is fake" in line
    assert "signed by" not in line


def test_readers_see_nothing_at_all_for_a_file_without_credentials(
    client, login, files
):
    evidence = attach_original(login("editor"), files["unsigned"])
    client.logout()

    article = publish_in_article(evidence)
    html = client.get(article.url).content.decode()
    assert "Content Credentials" not in html
    assert "credentials" not in html.lower()


def test_signer_names_are_escaped_and_isolated(client, db, files):
    chain = c2pa_signing.make_chain(signer="<b>\u202eEvil</b>")
    hostile = c2pa_signing.sign(
        c2pa_signing.small_jpeg(), chain, c2pa_signing.manifest(tool="<i>x</i>")
    )
    document = get_document_model().objects.create(
        title="Hostile", file=ContentFile(hostile, name="hostile.jpg")
    )
    evidence = make_evidence(title="Convoy in Horadiz", original_file=document)

    html = str(item(read(client, publish_in_article(evidence)), "Convoy in Horadiz"))
    assert "<b>" not in html and "<i>x" not in html
    assert "<bdi>&lt;b&gt;\u202eEvil&lt;/b&gt;</bdi>" in html
    assert "<bdi>&lt;i&gt;x&lt;/i&gt; 2.1</bdi>" in html


def test_the_reader_loads_every_items_credentials_in_one_query(
    client, settings, monkeypatch
):
    """Items with a poster read their credentials from the batch's prefetch:
    the count is the same for 1 and 10 items, and grows without it (so the
    first assertion can fail)."""
    counts.without_rendition_cache(settings)
    counts.without_render_cache(settings)
    home = counts.make_home()
    records = [counts.make_evidence(number) for number in range(10)]
    cited = records[: counts.CLAIM_CITES]
    articles = {
        size: counts.make_article(home, records[:size], cited, f"credentials-{size}")
        for size in (1, 10)
    }
    assert ContentCredentials.objects.filter(file="poster").count() == 10

    kept, _sql = counts.reader_query_counts(client, articles)
    assert kept[1] == kept[10], kept

    monkeypatch.setattr(
        loading, "detail_lookups", counts.lookups_without("content_credentials")
    )
    lost, _sql = counts.reader_query_counts(client, articles)
    assert lost[1] < lost[10], lost


def test_the_include_renders_the_line_by_itself(files):
    """The include the evidence block uses, rendered alone: an override of the
    block template can place it anywhere."""
    document = get_document_model().objects.create(
        title="Tampered", file=ContentFile(files["tampered"], name="tampered.jpg")
    )
    evidence = make_evidence(original_file=document)

    html = render_to_string(
        "wagtail_evidence/includes/content_credentials.html", {"item": evidence}
    )
    assert 'class="evidence-credentials evidence-credentials--original_file' in html
    assert "evidence-credentials--invalid" in html
    assert "do not validate" in html


# The command


def test_the_command_reads_what_was_attached_before_the_extra_was_installed(
    files, monkeypatch
):
    installed = credentials.c2pa_library
    monkeypatch.setattr(credentials, "c2pa_library", lambda: None)
    document = get_document_model().objects.create(
        title="Signed", file=ContentFile(files["signed"], name="signed.jpg")
    )
    evidence = make_evidence(original_file=document)
    make_evidence(title="No file")
    assert not ContentCredentials.objects.exists()
    with pytest.raises(CommandError, match="wagtail-evidence\\[c2pa\\]"):
        call_command("read_content_credentials")

    monkeypatch.setattr(credentials, "c2pa_library", installed)
    out = io.StringIO()
    call_command("read_content_credentials", stdout=out)
    assert out.getvalue().strip() == "1 records with files; 1 files read."
    assert shown_states(evidence) == ["valid"]

    out = io.StringIO()
    call_command("read_content_credentials", stdout=out)
    assert out.getvalue().strip() == "1 records with files; 0 files read."


# The API


def test_the_api_gives_the_same_facts_as_data(client, login, files):
    evidence = attach_original(login("editor"), files["generated"])
    client.logout()

    data = read_api(client, publish_in_article(evidence))
    (facts,) = shown(data, "Convoy in Horadiz")["evidence"]["content_credentials"]
    assert facts == {
        "file": {"value": "original_file", "label": "original file"},
        "validates": True,
        "reason": None,
        "signer": {
            "name": "Field Camera Unit",
            "issuer": "Test Newsroom",
            "on_trust_list": None,
        },
        "made_with": "ImageModel 2.1",
        "edited_with": [],
        "digital_source_type": "trainedAlgorithmicMedia",
        "ai_generated": True,
        "signed_at": None,
    }


def test_the_api_gives_nothing_for_a_file_without_credentials(client, login, files):
    evidence = attach_original(login("editor"), files["unsigned"])
    client.logout()

    data = read_api(client, publish_in_article(evidence))
    assert shown(data, "Convoy in Horadiz")["evidence"]["content_credentials"] == []


# JSON-LD


@pytest.mark.usefixtures("crawler_site")
def test_json_ld_declares_the_digital_source_type_of_valid_credentials_only(
    client, files
):
    """schema.org's digitalSourceType (IPTC's vocabulary, C2PA's too) on the
    media object, from the media's own file: not from credentials that fail,
    nor from a file without any."""

    def reviewed(kind):
        document = get_document_model().objects.create(
            title=kind, file=ContentFile(files[kind], name=f"{kind}.jpg")
        )
        return make_evidence(
            title=kind,
            authenticity_category="OriginalMediaContent",
            authenticity_status="confirmed",
            original_file=document,
        )

    kinds = ("generated", "signed", "tampered", "unsigned")
    article = make_article(
        [evidence_block(reviewed(kind)) for kind in kinds], slug="json-ld"
    )
    html = fetch(client, article)
    reviews = graph(html, "MediaReview")
    declared = [
        review["itemReviewed"]["mediaItemAppearance"][0].get("digitalSourceType")
        for review in reviews
    ]
    assert declared == [
        "https://schema.org/TrainedAlgorithmicMediaDigitalSource",
        "https://schema.org/DigitalCaptureDigitalSource",
        None,
        None,
    ]
    assert all(
        media_review_problems(review, page_address(article)) == [] for review in reviews
    )


# Offline


OFFLINE_SETTINGS = credentials.offline_settings


class Recorder(http.server.BaseHTTPRequestHandler):
    """A fake manifest store and OCSP responder: notes each request, answers 404."""

    requests = None

    def answer(self):
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_service():
    requests = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def online_settings(anchors):
    """What the library would do left to itself: fetch and check."""
    settings = OFFLINE_SETTINGS(anchors)
    settings["verify"].update(remote_manifest_fetch=True, ocsp_fetch=True)
    del settings["core"]
    return settings


def test_the_reading_makes_no_request_for_a_remote_manifest_or_ocsp(
    fake_service, tmp_path, monkeypatch
):
    """Both files point at the fake service: a manifest stored there, and a
    signer whose certificate names an OCSP responder there. Read as the site
    reads, neither is asked; read with fetching on, both are, so the fake
    service would have seen the site's requests."""
    address, requests = fake_service
    chain = c2pa_signing.make_chain(ocsp=f"{address}/ocsp")
    remote = c2pa_signing.sign(
        c2pa_signing.small_jpeg(),
        chain,
        c2pa_signing.manifest(),
        remote_url=f"{address}/manifest.c2pa",
    )
    checked = c2pa_signing.sign(
        c2pa_signing.small_jpeg(), chain, c2pa_signing.manifest()
    )
    anchors = credentials.TrustList(pem=chain.root_pem.decode(), digest="test")

    remote_facts = credentials.read_credentials(io.BytesIO(remote), "a.jpg", anchors)
    checked_facts = credentials.read_credentials(io.BytesIO(checked), "b.jpg", anchors)
    assert requests == []
    assert remote_facts["state"] == "remote"
    assert checked_facts["state"] == "valid" and checked_facts["trusted"] is True

    monkeypatch.setattr(credentials, "offline_settings", online_settings)
    credentials.read_credentials(io.BytesIO(remote), "a.jpg", anchors)
    credentials.read_credentials(io.BytesIO(checked), "b.jpg", anchors)
    assert "/manifest.c2pa" in requests
    # OCSP over GET: the request, base64-encoded, in place of the path.
    assert [path for path in requests if path != "/manifest.c2pa"], requests


# The register


REGISTER = reverse("wagtail_evidence:register")


def record_with_original(files, kind, title=None):
    document = get_document_model().objects.create(
        title=f"{kind}.jpg", file=ContentFile(files[kind], name=f"{kind}.jpg")
    )
    return make_evidence(title=title or kind, original_file=document)


@pytest.fixture
def register_records(db, files):
    for kind in ("signed", "tampered", "generated", "unsigned"):
        record_with_original(files, kind)
    make_evidence(title="no file")


def register_cells(client, query=None):
    """Each listed record's title and its Content Credentials cell's text."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(REGISTER, query or {}).content, "html.parser")
    if not soup.select("tbody tr"):  # no table at all: nothing matches
        return {}
    headings = [text(th) for th in soup.select("thead th")]
    column = headings.index("Content Credentials")
    return {
        text(row.select_one('[id^="snippet_"][id$="_title"]')): text(
            row.select("td")[column]
        )
        for row in soup.select("tbody tr")
    }


def test_the_register_shows_what_each_records_files_carry(login, register_records):
    cells = register_cells(login("editor"))
    assert cells == {
        "signed": "Original file: signed by Field Camera Unit (Test Newsroom)",
        "tampered": "Original file: do not validate",
        "generated": "Original file: signed by Field Camera Unit (Test Newsroom); "
        "generated by AI",
        # Nothing at all, not a word that could read as a verdict.
        "unsigned": "",
        "no file": "",
    }


def test_the_register_says_when_the_signer_is_on_the_trust_list(
    login, files, settings, tmp_path
):
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(files["chain"].root_pem)
    settings.WAGTAIL_EVIDENCE = {"C2PA_TRUST_ANCHORS": str(anchors)}
    record_with_original(files, "signed")

    assert register_cells(login("editor")) == {
        "signed": "Original file: signed by Field Camera Unit (Test Newsroom), "
        "on the trust list"
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("valid", ["generated", "signed"]),
        ("invalid", ["tampered"]),
        ("ai", ["generated"]),
        ("none", ["no file", "unsigned"]),
        ("", ["generated", "no file", "signed", "tampered", "unsigned"]),
    ],
)
def test_the_register_filters_by_content_credentials(
    login, register_records, value, expected
):
    cells = register_cells(login("editor"), {"content_credentials": value})
    assert sorted(cells) == expected


def test_the_register_counts_only_the_files_a_record_has_now(login, files):
    client = login("editor")
    evidence = record_with_original(files, "signed", title="Convoy in Horadiz")
    other = upload_document(client, files["unsigned"], "other.jpg")
    client.post(
        edit_url(evidence),
        {**form_data(client.get(edit_url(evidence))), "original_file": str(other.pk)},
    )
    evidence.refresh_from_db()
    evidence.latest_revision.publish()  # the register lists the live record
    assert ContentCredentials.objects.filter(state="valid").exists()  # still kept

    assert register_cells(client) == {"Convoy in Horadiz": ""}
    assert register_cells(client, {"content_credentials": "valid"}) == {}
    assert list(register_cells(client, {"content_credentials": "none"})) == [
        "Convoy in Horadiz"
    ]


def test_the_register_escapes_and_isolates_signer_names(login, files):
    chain = c2pa_signing.make_chain(signer="<b>\u202eEvil</b>")
    hostile = c2pa_signing.sign(
        c2pa_signing.small_jpeg(), chain, c2pa_signing.manifest()
    )
    record_with_original({"hostile": hostile}, "hostile")

    html = login("editor").get(REGISTER).content.decode()
    assert "<b>\u202eEvil" not in html
    assert "<bdi>&lt;b&gt;\u202eEvil&lt;/b&gt;</bdi>" in html
