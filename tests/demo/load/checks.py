"""The figures of a load run, and the checks that no edit was lost."""

import math
import os
import platform
from collections import Counter

from tests.demo.load.actors import MARK, marks_in


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
    for start, seconds, status, marks in sorted(samples, key=lambda sample: sample[0]):
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


def machine_lines(machine):
    client_cpu = machine["reader_client_cpu_s"] + machine["editor_client_cpu_s"]
    lines = [
        f"machine: {machine['cpus']} CPU cores, shared by gunicorn, PostgreSQL and the load client (Python {machine['python']})"
    ]
    if machine.get("load_average_before") is not None:
        lines[0] += (
            f"; load average {machine['load_average_before']:.1f} when the run began"
        )
    if "cpu_s" in machine:
        other = (
            machine["busy_cpu_s"]
            - machine["server_cpu_s"]
            - machine["database_cpu_s"]
            - client_cpu
        )
        lines.append(
            f"  CPU during the run: {100 * machine['busy_cpu_s'] / machine['cpu_s']:.0f}% busy,"
            f" {machine['busy_cpu_s']:.0f} of {machine['cpu_s']:.0f} core-seconds: gunicorn {machine['server_cpu_s']:.1f},"
            f" PostgreSQL {machine['database_cpu_s']:.1f}, load client {client_cpu:.1f},"
            f" other processes on the machine {max(other, 0):.1f}"
        )
    return lines


def report(args, outcome, pks, after, environment, server_errors):
    """The figures (for --json), the text report, and whether the run passed."""
    readers, editor = outcome["readers"], outcome["editor"]
    samples, edits = readers["samples"], editor["edits"]
    reader_errors = Counter(
        str(status) for _start, _seconds, status, _marks in samples if status != 200
    )
    stale, drafts = reader_consistency(samples, edits)
    lost, revisions = stored_edits(pks, edits)
    lost += page_after(after, edits)
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
            "reader_client_cpu_s": round(readers["cpu"], 2),
            "editor_client_cpu_s": round(editor["cpu"], 2),
        },
        "server": {
            **environment,
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": "gthread",
        },
        "readers": {
            "clients": args.readers,
            "elapsed_s": round(readers["elapsed"], 3),
            "requests": len(samples),
            "errors": sum(reader_errors.values()),
            "errors_by_kind": dict(reader_errors),
            "connections_opened": readers["connections"],
            "throughput_rps": round(len(samples) / readers["elapsed"], 1),
            "latency": latency(
                [
                    seconds
                    for _start, seconds, status, _marks in samples
                    if status == 200
                ]
            ),
        },
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
        "checks": {
            "records_edited": len({edit[0] for edit in edits}),
            "revisions_read": revisions,
            "lost_edit_problems": len(lost),
            "stale_reads": len(stale),
            "drafts_shown": len(drafts),
            "page_fetches_after": len(after),
            "server_log_errors": len(server_errors),
        },
    }
    problems = editor["errors"] + lost + drafts + stale
    if server_errors:
        problems.append(
            f"the server logged {len(server_errors)} error lines, the first: {server_errors[0]}"
        )
    passed = not (reader_errors or problems)
    return {
        "text": render(figures, problems, passed),
        "figures": figures,
        "passed": passed,
    }


def render(figures, problems, passed):
    m, s, r, e, c = (
        figures[key] for key in ("machine", "server", "readers", "editor", "checks")
    )
    lines = [
        f"wagtail-evidence load test: {figures['duration_s']:g} s, {r['clients']} readers, 1 editor ({e['user']})",
        f"server: gunicorn {s['gunicorn']} on {s['bind']}, {s['workers']} workers x {s['threads']} threads (gthread), DEBUG off",
        f"database: PostgreSQL {s['postgresql']} on 127.0.0.1, a fresh database",
        *machine_lines(m),
        "",
        f"readers   GET /syrian-fighters-nagorno-karabakh/ (keep-alive HTTP/1.1) for {r['elapsed_s']:.1f} s",
        f"  requests {r['requests']}  errors {r['errors']}{' ' + str(r['errors_by_kind']) if r['errors'] else ''}"
        f"  throughput {r['throughput_rps']} req/s  connections opened {r['connections_opened']}",
        latency_line("page", r["latency"]),
        "",
        f"editor    {e['edits']} edits in {e['elapsed_s']:.1f} s ({60 * e['edits'] / e['elapsed_s']:.1f} a minute):"
        f" {e['saved']} drafts saved, {e['published']} published, errors {e['errors']}",
        latency_line("save", e["save"]),
        latency_line("publish", e["publish"]),
        latency_line("edit form", e["edit_form"]),
        "",
        f"checks    {c['records_edited']} records edited, {c['revisions_read']} revisions read,"
        f" {c['page_fetches_after']} page fetches after the run",
        f"  lost-edit problems {c['lost_edit_problems']}  stale reads {c['stale_reads']}  drafts shown to readers {c['drafts_shown']}"
        f"  server log errors {c['server_log_errors']}",
        *(f"  ! {problem}" for problem in problems[:20]),
        f"RESULT: {'PASS' if passed else 'FAIL'}",
    ]
    return "\n".join(lines)
