"""The evidence register: filters, search, where-used, exports, flat queries."""

import csv
import io
import itertools

import openpyxl
import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.badge import badge_q, derive_badge
from wagtail_evidence.choices import Badge, FacetStatus, Verdict
from wagtail_evidence.models import Credit, Evidence


pytestmark = pytest.mark.django_db
URL = reverse("wagtail_evidence:register")


@pytest.fixture
def records():
    camp = make_evidence(title="Camp")
    camp.tags.add("Hawar Kilis")
    camp.save()
    bodies = make_evidence(
        title="Bodies",
        media_url="https://x.com/a/status/1",
        place="Marjan",
        warning_level="graphic",
        warning_categories=["violence"],
        description="Bodies.",
        verdict="misleading",
    )
    Credit.objects.create(
        evidence=bodies,
        name="Alexander McKeever",
        organisation="Bellingcat",
        role="geolocation",
        sort_order=1,  # after the factory's own credit, on every database
    )
    pending = make_evidence(
        title="Pending",
        verdict="pending",
        media_url="https://aleppo-news.example/v",
        display="link",
    )
    make_article(
        [evidence_block(camp), evidence_block(bodies)],
        title="Cites two",
        slug="cites-two",
    )
    make_article([evidence_block(camp)], title="Cites camp", slug="cites-camp")
    return {"camp": camp, "bodies": bodies, "pending": pending}


def titles(response):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(
        a.get_text(strip=True)
        for a in soup.select('tbody tr [id^="snippet_"][id$="_title"]')
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Bodies", "Camp", "Pending"]),
        ({"badge": "partially_verified"}, ["Camp"]),
        ({"badge": "false_or_misleading"}, ["Bodies"]),
        ({"badge": "unverified"}, ["Pending"]),
        ({"facet_status": "not_established"}, ["Bodies", "Camp", "Pending"]),
        ({"warning_level": "graphic"}, ["Bodies"]),
        ({"provider": "x"}, ["Bodies"]),
        ({"provider": ""}, ["Bodies", "Camp", "Pending"]),  # empty choice: no filter
        ({"tag": "hawar kilis"}, ["Camp"]),
        ({"credited": "bellingcat"}, ["Bodies"]),
        ({"q": "marjan"}, ["Bodies"]),
    ],
)
def test_filters_and_search(login, records, query, expected):
    response = login("editor").get(URL, query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_where_each_record_is_used(login, records):
    page = login("editor").get(URL).content.decode()
    assert "2 pages" in page and "1 page" in page and "Not used" in page
    assert (
        reverse(
            "wagtailsnippets_wagtail_evidence_evidence:usage", args=[records["camp"].pk]
        )
        in page
    )


def test_csv_and_xlsx_exports_carry_the_register(login, records):
    client = login("editor")
    exported = b"".join(client.get(URL, {"export": "csv"}).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    by_title = {row["Working title"]: row for row in rows}
    assert set(by_title) == {"Bodies", "Camp", "Pending"}
    assert by_title["Bodies"]["Badge"] == "False or misleading"
    assert (
        by_title["Bodies"]["Credits"]
        == "Obretix, Geolocation; Alexander McKeever (Bellingcat), Geolocation"
    )
    assert by_title["Camp"]["Used in"] == "2"

    response = client.get(URL, {"export": "xlsx", "badge": "unverified"})
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]][:2] == ["Working title", "Badge"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["Pending"]


def test_anonymous_readers_and_users_without_evidence_rights_are_refused(
    client, records, django_user_model
):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("outsider", password="x"))
    assert client.get(URL).status_code in (302, 403)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"ordering": "-usage_count"},
        {"ordering": "usage_count"},
        {"q": "record"},
        {"badge": "partially_verified"},
    ],
)
@pytest.mark.scale
def test_queries_do_not_grow_with_the_records_listed(login, query):
    client = login("editor")
    counts = []
    for total in (3, 30):
        while Evidence.objects.count() < total:
            make_evidence(title=f"Record {Evidence.objects.count():03d}")
        client.get(URL, query)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, query).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_badge_filter_agrees_with_the_badge_for_every_combination(db):
    statuses = [
        FacetStatus.CONFIRMED,
        FacetStatus.NOT_ESTABLISHED,
        FacetStatus.DISPUTED,
        FacetStatus.CONTRADICTED,
        FacetStatus.UNCHECKED,
    ]
    rows = []
    for index, (where, when, verdict) in enumerate(
        itertools.product(statuses, statuses, list(Verdict))
    ):
        rows.append(
            Evidence(
                title=f"{index}",
                media_url="https://youtu.be/Zx8cV2bN4mQ",
                location_status=where,
                date_status=when,
                verdict=verdict,
            )
        )
    Evidence.objects.bulk_create(rows)
    for badge in Badge:
        expected = {
            e.title
            for e in Evidence.objects.all()
            if derive_badge(e.facet_statuses, e.verdict) == badge
        }
        assert (
            set(Evidence.objects.filter(badge_q(badge)).values_list("title", flat=True))
            == expected
        ), badge


def test_the_dashboard_lists_evidence_awaiting_the_desk(login, records):
    page = login("verifier").get(reverse("wagtailadmin_home")).content.decode()
    assert "1 evidence record awaiting verification" in page
    assert (
        "Pending" in page
        and reverse("wagtail_evidence:register") + "?verdict=pending" in page
    )
    assert titles(login("verifier").get(URL, {"verdict": "pending"})) == ["Pending"]


@pytest.mark.scale
def test_the_snippet_listing_queries_do_not_grow_either(login):
    client = login("editor")
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:list")
    counts = []
    for total in (3, 20):
        while Evidence.objects.count() < total:
            make_evidence(title=f"Listed {Evidence.objects.count():03d}")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.fixture
def searchable():
    """One record a field, each word found in that field alone."""
    found = {
        "title": make_evidence(title="Convoy near Horadiz"),
        "description": make_evidence(title="A", description="Smoke over a silo."),
        "place": make_evidence(title="B", place="Marjan"),
        "region": make_evidence(title="C", region="Karabakh"),
        "country": make_evidence(title="D", country="Azerbaijan"),
        "identified": make_evidence(title="E", identified="Brigade Nineteen"),
        "handle": make_evidence(
            title="F", media_url="https://x.com/geoconfirmed/status/7"
        ),
    }
    tagged = make_evidence(title="G")
    tagged.tags.add("Lachin corridor")
    tagged.save()
    found["tag"] = tagged
    credited = make_evidence(title="H")
    Credit.objects.create(evidence=credited, name="Nadia Qasim", role="geolocation")
    credited.save()
    found["credit"] = credited
    return found


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("horadiz", "title"),
        ("Convoy Hora", "title"),  # every word, the last one begun
        ("silo", "description"),
        ("marj", "place"),
        ("karabakh", "region"),
        ("azerbaijan", "country"),
        ("brigade", "identified"),
        ("geoconfirmed", "handle"),  # a word of the media address
        ("lachin", "tag"),
        ("qasim", "credit"),
    ],
)
def test_search_finds_each_field_through_the_search_backend(
    login, searchable, query, field
):
    response = login("editor").get(URL, {"q": query})
    assert titles(response) == [searchable[field].title]


def test_search_combines_with_filters_order_and_the_latest_save(login, searchable):
    client = login("editor")
    marjan = searchable["place"]
    assert titles(client.get(URL, {"q": "marjan", "badge": "partially_verified"})) == [
        "B"
    ]
    assert titles(client.get(URL, {"q": "marjan", "badge": "disputed"})) == []
    assert titles(client.get(URL, {"q": "marjan", "ordering": "-usage_count"})) == ["B"]
    marjan.place = "Aghdam"
    marjan.save()  # a save reindexes the record
    assert titles(client.get(URL, {"q": "marjan"})) == []
    assert titles(client.get(URL, {"q": "aghdam"})) == ["B"]


def test_usage_order_ranks_cited_records_and_breaks_ties_by_title(login, records):
    client = login("editor")

    def listed(ordering):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(
            client.get(URL, {"ordering": ordering}).content, "html.parser"
        )
        return [
            title.get_text(strip=True)
            for title in soup.select('tbody tr [id^="snippet_"][id$="_title"]')
        ]

    assert listed("-usage_count") == ["Camp", "Bodies", "Pending"]
    assert listed("usage_count") == ["Pending", "Bodies", "Camp"]
    assert listed("title") == ["Bodies", "Camp", "Pending"]
    assert listed("-title") == ["Pending", "Camp", "Bodies"]


def test_the_badge_index_expression_agrees_with_the_badge_for_every_combination(db):
    """The expression the register filters on and the database indexes
    (migration 0011) gives derive_badge's badge for every facet and verdict."""
    from wagtail_evidence.badge import badge_expression

    statuses = list(FacetStatus)
    rows = [
        Evidence(
            title=f"{index}",
            media_url="https://youtu.be/Zx8cV2bN4mQ",
            location_status=where,
            date_status=when,
            authenticity_status=authentic,
            verdict=verdict,
        )
        for index, (where, when, authentic, verdict) in enumerate(
            itertools.product(statuses, statuses, statuses, list(Verdict))
        )
    ]
    Evidence.objects.bulk_create(rows)
    for evidence in Evidence.objects.annotate(badge_value=badge_expression()):
        assert evidence.badge_value == derive_badge(
            evidence.facet_statuses, evidence.verdict
        ), evidence.title


def test_usage_order_pages_across_cited_and_uncited_records(records):
    """The paginator's slices of the order of use, wherever a page starts and
    ends: within the cited records, across into the uncited ones, beyond."""
    from wagtail.models import ReferenceIndex

    from wagtail_evidence.admin.views.usage_order import UsageOrder

    extra = make_evidence(title="Another uncited")
    queryset = Evidence.objects.annotate(
        usage_count=ReferenceIndex.usage_count_subquery(Evidence)
    )
    most = UsageOrder(queryset, most_used_first=True)
    expected = [records["camp"], records["bodies"], extra, records["pending"]]
    assert most.count() == len(most) == 4
    assert list(most) == expected
    for start in range(5):
        for stop in range(start, 6):
            assert most[start:stop] == expected[start:stop], (start, stop)
    assert most[2] == extra
    least = UsageOrder(queryset, most_used_first=False)
    assert list(least) == [
        extra,
        records["pending"],
        records["bodies"],
        records["camp"],
    ]
    assert least[1:3] == [records["pending"], records["bodies"]]
    filtered = UsageOrder(queryset.filter(title__startswith="P"))
    assert filtered.count() == 1 and filtered[0:50] == [records["pending"]]


@pytest.mark.parametrize(
    "query", ["@geoconfirmed", '"', "x.com/geo", "a & b | !c", "'", ":*"]
)
def test_search_takes_any_text(login, searchable, query):
    """Characters that mean something to full-text query syntax are words."""
    response = login("editor").get(URL, {"q": query})
    assert response.status_code == 200
    if query == "@geoconfirmed":
        assert titles(response) == ["F"]


@pytest.fixture
def index_passes():
    """Counts the writes of Evidence index entries the search backend is asked
    for, by a single record (add) or in a batch (add_bulk)."""
    from unittest import mock

    from wagtail.search.backends import get_search_backend

    backend = type(get_search_backend())
    calls = []
    originals = {name: getattr(backend, name) for name in ("add", "add_bulk")}

    def spy(name):
        def record(self, *args):
            calls.append(name)
            return originals[name](self, *args)

        return record

    with (
        mock.patch.object(backend, "add", spy("add")),
        mock.patch.object(backend, "add_bulk", spy("add_bulk")),
    ):
        yield calls


def test_a_publish_from_the_admin_indexes_the_record_once_with_its_new_tags(
    login, searchable, index_passes
):
    """Wagtail's own post_save handler would index the row before its tags are
    written, then save() again: one pass is enough, and it sees the tags."""
    from tests.admin_forms import form_data

    client = login("verifier")
    record = searchable["place"]
    edit = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[record.pk])
    data = form_data(client.get(edit))
    data["tags"] = "Shusha road"
    data["action-publish"] = "action-publish"
    response = client.post(edit, data)
    assert response.status_code == 302, response.content[:500]
    assert index_passes == ["add_bulk"]
    assert titles(client.get(URL, {"q": "shusha"})) == ["B"]


def test_a_deleted_record_leaves_the_search(login, searchable):
    client = login("verifier")
    record = searchable["place"]
    assert titles(client.get(URL, {"q": "marjan"})) == ["B"]
    delete = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:delete", args=[record.pk]
    )
    assert client.post(delete).status_code == 302
    assert not Evidence.objects.filter(pk=record.pk).exists()
    assert titles(client.get(URL, {"q": "marjan"})) == []
    from wagtail.search.models import IndexEntry

    assert not IndexEntry.objects.filter(object_id=str(record.pk)).exists()


@pytest.mark.scale
def test_the_content_credentials_column_adds_no_query_per_record(login, monkeypatch):
    """Each record's original file carries credentials: the column reads them
    for the whole page in one query. Without that prefetch the count grows, so
    the first assertion can fail."""
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from wagtail.documents import get_document_model

    from wagtail_evidence.admin.views import register
    from wagtail_evidence.models import ContentCredentials

    def signed_record(number):
        document = get_document_model().objects.create(
            title=f"capture-{number}.jpg",
            file=ContentFile(b"not a picture", name=f"capture-{number}.jpg"),
        )
        evidence = make_evidence(title=f"Signed {number:03d}", original_file=document)
        # What a reading of a signed file stores (tests/test_content_credentials.py
        # reads real ones); written here so this test needs no c2pa.
        ContentCredentials.objects.filter(evidence=evidence).delete()
        ContentCredentials.objects.create(
            evidence=evidence,
            file="original_file",
            document=document,
            file_version=document.file.name,
            state="valid",
            signer_name="Desk capture",
            read_at=timezone.now(),
        )

    shown = "Original file: signed by <bdi>Desk capture</bdi>"

    def query_counts(client):
        counts = []
        for total in (3, 30):
            while Evidence.objects.count() < total:
                signed_record(Evidence.objects.count())
            client.get(URL)  # warm
            with CaptureQueriesContext(connection) as queries:
                page = client.get(URL).content.decode()
            assert page.count(shown) == total
            counts.append(len(queries))
        return counts

    client = login("editor")
    flat = query_counts(client)
    assert flat[0] == flat[1], flat

    Evidence.objects.all().delete()
    monkeypatch.setattr(register, "credentials_prefetch", lambda: "appearances")
    grown = query_counts(client)
    assert grown[0] < grown[1], grown


def test_search_past_the_ids_it_reads_first_goes_on_as_a_subquery(
    login, searchable, monkeypatch
):
    """Beyond SEARCH_IDS matches the register filters on the matching query
    itself: the same records, in the same order."""
    from wagtail_evidence.admin.views import register

    make_evidence(title="Convoy at dawn")
    client = login("editor")
    expected = ["Convoy at dawn", "Convoy near Horadiz"]
    assert titles(client.get(URL, {"q": "convoy"})) == expected
    monkeypatch.setattr(register, "SEARCH_IDS", 1)
    assert not isinstance(register.matching_records("convoy"), list)
    assert titles(client.get(URL, {"q": "convoy"})) == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Wagtail's PostgreSQL search backend"
)
@pytest.mark.parametrize(
    "query", ["horadiz", "Convoy Hora", "marj", "lachin", "qasim", "geoconfirmed"]
)
def test_postgresql_search_reads_its_matches_from_the_index_entries_alone(
    searchable, query
):
    """The backend's own queryset joins every record to its entry, by the
    record's id as text, which PostgreSQL does by casting every record's id
    once matches are many; the register reads the same matches from the
    entries' GIN index without touching the records."""
    from wagtail.search.backends import get_search_backend

    from wagtail_evidence.admin.views.register import matching_records

    backend = get_search_backend().autocomplete(
        query, Evidence.objects.all(), order_by_relevance=False
    )
    with CaptureQueriesContext(connection) as queries:
        found = matching_records(query)
    assert sorted(found) == sorted(record.pk for record in backend) != []
    assert len(queries) == 1
    assert Evidence._meta.db_table not in queries[0]["sql"]


@pytest.mark.scale
def test_a_page_in_order_of_use_across_cited_and_uncited_records_reads_them_once(
    login,
):
    """The page's ids come from each part it spans, its records (and their
    prefetched credits) from one read: one query more than a page of cited
    records alone, however many prefetches the register has."""
    cited = [make_evidence(title=f"Cited {number}") for number in range(2)]
    make_article([evidence_block(record) for record in cited], title="Cites")
    client = login("editor")

    def queries_for_a_page():
        client.get(URL, {"ordering": "-usage_count"})  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"ordering": "-usage_count"})
        assert response.status_code == 200
        return len(queries), titles(response)

    cited_only, listed = queries_for_a_page()
    assert listed == ["Cited 0", "Cited 1"]
    make_evidence(title="Uncited")
    across, listed = queries_for_a_page()
    assert listed == ["Cited 0", "Cited 1", "Uncited"]
    assert across <= cited_only + 1, (cited_only, across)


def test_the_badge_index_holds_its_inputs_where_the_database_can():
    """On PostgreSQL the badge index carries the verdict and the facet statuses
    (INCLUDE), so a badge's records are counted from it alone; SQLite cannot,
    and gets the plain index without Django's warning models.W040, which every
    migrate of a SQLite site would print."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                ["evidence_badge_title_idx"],
            )
            (definition,) = cursor.fetchone()
            assert definition.endswith(
                "INCLUDE (verdict, location_status, date_status, identity_status,"
                " authenticity_status)"
            )
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s",
                ["evidence_badge_title_idx"],
            )
            (definition,) = cursor.fetchone()
            assert "INCLUDE" not in definition.upper()
    warnings = run_checks(databases=["default"])
    assert [message.id for message in warnings if message.id == "models.W040"] == []
