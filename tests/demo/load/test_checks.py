"""The load test's own arithmetic and checks, on made-up runs (no server needed)."""

from tests.demo.load.actors import marked, marks_in
from tests.demo.load.checks import page_after, percentile, reader_consistency
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
