"""The sides of the load: readers fetching an article, an editor in the admin,
and the verification desk changing a record's verdict in the admin.

Each side runs in a process of its own (started by run.py), so the editor's form
parsing never holds up the readers' clocks. Times are ``time.monotonic()``,
which on Linux is one clock for every process, so run.py can line up a reader's
request with the editor's and the desk's publishes.
"""

import re
import resource
import threading
import time

from tests.demo.load.client import Client


# Appended to a record's description by the editor; readers look for it.
MARK = re.compile(r" ?\[load-edit (\d+)/(\d+)\]")
MARK_BYTES = re.compile(rb"\[load-edit (\d+)/(\d+)\]")


def marked(text, pk, number):
    return f"{MARK.sub('', text).rstrip()} [load-edit {pk}/{number}]"


# The badge of each record the page shows: its evidence block's, and the pill
# beside its name in the claims that cite it.
BLOCK_BADGE = re.compile(
    rb'<section class="evidence evidence--([\w-]+)[^"]*" id="evidence-(\d+)[-"]'
)
CLAIM_BADGE = re.compile(
    rb'<a href="#evidence-(\d+)">(?:(?!</li>).)*?'
    rb'<span class="evidence-badge__pill evidence-badge__pill--([\w-]+)"',
    re.DOTALL,
)


def badges_in(body):
    """{record pk: every badge the page shows for it}."""
    found = {}
    for badge, pk in BLOCK_BADGE.findall(body):
        found.setdefault(int(pk), set()).add(badge.decode())
    for pk, badge in CLAIM_BADGE.findall(body):
        found.setdefault(int(pk), set()).add(badge.decode())
    return found


def marks_in(body):
    """{record pk: the oldest edit number the page shows for it}."""
    found = {}
    for pk, number in MARK_BYTES.findall(body):
        pk, number = int(pk), int(number)
        found[pk] = min(number, found.get(pk, number))
    return found


# Readers


def cpu_seconds():
    """CPU time this process (all its threads) has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def read(client, path):
    """One page view: (start, seconds, status or error name, marks, badges)."""
    start = time.monotonic()
    try:
        response = client.get(path)
    except Exception as error:  # any failure to get a page counts as an error
        return start, time.monotonic() - start, type(error).__name__, {}, {}
    seconds = time.monotonic() - start
    if response.status != 200:
        return start, seconds, response.status, {}, {}
    return start, seconds, 200, marks_in(response.body), badges_in(response.body)


def run_readers(name, host, port, paths, clients, duration, ready, go, results):
    """``clients`` readers, each on one connection, asking for ``paths`` in
    turn (the first reader starting with the first path, the second with the
    second...), so that every article is read on the same connections, by
    the same server workers, at the same moments."""
    samples = {path: [[] for _ in range(clients)] for path in paths}
    opened = [0] * clients
    ready.put(name)
    go.wait()
    started, cpu = time.monotonic(), cpu_seconds()
    deadline = started + duration

    def reader(index):
        client = Client(host, port)
        turn = index
        while time.monotonic() < deadline:
            path = paths[turn % len(paths)]
            samples[path][index].append(read(client, path))
            turn += 1
        opened[index] = client.connections_opened
        client.close()

    threads = [
        threading.Thread(target=reader, args=(index,)) for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(
        (
            name,
            {
                "clients": clients,
                "samples": {
                    path: [sample for per_client in by_client for sample in per_client]
                    for path, by_client in samples.items()
                },
                "connections": sum(opened),
                "elapsed": time.monotonic() - started,
                "cpu": cpu_seconds() - cpu,
            },
        )
    )


# The editor


def edit_url(pk):
    return f"/admin/snippets/wagtail_evidence/evidence/edit/{pk}/"


def form_fields(html, form_id):
    """What the browser would submit: every field of the form, repeated names kept,
    the CSRF token included, and the inline formsets' row templates left out
    (as tests/admin_forms.form_data does)."""
    from wagtail.test.utils.form_data import querydict_from_html

    data = querydict_from_html(html, form_id=form_id, exclude_csrf=False)
    return [(key, values) for key, values in data.lists() if "__prefix__" not in key]


def field(fields, name):
    for key, values in fields:
        if key == name:
            return values[-1]
    return None


def replace(fields, name, value):
    return [(key, [value] if key == name else values) for key, values in fields]


FORM_ERROR = re.compile(
    r'class="[^"]*error-message[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)'
)


class Editor:
    """A member of the desk in the Wagtail admin, through its HTML forms only."""

    def __init__(self, host, port):
        self.client = Client(host, port)
        self.timings = {"save": [], "publish": [], "form": []}
        self.errors = []
        self.edits = []  # (pk, number, saved at, publish started, published at); None: not done

    def log_in(self, username, password):
        page = self.client.get("/admin/login/")
        fields = form_fields(page.text, None)  # the page's only form
        fields = replace(replace(fields, "username", username), "password", password)
        response = self.client.post("/admin/login/", fields)
        if response.status != 302 or "/login/" in response.location:
            raise RuntimeError(
                f"could not log in as {username}: HTTP {response.status}"
            )

    def open_form(self, pk):
        start = time.monotonic()
        response = self.client.get(edit_url(pk))
        self.timings["form"].append(time.monotonic() - start)
        if response.status != 200:
            raise EditFailed(f"edit form of #{pk}: HTTP {response.status}")
        return form_fields(response.text, "w-editor-form")

    def submit(self, kind, pk, fields):
        start = time.monotonic()
        response = self.client.post(edit_url(pk), fields)
        finished = time.monotonic()
        self.timings[kind].append(finished - start)
        if response.status == 302 and "/login/" not in response.location:
            return finished
        if response.status == 200:
            problems = [
                message.strip() for message in FORM_ERROR.findall(response.text)
            ] or ["form redisplayed"]
            raise EditFailed(f"{kind} of #{pk}: form error: {'; '.join(problems[:3])}")
        raise EditFailed(
            f"{kind} of #{pk}: HTTP {response.status} {response.location}".rstrip()
        )

    def attempt(self, what, steps, times):
        """Run ``steps`` (which fills ``times`` as it goes), keeping a failure
        as one of this actor's errors, named ``what``, rather than raising."""
        try:
            steps()
        except EditFailed as error:
            self.errors.append(str(error))
        except Exception as error:  # a dropped connection or a timeout
            self.errors.append(f"{what}: {type(error).__name__}: {error}")
        return times

    def publish(self, pk, fields, times):
        times["publish started"] = time.monotonic()
        times["published"] = self.submit(
            "publish", pk, [*fields, ("action-publish", ["action-publish"])]
        )

    def edit(self, pk, number):
        """Change the description to a numbered value, save a draft, then publish it."""
        times = dict.fromkeys(("saved", "publish started", "published"))

        def steps():
            fields = self.open_form(pk)
            value = marked(field(fields, "description") or "", pk, number)
            times["saved"] = self.submit(
                "save", pk, replace(fields, "description", value)
            )
            fields = self.open_form(pk)  # where the save's redirect leads
            if field(fields, "description") != value:
                raise EditFailed(f"#{pk}: the edit form does not show draft {number}")
            self.publish(pk, fields, times)

        self.attempt(f"edit {number} of #{pk}", steps, times)
        self.edits.append((pk, number, *times.values()))


class EditFailed(Exception):
    pass


# The desk


VERDICT_NOTE = re.compile(r"\[load-verdict (\d+)/(\d+)\]")


def verdict_note(pk, number):
    return f"[load-verdict {pk}/{number}]"


class Desk(Editor):
    """A member of the verification desk who changes a record's verdict and
    publishes it at once, through the record's edit form."""

    def __init__(self, host, port):
        super().__init__(host, port)
        self.timings = {"publish": [], "form": []}
        self.changes = []  # (pk, number, verdict, badge, publish started, published at)

    def change_verdict(self, pk, number, verdict, badge):
        """Publish ``verdict`` (which shows readers ``badge``), numbered in the
        verdict's note so that the record's revisions tell each change apart."""
        times = dict.fromkeys(("publish started", "published"))

        def steps():
            fields = self.open_form(pk)
            if field(fields, "verdict") is None:
                raise EditFailed(f"#{pk}: the edit form has no verdict field")
            fields = replace(fields, "verdict", verdict)
            fields = replace(fields, "verdict_note", verdict_note(pk, number))
            self.publish(pk, fields, times)

        self.attempt(f"verdict change {number} of #{pk}", steps, times)
        self.changes.append((pk, number, verdict, badge, *times.values()))


# Each admin side in its process


def run_in_admin(name, actor_class, host, port, username, password, act, report):
    """Log ``actor_class`` in, then call ``act(actor, number)`` with 1, 2, 3...
    until the time is up, pausing between calls; ``report(actor)`` gives what
    the side found, besides its timings, errors and clocks."""

    def run(duration, pause, ready, go, results):
        import django

        try:
            django.setup()  # Wagtail's form reader (as the tests use) needs the settings
            actor = actor_class(host, port)
            actor.log_in(username, password)
        except Exception as error:
            ready.put(f"{name} failed to start: {type(error).__name__}: {error}")
            return
        ready.put(name)
        go.wait()
        started, cpu = time.monotonic(), cpu_seconds()
        deadline = started + duration
        number = 0
        while time.monotonic() < deadline:
            number += 1
            act(actor, number)
            time.sleep(pause)
        actor.client.close()
        results.put(
            (
                name,
                {
                    "timings": actor.timings,
                    "errors": actor.errors,
                    **report(actor),
                    "elapsed": time.monotonic() - started,
                    "cpu": cpu_seconds() - cpu,
                },
            )
        )

    return run


def run_editor(host, port, username, password, pks, *timing):
    """Edit and publish the records ``pks`` in turn until the time is up."""
    run = run_in_admin(
        "editor",
        Editor,
        host,
        port,
        username,
        password,
        act=lambda editor, number: editor.edit(pks[(number - 1) % len(pks)], number),
        report=lambda editor: {"edits": editor.edits},
    )
    run(*timing)


def run_desk(host, port, username, password, pk, cycle, *timing):
    """Publish the verdicts of ``cycle`` ((verdict, badge) pairs) in turn on
    record ``pk`` until the time is up."""

    def act(desk, number):
        desk.change_verdict(pk, number, *cycle[(number - 1) % len(cycle)])

    run = run_in_admin(
        "desk",
        Desk,
        host,
        port,
        username,
        password,
        act=act,
        report=lambda desk: {"changes": desk.changes},
    )
    run(*timing)
