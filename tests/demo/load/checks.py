"""The figures of a load run, and the checks that no edit was lost, that no
reader saw a verdict older than the last one published, and that no task failed."""

import math
import os
import platform
from collections import Counter

from tests.demo.load.actors import MARK, VERDICT_NOTE, badges_in, marks_in


PURGE_TASK = "wagtail_evidence.purge.purge_pages"
THROUGHPUT_GOAL = (
    0.8  # the evidence article's reader throughput, at least this x the plain one's
)


def percentile(values, rank):
    """Nearest-rank percentile of seconds, in milliseconds (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    return 1000 * ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def latency(values):
    return {
        "count": len(values),
        **{f"p{rank}_ms": percentile(values, rank) for rank in (50, 90, 99)},
        "max_ms": 1000 * max(values) if values else None,
    }


def latency_line(label, figures):
    if not figures["count"]:
        return f"  {label:<10} none"
    cells = "  ".join(
        f"{name} {figures[key]:8.1f}"
        for name, key in (
            ("p50", "p50_ms"),
            ("p90", "p90_ms"),
            ("p99", "p99_ms"),
            ("max", "max_ms"),
        )
    )
    return f"  {label:<10} n={figures['count']:<6} ms  {cells}"


def publishes(edits):
    """(acknowledged at, pk, number) of every publish, in order."""
    return sorted(
        (published_at, pk, number)
        for pk, number, _s, _ps, published_at in edits
        if published_at is not None
    )


def reader_consistency(samples, edits):
    """Readers whose page missed a publish acknowledged before their request
    started (stale), or showed a draft (saved, not yet being published, during
    the whole request)."""
    stale, drafts = [], []
    events = publishes(edits)
    known, upto = {}, 0
    for start, seconds, status, marks, *_badges in sorted(
        samples, key=lambda sample: sample[0]
    ):
        if status != 200:
            continue
        while upto < len(events) and events[upto][0] < start:
            known[events[upto][1]] = events[upto][2]
            upto += 1
        for pk, number in known.items():
            if marks.get(pk, 0) < number:
                stale.append(
                    f"read at +{start:.3f}: #{pk} showed edit {marks.get(pk)}, edit {number} was published"
                )
        for pk, number, saved_at, publish_started, _published_at in edits:
            if (
                saved_at is not None
                and publish_started is not None
                and saved_at < start
                and start + seconds < publish_started
            ):
                if marks.get(pk, 0) >= number:
                    drafts.append(
                        f"#{pk}: draft {number} shown to a reader before it was published"
                    )
    return stale, drafts


def stored_edits(pks, edits):
    """Every acknowledged save and publish is a revision with its number, and the
    live record holds the last published value."""
    from wagtail_evidence.models import Evidence

    problems, revision_count = [], 0
    last = {pk: number for _at, pk, number in publishes(edits)}
    for pk in pks:
        evidence = Evidence.objects.get(pk=pk)
        numbers = Counter()
        for revision in evidence.revisions.all():
            revision_count += 1
            match = MARK.search(revision.content.get("description") or "")
            if match:
                numbers[int(match.group(2))] += 1
        for edit_pk, number, saved_at, _ps, published_at in edits:
            expected = (saved_at is not None) + (published_at is not None)
            if edit_pk == pk and numbers[number] < expected:
                problems.append(
                    f"#{pk}: edit {number} is in {numbers[number]} revisions, expected {expected}"
                )
        if pk in last:
            match = MARK.search(evidence.description)
            live = int(match.group(2)) if match else None
            if not evidence.live or live != last[pk]:
                problems.append(
                    f"#{pk}: the live record holds edit {live}, the last publish was {last[pk]}"
                )
            if evidence.latest_revision_id != evidence.live_revision_id:
                problems.append(f"#{pk}: the latest revision is not the live one")
    return problems, revision_count


def page_after(responses, edits):
    """The reader page after the run shows each record's last publish, whichever
    worker (and so whichever render cache) serves it."""
    last = {pk: number for _at, pk, number in publishes(edits)}
    wrong = []
    for response in responses:
        if isinstance(response, str):
            wrong.append(response)
        elif response.status != 200:
            wrong.append(f"HTTP {response.status}")
        else:
            marks = marks_in(response.body)
            if any(marks.get(pk) != number for pk, number in last.items()):
                wrong.append(f"edits shown {marks}")
    if not wrong:
        return []
    return [
        f"page after the run: {len(wrong)} of {len(responses)} fetches miss the last publish {last}: {wrong[0]}"
    ]


def badge_consistency(samples, changes):
    """Reads that showed a record's badge from before the last verdict change
    whose publish had returned when the read was sent (stale), or no badge for
    the record at all. A read may show the badge of a change whose publish began
    before the read ended: that one may have committed first."""
    stale = []
    history = {}
    for change in sorted(changes, key=lambda change: change[1]):
        history.setdefault(change[0], []).append(change)
    for start, seconds, status, _marks, badges in samples:
        if status != 200:
            continue
        for pk, record_changes in history.items():
            acknowledged = [
                change
                for change in record_changes
                if change[5] is not None and change[5] < start
            ]
            if not acknowledged:
                continue
            _pk, number, verdict, badge, _started, _published = acknowledged[-1]
            allowed = {badge} | {
                later[3]
                for later in record_changes
                if later[1] > number
                and later[4] is not None
                and later[4] < start + seconds
            }
            shown = badges.get(pk, set())
            if not shown or shown - allowed:
                stale.append(
                    f"read at +{start:.3f}: #{pk} showed {sorted(shown) or 'no badge'},"
                    f" verdict change {number} ({verdict}: {badge}) was published"
                )
    return stale


def reads_checked(samples, changes):
    """The readers' successful reads sent after a verdict change had returned."""
    acknowledged = [change[5] for change in changes if change[5] is not None]
    if not acknowledged:
        return 0
    return sum(
        1 for sample in samples if sample[2] == 200 and sample[0] > min(acknowledged)
    )


def last_verdicts(changes):
    """{pk: (number, verdict, badge)} of each record's last acknowledged change."""
    return {
        pk: (number, verdict, badge)
        for pk, number, verdict, badge, _started, published_at in sorted(
            changes, key=lambda change: change[5] or 0
        )
        if published_at is not None
    }


def stored_verdicts(changes):
    """Every acknowledged verdict change is a revision with its number and
    verdict, and the live record holds the last one."""
    from wagtail_evidence.models import Evidence

    problems = []
    last = last_verdicts(changes)
    for pk in sorted({change[0] for change in changes}):
        evidence = Evidence.objects.get(pk=pk)
        stored = {}
        for revision in evidence.revisions.all():
            match = VERDICT_NOTE.search(revision.content.get("verdict_note") or "")
            if match and int(match.group(1)) == pk:
                stored[int(match.group(2))] = revision.content.get("verdict")
        for change_pk, number, verdict, _badge, _started, published_at in changes:
            if (
                change_pk == pk
                and published_at is not None
                and stored.get(number) != verdict
            ):
                problems.append(
                    f"#{pk}: verdict change {number} ({verdict}) is in no revision"
                )
        if pk in last:
            number, verdict, _badge = last[pk]
            match = VERDICT_NOTE.search(evidence.verdict_note)
            live = int(match.group(2)) if match else None
            if not evidence.live or evidence.verdict != verdict or live != number:
                problems.append(
                    f"#{pk}: the live record holds verdict {evidence.verdict!r} of change"
                    f" {live}, the last publish was change {number} ({verdict})"
                )
            if evidence.latest_revision_id != evidence.live_revision_id:
                problems.append(f"#{pk}: the latest revision is not the live one")
    return problems


def badges_after(responses, changes):
    """The reader page after the run shows each record's last published badge."""
    last = last_verdicts(changes)
    wrong = [
        response
        if isinstance(response, str)
        else f"badges shown {badges_in(response.body)}"
        for response in responses
        if isinstance(response, str)
        or response.status != 200
        or any(
            badges_in(response.body).get(pk) != {badge}
            for pk, (_n, _v, badge) in last.items()
        )
    ]
    if not wrong:
        return []
    return [
        f"page after the run: {len(wrong)} of {len(responses)} fetches miss the last verdict: {wrong[0]}"
    ]


def task_problems(tasks, changes):
    """Failed tasks, and verdicts published with no purge run by the worker."""
    problems = [
        f"{count} {name} tasks failed on the worker"
        for name, count in sorted(tasks["failed"].items())
    ]
    if any(change[5] is not None for change in changes) and not tasks["ran"].get(
        PURGE_TASK
    ):
        problems.append(
            "the desk published verdicts, but the worker ran no purge of the articles citing the record"
        )
    return problems


def comparison(evidence_rps, plain_rps):
    """The evidence article's reader throughput as a ratio of the plain one's."""
    ratio = evidence_rps / plain_rps if plain_rps else None
    return {
        "ratio": None if ratio is None else round(ratio, 2),
        "goal": THROUGHPUT_GOAL,
        "met": ratio is not None and ratio >= THROUGHPUT_GOAL,
    }


def machine_lines(machine):
    client_cpu = machine["client_cpu_s"]
    lines = [
        f"machine: {machine['cpus']} CPU cores, shared by gunicorn, PostgreSQL, Redis, the RQ worker"
        f" and the load client (Python {machine['python']})"
    ]
    if machine.get("load_average_before") is not None:
        lines[0] += (
            f"; load average {machine['load_average_before']:.1f} when the run began"
        )
    if "cpu_s" in machine:
        ours = sum(
            machine[f"{role}_cpu_s"]
            for role in ("server", "worker", "database", "redis")
        )
        other = machine["busy_cpu_s"] - ours - client_cpu
        lines.append(
            f"  CPU during the run: {100 * machine['busy_cpu_s'] / machine['cpu_s']:.0f}% busy,"
            f" {machine['busy_cpu_s']:.0f} of {machine['cpu_s']:.0f} core-seconds: gunicorn {machine['server_cpu_s']:.1f},"
            f" RQ worker {machine['worker_cpu_s']:.1f}, PostgreSQL {machine['database_cpu_s']:.1f},"
            f" Redis {machine['redis_cpu_s']:.1f}, load client {client_cpu:.1f},"
            f" other processes on the machine {max(other, 0):.1f}"
        )
    return lines


def reader_figures(path, samples, readers):
    """One article's reads, by every reader process."""
    elapsed = max(side["elapsed"] for side in readers)
    errors = Counter(str(sample[2]) for sample in samples if sample[2] != 200)
    busy = sum(sample[1] for sample in samples)
    return {
        "path": path,
        "elapsed_s": round(elapsed, 3),
        "requests": len(samples),
        "errors": sum(errors.values()),
        "errors_by_kind": dict(errors),
        "throughput_rps": round(len(samples) / elapsed, 1),
        # Pages a second one reader gets, asking for this article again as
        # soon as it has the last one: what the comparison compares.
        "per_reader_rps": round(len(samples) / busy, 3) if busy else None,
        "latency": latency([sample[1] for sample in samples if sample[2] == 200]),
    }


def report(args, run):
    """The figures (for --json), the text report, and whether the run passed.

    ``run``: the load's outcome (readers of each article, editor, desk,
    machine), the records edited, the page fetched after the run, the worker's
    tasks, the fake CDN's purges, the servers' environment and logged errors."""
    outcome = run["outcome"]
    reader_sides = [outcome[name] for name in outcome if name.startswith("readers:")]
    samples = {
        article: [sample for side in reader_sides for sample in side["samples"][path]]
        for article, path in run["paths"].items()
    }
    editor, desk = outcome["editor"], outcome["desk"]
    edits, changes = editor["edits"], desk["changes"]
    stale, drafts = reader_consistency(samples["evidence"], edits)
    stale += badge_consistency(samples["evidence"], changes)
    lost, revisions = stored_edits(run["pks"], edits)
    lost += page_after(run["after"], edits)
    lost += stored_verdicts(changes)
    lost += badges_after(run["after"], changes)
    tasks = run["tasks"]
    figures = {
        "duration_s": args.duration,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            **{
                key: round(value, 2)
                for key, value in outcome["machine"].items()
                if value is not None
            },
            "client_cpu_s": round(
                sum(side["cpu"] for side in (*reader_sides, editor, desk)), 2
            ),
        },
        "servers": {
            **run["environment"],
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": "gthread",
        },
        "reader_clients": sum(side["clients"] for side in reader_sides),
        "connections_opened": sum(side["connections"] for side in reader_sides),
        "readers": reader_figures(
            run["paths"]["evidence"], samples["evidence"], reader_sides
        ),
        "plain_readers": reader_figures(
            run["paths"]["plain"], samples["plain"], reader_sides
        ),
        "pages": run["pages"],
        "editor": {
            "user": args.editor,
            "elapsed_s": round(editor["elapsed"], 3),
            "edits": len(edits),
            "saved": sum(1 for edit in edits if edit[2] is not None),
            "published": sum(1 for edit in edits if edit[4] is not None),
            "errors": len(editor["errors"]),
            "save": latency(editor["timings"]["save"]),
            "publish": latency(editor["timings"]["publish"]),
            "edit_form": latency(editor["timings"]["form"]),
        },
        "desk": {
            "user": run["desk_user"],
            "record": run["desk_pk"],
            "elapsed_s": round(desk["elapsed"], 3),
            "changes": len(changes),
            "published": sum(1 for change in changes if change[5] is not None),
            "errors": len(desk["errors"]),
            "publish": latency(desk["timings"]["publish"]),
            "edit_form": latency(desk["timings"]["form"]),
        },
        "tasks": {
            "ran": sum(tasks["ran"].values()),
            "ran_by_task": tasks["ran"],
            "failed": sum(tasks["failed"].values()),
            "failed_by_task": tasks["failed"],
            "cdn_purge_requests": run["cdn_purges"],
        },
        "render_cache_keys": run["render_cache_keys"],
        "checks": {
            "records_edited": len({edit[0] for edit in edits}),
            "revisions_read": revisions,
            "lost_edit_problems": len(lost),
            "stale_reads": len(stale),
            "reads_checked": reads_checked(samples["evidence"], changes),
            "drafts_shown": len(drafts),
            "page_fetches_after": len(run["after"]),
            "server_log_errors": len(run["server_errors"]),
        },
    }
    figures["comparison"] = comparison(
        figures["readers"]["per_reader_rps"], figures["plain_readers"]["per_reader_rps"]
    )
    problems = editor["errors"] + desk["errors"] + lost + drafts + stale
    problems += task_problems(tasks, changes)
    if not run["render_cache_keys"]:
        problems.append(
            "the render cache kept nothing in Redis: the processes shared no cache"
        )
    if not figures["checks"]["reads_checked"]:
        problems.append(
            "no reader request was sent after a verdict change returned: the stale-read check checked nothing"
        )
    if run["server_errors"]:
        problems.append(
            f"the servers and the worker logged {len(run['server_errors'])} error lines,"
            f" the first: {run['server_errors'][0]}"
        )
    reader_errors = figures["readers"]["errors"] + figures["plain_readers"]["errors"]
    passed = not (reader_errors or problems)
    return {
        "text": render(figures, problems, passed),
        "figures": figures,
        "passed": passed,
    }


def reader_lines(label, r):
    return [
        f"{label} GET {r['path']}",
        f"  requests {r['requests']}  errors {r['errors']}{' ' + str(r['errors_by_kind']) if r['errors'] else ''}"
        f"  throughput {r['throughput_rps']} req/s, {r['per_reader_rps']} pages/s a reader",
        latency_line("page", r["latency"]),
    ]


def render(figures, problems, passed):
    m, s, r, p, e, d, t, c, x = (
        figures[key]
        for key in (
            "machine", "servers", "readers", "plain_readers", "editor", "desk", "tasks", "checks", "comparison",
        )
    )  # fmt: skip
    size = figures["pages"]
    places = size["desk_record_badges"]
    lines = [
        f"wagtail-evidence load test: {figures['duration_s']:g} s, {figures['reader_clients']} readers,"
        f" 1 editor ({e['user']}), the desk ({d['user']})",
        f"servers: 2 gunicorn {s['gunicorn']} processes, {s['workers']} workers x {s['threads']} threads (gthread) each, DEBUG off:"
        f" readers on {s['readers_bind']}, editor and desk on {s['editors_bind']}",
        f"cache: Django's RedisCache (Redis {s['redis']}, database {s['redis_database']}), shared by both,"
        f" {figures['render_cache_keys']} rendered blocks in it at the end; tasks: django-tasks-rq on an RQ worker (rq {s['rq']})",
        f"database: PostgreSQL {s['postgresql']} on 127.0.0.1, a fresh database",
        *machine_lines(m),
        "",
        f"readers   {figures['reader_clients']} clients, keep-alive HTTP/1.1 ({figures['connections_opened']} connections opened),"
        f" each asking for the two articles in turn for {r['elapsed_s']:.1f} s",
        *reader_lines("  evidence", r),
        *reader_lines("  plain   ", p),
        f"  the plain article: the same text without evidence blocks, {size['plain_text_chars']} characters in"
        f" {size['plain_bytes']} bytes (the evidence article: {size['evidence_text_chars']} in {size['evidence_bytes']})",
        f"  reader throughput on the evidence article {x['ratio']}x the plain one's (goal >= {x['goal']}x):"
        f" {'met' if x['met'] else 'NOT met'}",
        "",
        f"editor    {e['edits']} edits in {e['elapsed_s']:.1f} s ({60 * e['edits'] / e['elapsed_s']:.1f} a minute):"
        f" {e['saved']} drafts saved, {e['published']} published, errors {e['errors']}",
        latency_line("save", e["save"]),
        latency_line("publish", e["publish"]),
        latency_line("edit form", e["edit_form"]),
        f"desk      {d['changes']} verdict changes of #{d['record']} in {d['elapsed_s']:.1f} s:"
        f" {d['published']} published, errors {d['errors']}; readers check its badge in"
        f" {places['blocks']} evidence blocks and {places['claims']} claims, {c['reads_checked']} reads",
        latency_line("publish", d["publish"]),
        latency_line("edit form", d["edit_form"]),
        f"tasks     {t['ran']} run on the RQ worker, {t['failed']} failed;"
        f" {t['cdn_purge_requests']} purge requests reached the fake CDN",
        *(f"  {count:>6} {name}" for name, count in sorted(t["ran_by_task"].items())),
        "",
        f"checks    {c['records_edited']} records edited, {c['revisions_read']} revisions read,"
        f" {c['page_fetches_after']} page fetches after the run",
        f"  lost edits {c['lost_edit_problems']}  stale reads {c['stale_reads']}  drafts shown to readers {c['drafts_shown']}"
        f"  server log errors {c['server_log_errors']}",
        *(f"  ! {problem}" for problem in problems[:20]),
        f"RESULT: {'PASS' if passed else 'FAIL'}",
    ]
    return "\n".join(lines)
