"""The load test's own arithmetic and checks, on made-up runs (no server needed)."""

from tests.demo.load.actors import badges_in, marked, marks_in
from tests.demo.load.checks import (
    PURGE_TASK,
    badge_consistency,
    badges_after,
    comparison,
    page_after,
    percentile,
    reader_consistency,
    reader_figures,
    task_problems,
)
from tests.demo.load.client import Response


def test_percentiles_are_nearest_rank_in_milliseconds():
    seconds = [index / 1000 for index in range(1, 101)]  # 1 ms .. 100 ms

    assert [percentile(seconds, rank) for rank in (50, 90, 99)] == [50, 90, 99]
    assert percentile([0.25], 99) == 250
    assert percentile([], 50) is None


def test_a_numbered_edit_replaces_the_previous_one_and_readers_find_it():
    first = marked("Trucks on a street.", 3, 7)
    second = marked(first, 3, 12)

    assert second == "Trucks on a street. [load-edit 3/12]"
    page = f"<p>{second}</p><img alt='{marked('Camp.', 5, 2)}'><p>{marked('Camp.', 5, 1)}</p>".encode()
    assert marks_in(page) == {3: 12, 5: 1}  # the oldest copy on the page counts


# (pk, number, saved at, publish started, published at)
EDITS = [(1, 1, 10.0, 10.5, 11.0), (2, 2, 12.0, 12.5, 13.0), (1, 3, 14.0, 14.5, 15.0)]


def test_reads_that_follow_every_publish_are_consistent():
    samples = [
        (9.0, 0.5, 200, {}),
        (11.5, 0.2, 200, {1: 1}),
        (14.2, 0.1, 200, {1: 1, 2: 2}),  # during edit 3's draft: still edit 1
        (15.5, 0.2, 200, {1: 3, 2: 2}),
        (16.0, 0.2, "ConnectionResetError", {}),  # an error, counted elsewhere
    ]

    assert reader_consistency(samples, EDITS) == ([], [])


def test_a_read_that_misses_an_acknowledged_publish_is_stale():
    stale, drafts = reader_consistency([(15.5, 0.2, 200, {1: 1, 2: 2})], EDITS)

    assert len(stale) == 1 and "#1 showed edit 1, edit 3 was published" in stale[0]
    assert drafts == []


def test_a_draft_that_reaches_a_reader_before_its_publish_is_caught():
    stale, drafts = reader_consistency([(14.1, 0.2, 200, {1: 3, 2: 2})], EDITS)

    assert stale == []
    assert drafts == ["#1: draft 3 shown to a reader before it was published"]


def test_the_page_after_the_run_must_show_every_last_publish():
    fresh = Response(200, {}, f"{marked('a', 1, 3)} {marked('b', 2, 2)}".encode())
    stale = Response(200, {}, f"{marked('a', 1, 1)} {marked('b', 2, 2)}".encode())

    assert page_after([fresh, fresh], EDITS) == []
    problems = page_after([fresh, stale, "ConnectionRefusedError: refused"], EDITS)
    assert len(problems) == 1 and "2 of 3 fetches" in problems[0]


def page(block_badge, pill_badge, pk=7):
    """An article as the templates write it: the record's evidence block, and a
    claim citing it (blocks/evidence.html, blocks/claim.html)."""
    return (
        f'<section class="evidence evidence--{block_badge} evidence--warned" id="evidence-{pk}"'
        f' aria-labelledby="evidence-{pk}-heading"><div class="evidence-badge evidence-badge--{block_badge}">'
        f"</div></section>"
        f'<section class="claim claim--claim"><ul><li><a href="#evidence-{pk}"><bdi>Convoy</bdi></a>'
        f' <span class="evidence-badge__pill evidence-badge__pill--{pill_badge}">X</span></li>'
        f'<li><bdi>Not cited here</bdi> <span class="evidence-badge__pill evidence-badge__pill--disputed">Y</span>'
        f"</li></ul></section>"
    ).encode()


def test_readers_find_each_records_badge_in_its_block_and_in_the_claims():
    assert badges_in(page("verified", "verified")) == {7: {"verified"}}
    assert badges_in(page("partially_verified", "unverified")) == {
        7: {"partially_verified", "unverified"}
    }
    assert badges_in(b"<p>No evidence here</p>") == {}


# (pk, number, verdict, badge, publish started, published at)
CHANGES = [
    (7, 1, "verified", "verified", 10.0, 11.0),
    (7, 2, "misleading", "false_or_misleading", 12.0, 13.0),
    (7, 3, "pending", "unverified", 14.0, 15.0),
    (7, 4, "verified", "verified", 16.0, 17.0),
]


def read(start, seconds, *badges):
    return (start, seconds, 200, {}, {7: set(badges)} if badges else {})


def test_reads_that_follow_every_verdict_published_are_not_stale():
    samples = [
        read(9.0, 0.5, "unverified"),  # before any change returned
        read(11.5, 0.2, "verified"),
        read(12.5, 0.2, "verified"),  # change 2 is being published
        read(12.5, 0.2, "false_or_misleading"),  # and may have committed already
        read(13.5, 0.2, "false_or_misleading"),
        read(14.5, 1.0, "unverified"),
        read(15.5, 1.0, "verified"),  # change 4 began before this read ended
        read(17.5, 0.1, "verified"),
        (16.0, 0.2, "ConnectionResetError", {}, {}),  # an error, counted elsewhere
    ]

    assert badge_consistency(samples, CHANGES) == []


def test_a_read_that_shows_the_badge_of_before_a_returned_publish_is_stale():
    stale = badge_consistency([read(13.5, 0.2, "verified")], CHANGES)

    assert len(stale) == 1
    assert (
        "#7 showed ['verified'], verdict change 2 (misleading: false_or_misleading)"
        in stale[0]
    )


def test_an_old_badge_that_a_later_change_brings_back_is_stale_until_that_change_begins():
    # Change 4 gives "verified" again, but began at 16.0, after this read ended.
    assert len(badge_consistency([read(15.5, 0.3, "verified")], CHANGES)) == 1


def test_a_stale_pill_in_a_claim_or_a_missing_badge_is_a_stale_read():
    stale = badge_consistency(
        [read(13.5, 0.2, "false_or_misleading", "verified"), read(13.6, 0.2)], CHANGES
    )

    assert len(stale) == 2
    assert "no badge" in stale[1]


def test_the_page_after_the_run_must_show_the_last_verdict_published():
    last = Response(200, {}, page("verified", "verified"))
    old = Response(200, {}, page("verified", "unverified"))

    assert badges_after([last, last], CHANGES) == []
    problems = badges_after([last, old, "ConnectionRefusedError: refused"], CHANGES)
    assert len(problems) == 1 and "2 of 3 fetches" in problems[0]


def test_a_failed_task_or_a_verdict_published_without_a_purge_on_the_worker_fails():
    purged = {"ran": {PURGE_TASK: 4}, "failed": {}}
    failed = {"ran": {PURGE_TASK: 3}, "failed": {PURGE_TASK: 1}}
    unpurged = {"ran": {"wagtail.tasks.update_reference_index_task": 4}, "failed": {}}

    assert task_problems(purged, CHANGES) == []
    assert task_problems(failed, CHANGES) == [
        f"1 {PURGE_TASK} tasks failed on the worker"
    ]
    assert len(task_problems(unpurged, CHANGES)) == 1
    assert task_problems(unpurged, []) == []  # nothing published, nothing to purge


def test_the_throughput_comparison_is_a_ratio_against_its_goal():
    assert comparison(90.0, 100.0) == {"ratio": 0.9, "goal": 0.8, "met": True}
    assert comparison(70.0, 100.0) == {"ratio": 0.7, "goal": 0.8, "met": False}
    assert comparison(70.0, 0) == {"ratio": None, "goal": 0.8, "met": False}


def test_an_articles_figures_say_how_many_pages_a_second_one_reader_gets():
    samples = [read(1.0, 0.5), read(1.5, 0.25), read(2.0, 0.25)]
    samples.append((3.0, 1.0, "TimeoutError", {}, {}))
    sides = [{"elapsed": 10.0}, {"elapsed": 12.0}]

    figures = reader_figures("/a/", samples, sides)

    assert figures["requests"] == 4 and figures["errors"] == 1
    assert figures["throughput_rps"] == round(4 / 12.0, 1)
    assert figures["per_reader_rps"] == 2.0  # 4 pages in 2 s of asking
    assert figures["latency"]["count"] == 3  # errors have no latency
