"""Every door the admin opens onto Evidence and articles, tried by everyone.

The doors are enumerated from Django's URL resolver: each URL name of the
Evidence snippet viewset, its chooser, the package's own admin URLs and the page
views Wagtail gives articles, plus the bulk actions and the APIs. Each door is
walked, with a GET and, where it changes something, a POST, by the editorial roles,
a logged-in user with no admin access, a user with admin access but no evidence
permission, and an anonymous visitor. Each cell is judged on the database:

- nobody outside the verification desk changes a facet status, the verdict or a
  verification credit of an existing record, by any door;
- no article goes live (or republishes) citing evidence readers may not see;
- a refused request changes nothing at all;
- no response shows a draft record to someone without an evidence permission.

Forms are fetched as the administrator and posted as the user, so a request
carries every field: the server, not the form, must refuse what is not allowed.
Each door is one test; its users each run in a savepoint rolled back after
them, so the world is built once per door. Run with ``-s`` for the table.
"""

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Revision,
    TaskState,
    Workflow,
    WorkflowContentType,
    WorkflowTask,
)

from tests.admin_forms import body_data, form_data
from tests.factories import (
    evidence_block,
    home_page,
    make_article,
    make_article_workflow,
    make_evidence,
)
from tests.test_permission_matrix import ALLOWED
from tests.testapp.models import ArticlePage, HomePage
from wagtail_evidence.blocks import stream_values
from wagtail_evidence.editorial.gate import problems_in
from wagtail_evidence.editorial.roles import (
    EDITORS,
    MODERATORS,
    VERIFICATION_DESK,
    setup_roles,
)
from wagtail_evidence.editorial.verification import (
    DESK_FIELDS,
    verification_credits,
)
from wagtail_evidence.models import Credit, Evidence, SourceCheck, SourceTask


# The world is built once for the module, in a transaction held open until its
# last test: under pytest-xdist the module's tests must run on one worker, in a
# row, or other modules' tests would run inside that transaction (noxfile.py
# runs pytest with --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("admin_doors")]

SNIPPETS = "wagtailsnippets_wagtail_evidence_evidence"
CHOOSER = "wagtailsnippetchoosers_wagtail_evidence_evidence"
PACKAGE = "wagtail_evidence"
PAGES = "wagtailadmin_pages"

USERS = [
    "anonymous",
    "nobody",
    "admin_access_only",
    "editor",
    "verifier",
    "moderator",
    "admin",
]
EVIDENCE_USERS = frozenset(
    ALLOWED["view draft evidence"]
)  # editor, verifier, moderator, admin
DESK = frozenset(ALLOWED["change the verdict"])  # verifier, admin
ADMIN_USERS = EVIDENCE_USERS | {"admin_access_only"}
PAGE_EDITORS = frozenset(
    {"editor", "moderator", "admin"}
)  # Wagtail's Editors and Moderators groups
PAGE_PUBLISHERS = frozenset({"moderator", "admin"})
NOBODY = frozenset()

# Each desk field as a new record has it, and as the attacks below set it.
DESK_DEFAULTS = {"verdict": "pending", "withhold_coordinates": False}
DESK_CHANGED = {"verdict": "misleading", "withhold_coordinates": True}
UNVERIFIED = (
    tuple(DESK_DEFAULTS.get(name, "unchecked") for name in DESK_FIELDS),
    (),
)

# What a draft record says; no response to a user without an evidence permission may.
DRAFT_MARKERS = ("Hidden draft QZX", "hidden-draft-marker", "Unpublished rewrite QZX")


# The world


def make_user(name, *permissions):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "x")
    for codename in permissions:
        app_label, codename = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def verification_credit(name="Desk Person"):
    return Credit(name=name, role="verification", organisation="The desk")


def live_record(users):
    """A live record whose two older revisions each differ from the current one
    in desk fields only: the verdict (rev_verdict), or a verification credit
    (rev_credit)."""
    record = make_evidence(
        title="Live record", verdict="verified", location_status="confirmed"
    )
    record.credits = [Credit(name="Obretix", role="geolocation"), verification_credit()]
    record.save()
    rev_verdict = record.save_revision()
    rev_verdict.publish()
    record = Evidence.objects.get(pk=record.pk)
    record.verdict = "pending"
    record.credits = [Credit(name="Obretix", role="geolocation")]
    record.save()
    rev_credit = record.save_revision()
    rev_credit.publish()
    record = Evidence.objects.get(pk=record.pk)
    record.credits = [Credit(name="Obretix", role="geolocation"), verification_credit()]
    record.save()
    record.save_revision(user=users["verifier"]).publish()
    return Evidence.objects.get(pk=record.pk), rev_verdict, rev_credit


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back after it, as
    Django's setUpTestData does: each test's own transaction nests in it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def role_users():
    """The `users` fixture's roles (conftest), and two users with less."""
    setup_roles()
    User = get_user_model()
    users = {"admin": User.objects.create_superuser("admin", "admin@example.org", "x")}
    for name, group in (
        ("editor", EDITORS),
        ("verifier", VERIFICATION_DESK),
        ("moderator", MODERATORS),
    ):
        users[name] = make_user(name)
        users[name].groups.add(Group.objects.get(name=group))
    users["nobody"] = make_user("nobody")
    users["admin_access_only"] = make_user(
        "admin_access_only", "wagtailadmin.access_admin"
    )
    return users


def build_world():
    users = role_users()
    live, rev_verdict, rev_credit = live_record(users)
    draft = make_evidence(
        title="Hidden draft QZX", description="hidden-draft-marker", publish=False
    )
    draft.save_revision(
        approved_go_live_at=timezone.now() + timedelta(days=3)
    )  # scheduled, for unschedule
    rewritten = make_evidence(
        title="Live with a pending rewrite", media_url="https://youtu.be/Zx8cV2bN4mQ"
    )
    rewritten.title = "Unpublished rewrite QZX"
    rewritten.save_revision()
    locked = make_evidence(
        title="Locked record", media_url="https://youtu.be/Ab3cD4eF5gH"
    )
    locked.locked, locked.locked_by, locked.locked_at = (
        True,
        users["verifier"],
        timezone.now(),
    )
    locked.save()
    withdrawn = make_evidence(
        title="Withdrawn later", media_url="https://vimeo.com/76979871"
    )

    # Evidence goes through a moderators' review before it is published.
    review = Workflow.objects.create(name="Evidence review")
    WorkflowTask.objects.create(
        workflow=review, task=group_task("Evidence review", MODERATORS), sort_order=0
    )
    WorkflowContentType.objects.create(
        workflow=review, content_type=ContentType.objects.get_for_model(Evidence)
    )
    in_review = make_evidence(
        title="In review", media_url="https://youtu.be/Qw3rT5yU7iO"
    )
    in_review.save_revision(user=users["editor"])
    review.start(in_review, users["editor"])
    draft_in_review = make_evidence(
        title="Hidden draft QZX in review",
        media_url="https://youtu.be/Zz9yX8wV7uT",
        publish=False,
    )
    draft_in_review.save_revision(user=users["editor"])
    review.start(draft_in_review, users["editor"])

    articles = make_article_workflow()
    cites_draft = [evidence_block(draft, disclosure="Not yet verified.")]
    cites_live = [evidence_block(live, disclosure="Not yet verified.")]
    cites_withdrawn = [evidence_block(withdrawn, disclosure="Not yet verified.")]
    article_draft = make_article(
        cites_draft, publish=False, title="Draft article", slug="draft-article"
    )
    # Live, citing live evidence; an older and a newer revision cite the draft.
    article_live = make_article(
        cites_draft, publish=False, title="Live article", slug="live-article"
    )
    old_revision = article_live.latest_revision
    article_live.body = cites_live
    article_live.save_revision().publish()
    article_live = ArticlePage.objects.get(pk=article_live.pk)
    article_live.body = cites_draft
    article_live.save_revision()
    article_withdrawn = make_article(
        cites_withdrawn,
        title="Article citing withdrawn evidence",
        slug="cites-withdrawn",
    )
    in_check = make_article(
        cites_draft, publish=False, title="In the check", slug="in-check"
    )
    in_check.save_revision(user=users["editor"])
    articles.start(in_check, users["editor"])
    # Past the evidence check, then the desk withdrew what it cites.
    in_final = make_article(
        cites_withdrawn, publish=False, title="In final approval", slug="in-final"
    )
    in_final.save_revision(user=users["editor"])
    articles.start(in_final, users["editor"])
    in_final = ArticlePage.objects.get(pk=in_final.pk)
    check = in_final.current_workflow_task_state
    check.task.specific.on_action(check, users["verifier"], "approve")
    withdrawn = Evidence.objects.get(pk=withdrawn.pk)
    withdrawn.unpublish()
    other_home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Other home", slug="other-home")
    )

    admin = Client()
    admin.force_login(users["admin"])
    return SimpleNamespace(
        users=users,
        admin=admin,
        forms={},
        live=live,
        rev_verdict=rev_verdict,
        rev_credit=rev_credit,
        draft=draft,
        rewritten=rewritten,
        locked=locked,
        withdrawn=withdrawn,
        in_review=Evidence.objects.get(pk=in_review.pk),
        draft_in_review=Evidence.objects.get(pk=draft_in_review.pk),
        home=home_page(),
        other_home=other_home,
        cites_draft=cites_draft,
        cites_live=cites_live,
        article_draft=page(article_draft),
        article_live=page(article_live),
        old_revision=old_revision,
        article_withdrawn=page(article_withdrawn),
        in_check=page(in_check),
        in_final=page(in_final),
    )


def group_task(name, group_name):
    task = GroupApprovalTask.objects.create(name=name)
    task.groups.set([Group.objects.get(name=group_name)])
    return task


def page(article):
    return ArticlePage.objects.get(pk=article.pk)


# What each cell is judged on


def desk_values(obj):
    return tuple(getattr(obj, name) for name in DESK_FIELDS), tuple(
        verification_credits(obj.credits.all())
    )


# desk_values of a revision, by its id and content: a function of its content
# alone, worked out once for each (a door that rewrote a stored revision in
# place gives new content, and a new entry). Turning revisions back into
# records was a fifth of the walk's time.
REVISION_DESK_VALUES = {}


def latest_desk_values(record):
    """desk_values(record.get_latest_revision_as_object()), as Wagtail picks
    it: the row itself without unpublished changes, else the latest revision."""
    revision = record.latest_revision if record.has_unpublished_changes else None
    if revision is None:
        return desk_values(record)
    key = (revision.pk, json.dumps(revision.content, sort_keys=True, default=str))
    if key not in REVISION_DESK_VALUES:
        REVISION_DESK_VALUES[key] = desk_values(revision.as_object())
    return REVISION_DESK_VALUES[key]


def desk_state():
    """Desk fields of every record: the row (what is live) and the latest revision."""
    state = {}
    for record in Evidence.objects.select_related("latest_revision"):
        state[record.pk, "row"] = desk_values(record)
        state[record.pk, "latest"] = latest_desk_values(record)
    return state


def evidence_state():
    """Everything about every record, so that "nothing changed" can be checked."""
    skip = {"render_token"}
    return {
        record.pk: (
            {
                f.attname: getattr(record, f.attname)
                for f in Evidence._meta.concrete_fields
                if f.name not in skip
            },
            sorted((c.name, c.role, c.organisation) for c in record.credits.all()),
            Revision.objects.filter(
                object_id=str(record.pk),
                base_content_type=record.get_base_content_type(),
            ).count(),
        )
        for record in Evidence.objects.all()
    }


def page_state():
    return {
        p.pk: (
            p.live,
            p.live_revision_id,
            p.latest_revision_id,
            p.path,
            p.title,
            p.locked,
        )
        for p in Page.objects.all()
    } | {"task states": sorted(TaskState.objects.values_list("pk", "status"))}


def gate_breaches():
    """Live articles whose live content or live revision cites what readers may
    not see, with that revision. One already so is in the world (the desk may
    withdraw what a live article cites); one that becomes so by going live or
    republishing is a breach."""
    found = set()
    for article in ArticlePage.objects.live():
        if problems_in(stream_values(article)):
            found.add((article.pk, "row", article.live_revision_id))
        if article.live_revision and problems_in(
            stream_values(article.live_revision.as_object())
        ):
            found.add((article.pk, "live revision", article.live_revision_id))
    return found


def shows_draft(response):
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    return [marker for marker in DRAFT_MARKERS if marker in text]


def outcome(response):
    """allowed, refused or error, from a GET's response."""
    if response.status_code >= 500:
        return "error"
    if response.status_code in (301, 302):
        location = response["Location"]
        if "/login/" in location or location.rstrip("/").endswith("/admin"):
            return "refused"
        return "allowed"
    return "allowed" if 200 <= response.status_code < 300 else "refused"


# Requests


def form_action(response, default):
    html = response.content.decode()
    match = re.search(r'<form[^>]*id="(?:page-edit-form|w-editor-form)"[^>]*>', html)
    action = match and re.search(r'action="([^"]*)"', match.group(0))
    return (
        action.group(1).replace("&amp;", "&") if action and action.group(1) else default
    )


def credit_rows(data):
    return int(data.get("credits-TOTAL_FORMS", 0))


def desk_changed_values():
    return {name: DESK_CHANGED.get(name, "disputed") for name in DESK_FIELDS}


def desk_changes(data):
    """Every facet status, the verdict and the withholding changed."""
    return {
        **data,
        **{
            name: "on" if value is True else value
            for name, value in desk_changed_values().items()
        },
    }


def add_verification_credit(data):
    index = credit_rows(data)
    row = {
        "name": "Sneaky Credit",
        "organisation": "",
        "role": "verification",
        "url": "",
        "ORDER": str(index + 1),
        "DELETE": "",
        "id": "",
    }
    return {
        **data,
        **{f"credits-{index}-{key}": value for key, value in row.items()},
        "credits-TOTAL_FORMS": str(index + 1),
    }


def drop_verification_credit(data):
    rows = [
        i
        for i in range(credit_rows(data))
        if data.get(f"credits-{i}-role") == "verification"
    ]
    return {**data, **{f"credits-{i}-DELETE": "on" for i in rows}}


def plain_change(data):
    return {**data, "description": "Changed by a door."}


def new_record(data):
    return {
        **data,
        "title": "Made at a door",
        "media_url": "https://youtu.be/Zx8cV2bN4mQ",
    }


def with_desk_changes(data):
    return desk_changes(new_record(data))


def with_verification_credit(data):
    return add_verification_credit(new_record(data))


def plain_and_desk_changes(data):
    # Outside the desk the form has no desk fields: the plain change must still save.
    return desk_changes(plain_change(data))


EDIT_VARIANTS = [
    plain_and_desk_changes,
    add_verification_credit,
    drop_verification_credit,
]


def admin_form(w, url):
    """The admin's form at ``url`` and where it posts: the same for every user of
    a door, as each finds the world as it was built."""
    if url not in w.forms:
        got = w.admin.get(url)
        w.forms[url] = form_action(got, url), form_data(got)
    return w.forms[url]


def post_evidence_form(variants):
    """POST the admin's form as the user to the door itself (not where the form
    says, which for a copy is the add view), once per variant."""

    def post(client, w, url):
        _action, data = admin_form(w, url)
        return [client.post(url, change(data)) for change in variants]

    return post


def post_add_form_to_chooser(client, w, url):
    _action, data = admin_form(w, sn("add"))
    return [client.post(url, with_desk_changes(data))]


def post_empty(client, w, url):
    return [client.post(url, {})]


def post_comment(client, w, url):
    return [client.post(url, {"comment": ""})]


def post_page_form(body, action="action-publish"):
    def post(client, w, url):
        target, data = admin_form(w, url)
        return [client.post(target, {**data, **body_data(body(w)), action: action})]

    return post


def post_page_copy(page_of, parent_of, subpages):
    def post(client, w, url):
        data = {
            "new_title": "A copy",
            "new_slug": f"a-copy-{page_of(w).pk}",
            "new_parent_page": parent_of(w).pk,
            "publish_copies": "on",
        }
        if subpages:
            data["copy_subpages"] = "on"
        return [client.post(url, data)]

    return post


def post_import(client, w, url):
    """The package's export as JSON, with desk fields changed, imported for real."""
    rows = json.loads(
        w.admin.get(reverse("wagtail_evidence:export") + "?format=json").content
    )
    rows = rows if isinstance(rows, list) else rows.get("records", rows.get("evidence"))
    for row in rows:
        if row["media_url"] == w.live.media_url:
            row.update(desk_changed_values())
            row["credits"] = [
                c for c in row.get("credits", []) if c.get("role") != "verification"
            ]
    upload = SimpleNamespace()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "evidence.json", json.dumps(rows).encode(), content_type="application/json"
    )
    return [client.post(url, {"file": upload, "format": "json", "publish": "on"})]


def post_json(data_of):
    def post(client, w, url):
        return [
            client.post(url, json.dumps(data_of(w)), content_type="application/json")
        ]

    return post


# The doors


@dataclass
class Door:
    name: str  # the URL name walked (the resolver's, or a label for bulk actions and APIs)
    url: object  # world -> path
    get_ok: frozenset  # who gets the page
    post: object = None  # (client, world, url) -> responses
    post_ok: frozenset = None  # whose POST takes effect (default get_ok)
    changes: object = lambda w: set()  # world -> records an allowed POST may change
    effect: object = None  # world -> whether an allowed POST did what it asks
    label: str = ""
    hole: str = ""  # a known hole someone else is fixing
    namespace: str = ""
    get_either: frozenset = (
        frozenset()
    )  # who may be let in or not (judged on what they see)

    @property
    def id(self):
        short = {
            SNIPPETS: "evidence:",
            CHOOSER: "chooser:",
            PACKAGE: "package:",
            PAGES: "pages:",
        }.get(self.namespace, "")
        return f"{short}{self.name}{f' [{self.label}]' if self.label else ''}"


def in_namespace(namespace):
    def door(*args, **kwargs):
        return Door(*args, namespace=namespace, **kwargs)

    return door


E, C, P, PG = (
    in_namespace(namespace) for namespace in (SNIPPETS, CHOOSER, PACKAGE, PAGES)
)


def sn(name, *args):
    return reverse(f"{SNIPPETS}:{name}", args=args)


def live_only(w):
    return {w.live.pk}


def latest_description(w):
    return (
        Evidence.objects.get(pk=w.live.pk).get_latest_revision_as_object().description
        == "Changed by a door."
    )


def task_state_of(obj):
    return obj.current_workflow_task_state.pk


def bulk(app, model, action, *pks):
    return (
        reverse("wagtail_bulk_action", args=[app, model, action])
        + "?"
        + "&".join(f"id={pk}" for pk in pks)
    )


def page_api(action, pk):
    return reverse("wagtailadmin_api:pages:action", args=[pk, action])


DOORS = [
    # The Evidence snippet viewset
    E("list", lambda w: sn("list"), EVIDENCE_USERS),
    E("list", lambda w: sn("list") + "?export=csv", EVIDENCE_USERS, label="csv"),
    E("list", lambda w: sn("list") + "?export=xlsx", EVIDENCE_USERS, label="xlsx"),
    E("list_results", lambda w: sn("list_results"), EVIDENCE_USERS),
    E(
        "add",
        lambda w: sn("add"),
        EVIDENCE_USERS,
        post_evidence_form([new_record, with_desk_changes, with_verification_credit]),
        effect=lambda w: Evidence.objects.filter(title="Made at a door").exists(),
    ),
    E(
        "edit",
        lambda w: sn("edit", w.live.pk),
        EVIDENCE_USERS,
        post_evidence_form(EDIT_VARIANTS),
        changes=live_only,
        effect=latest_description,
    ),
    E("edit", lambda w: sn("edit", w.draft.pk), EVIDENCE_USERS, label="draft"),
    E(
        "edit",
        lambda w: sn("edit", w.in_review.pk),
        EVIDENCE_USERS,
        post_evidence_form([desk_changes]),
        changes=lambda w: {w.in_review.pk},
        label="in review",
    ),
    E(
        "copy",
        lambda w: sn("copy", w.live.pk),
        EVIDENCE_USERS,
        post_evidence_form([plain_and_desk_changes]),
        effect=lambda w: (
            Evidence.objects.filter(description="Changed by a door.")
            .exclude(pk=w.live.pk)
            .exists()
        ),
        hole="copy view overwrites the original record",
    ),
    E(
        "copy",
        lambda w: sn("copy", w.rewritten.pk),
        EVIDENCE_USERS,
        post_evidence_form([plain_and_desk_changes]),
        label="live with a pending rewrite",
        hole="copy view overwrites the original record",
    ),
    E(
        "copy",
        lambda w: sn("copy", w.draft.pk),
        EVIDENCE_USERS,
        post_evidence_form([plain_and_desk_changes]),
        label="draft",
        hole="copy view overwrites the original record",
    ),
    E(
        "delete",
        lambda w: sn("delete", w.live.pk),
        DESK,
        post_empty,
        changes=live_only,
        effect=lambda w: not Evidence.objects.filter(pk=w.live.pk).exists(),
    ),
    E("inspect", lambda w: sn("inspect", w.live.pk), EVIDENCE_USERS),
    E("inspect", lambda w: sn("inspect", w.draft.pk), EVIDENCE_USERS, label="draft"),
    E("history", lambda w: sn("history", w.live.pk), EVIDENCE_USERS),
    E("history_results", lambda w: sn("history_results", w.live.pk), EVIDENCE_USERS),
    E("usage", lambda w: sn("usage", w.draft.pk), EVIDENCE_USERS),
    E(
        "revisions_revert",
        lambda w: sn("revisions_revert", w.live.pk, w.rev_verdict.pk),
        EVIDENCE_USERS,
        post_evidence_form([lambda d: d]),
        changes=live_only,
        label="other verdict",
    ),
    E(
        "revisions_revert",
        lambda w: sn("revisions_revert", w.live.pk, w.rev_credit.pk),
        EVIDENCE_USERS,
        post_evidence_form([lambda d: d, desk_changes]),
        changes=live_only,
        label="other credits",
    ),
    E(
        "revisions_compare",
        lambda w: reverse(
            f"{SNIPPETS}:revisions_compare", args=[w.live.pk, "earliest", "latest"]
        ),
        EVIDENCE_USERS,
    ),
    E(
        "revisions_compare",
        lambda w: reverse(
            f"{SNIPPETS}:revisions_compare", args=[w.rewritten.pk, "live", "latest"]
        ),
        EVIDENCE_USERS,
        label="pending rewrite",
    ),
    E(
        "revisions_unschedule",
        lambda w: sn("revisions_unschedule", w.draft.pk, w.draft.latest_revision_id),
        DESK,
        post_empty,
        changes=lambda w: {w.draft.pk},
        effect=lambda w: (
            Revision.objects.get(pk=w.draft.latest_revision_id).approved_go_live_at
            is None
        ),
    ),
    E(
        "unpublish",
        lambda w: sn("unpublish", w.live.pk),
        DESK,
        post_empty,
        changes=live_only,
        effect=lambda w: not Evidence.objects.get(pk=w.live.pk).live,
    ),
    E(
        "lock",
        lambda w: sn("lock", w.live.pk),
        NOBODY,
        post_empty,
        post_ok=DESK,
        changes=live_only,
        effect=lambda w: Evidence.objects.get(pk=w.live.pk).locked,
    ),
    E(
        "unlock",
        lambda w: sn("unlock", w.locked.pk),
        NOBODY,
        post_empty,
        post_ok=DESK,
        changes=lambda w: {w.locked.pk},
        effect=lambda w: not Evidence.objects.get(pk=w.locked.pk).locked,
    ),
    E(
        "workflow_action",
        lambda w: sn(
            "workflow_action", w.in_review.pk, "approve", task_state_of(w.in_review)
        ),
        PAGE_PUBLISHERS,
        post_comment,
        post_ok=frozenset({"admin"}),
        changes=lambda w: {w.in_review.pk},
        effect=lambda w: (
            not Evidence.objects.get(pk=w.in_review.pk).workflow_in_progress
        ),
    ),
    E(
        "collect_workflow_action_data",
        lambda w: sn(
            "collect_workflow_action_data",
            w.in_review.pk,
            "approve",
            task_state_of(w.in_review),
        ),
        PAGE_PUBLISHERS,
    ),
    E(
        "confirm_workflow_cancellation",
        lambda w: sn("confirm_workflow_cancellation", w.in_review.pk),
        EVIDENCE_USERS,
    ),
    E(
        "confirm_workflow_cancellation",
        lambda w: sn("confirm_workflow_cancellation", w.draft_in_review.pk),
        EVIDENCE_USERS,
        label="draft",
    ),
    E(
        "workflow_history",
        lambda w: sn("workflow_history", w.in_review.pk),
        EVIDENCE_USERS,
    ),
    E(
        "workflow_history_detail",
        lambda w: sn(
            "workflow_history_detail",
            w.in_review.pk,
            w.in_review.current_workflow_state.pk,
        ),
        EVIDENCE_USERS,
    ),
    Door(
        "wagtail_bulk_action",
        lambda w: bulk("wagtail_evidence", "evidence", "delete", w.live.pk, w.draft.pk),
        DESK,
        post_empty,
        changes=lambda w: {w.live.pk, w.draft.pk},
        effect=lambda w: not Evidence.objects.filter(pk=w.live.pk).exists(),
        label="evidence delete",
    ),
    # Its chooser
    C(
        "choose",
        lambda w: reverse(f"{CHOOSER}:choose"),
        EVIDENCE_USERS,
        get_either=frozenset({"admin_access_only"}),
        hole="the chooser lists drafts to users with admin access but no evidence permission",
    ),
    C(
        "choose_results",
        lambda w: reverse(f"{CHOOSER}:choose_results"),
        EVIDENCE_USERS,
        get_either=frozenset({"admin_access_only"}),
        hole="the chooser lists drafts to users with admin access but no evidence permission",
    ),
    C(
        "chosen",
        lambda w: reverse(f"{CHOOSER}:chosen", args=[w.draft.pk]),
        EVIDENCE_USERS,
        hole="the chooser lists drafts to users with admin access but no evidence permission",
    ),
    C(
        "chosen_multiple",
        lambda w: (
            reverse(f"{CHOOSER}:chosen_multiple") + f"?id={w.draft.pk}&id={w.live.pk}"
        ),
        EVIDENCE_USERS,
        hole="the chooser lists drafts to users with admin access but no evidence permission",
    ),
    # No creation form is configured: whatever is posted, nothing may be made.
    C(
        "create",
        lambda w: reverse(f"{CHOOSER}:create"),
        NOBODY,
        post_add_form_to_chooser,
        post_ok=NOBODY,
        get_either=EVIDENCE_USERS,
    ),
    # The package's own admin views
    P("register", lambda w: reverse("wagtail_evidence:register"), EVIDENCE_USERS),
    P(
        "register",
        lambda w: reverse("wagtail_evidence:register") + "?export=csv",
        EVIDENCE_USERS,
        label="csv",
    ),
    P(
        "register",
        lambda w: reverse("wagtail_evidence:register") + "?export=xlsx",
        EVIDENCE_USERS,
        label="xlsx",
    ),
    P(
        "register_results",
        lambda w: reverse("wagtail_evidence:register_results"),
        EVIDENCE_USERS,
    ),
    P(
        "import",
        lambda w: reverse("wagtail_evidence:import"),
        EVIDENCE_USERS,
        post_import,
        changes=live_only,
    ),
    P(
        "export",
        lambda w: reverse("wagtail_evidence:export") + "?format=json",
        EVIDENCE_USERS,
    ),
    P(
        "export",
        lambda w: reverse("wagtail_evidence:export") + "?format=csv",
        EVIDENCE_USERS,
        label="csv",
    ),
    # Which images to blur among Wagtail's own: every admin user browses them.
    P(
        "warned_images",
        lambda w: reverse("wagtail_evidence:warned_images"),
        ADMIN_USERS,
    ),
    # A record's sources: anyone who may change it starts a check (or an
    # archive); only the desk sets a status by hand (tests/test_source_status.py).
    P(
        "sources",
        lambda w: reverse("wagtail_evidence:sources", args=[w.live.pk]),
        EVIDENCE_USERS,
        lambda client, w, url: [client.post(url, {"action": "check"})],
        effect=lambda w: SourceTask.objects.filter(evidence=w.live).exists(),
    ),
    P(
        "sources",
        lambda w: reverse("wagtail_evidence:sources", args=[w.live.pk]),
        EVIDENCE_USERS,
        lambda client, w, url: [
            client.post(
                url,
                {"action": "status", "url": w.live.media_url, "status": "deleted"},
            )
        ],
        post_ok=DESK,
        effect=lambda w: SourceCheck.objects.filter(evidence=w.live).exists(),
        label="status",
    ),
    # Wagtail's page views, for articles
    PG(
        "edit",
        lambda w: reverse(f"{PAGES}:edit", args=[w.article_draft.pk]),
        PAGE_EDITORS,
        post_page_form(lambda w: w.cites_draft),
        # The draft is kept for everyone who may edit; nobody's publish gets
        # past the gate (gate_breaches, checked on every cell).
        post_ok=PAGE_EDITORS,
        label="article, publish",
    ),
    PG(
        "edit",
        lambda w: reverse(f"{PAGES}:edit", args=[w.article_live.pk]),
        PAGE_EDITORS,
        post_page_form(lambda w: w.cites_draft),
        # The draft is kept for everyone who may edit; nobody's publish gets
        # past the gate (gate_breaches, checked on every cell).
        post_ok=PAGE_EDITORS,
        label="live article, publish",
    ),
    PG(
        "revisions_revert",
        lambda w: reverse(
            f"{PAGES}:revisions_revert", args=[w.article_live.pk, w.old_revision.pk]
        ),
        PAGE_EDITORS,
        post_page_form(lambda w: w.cites_draft),
        # The draft is kept for everyone who may edit; nobody's publish gets
        # past the gate (gate_breaches, checked on every cell).
        post_ok=PAGE_EDITORS,
        label="article, publish",
    ),
    PG(
        "copy",
        lambda w: reverse(f"{PAGES}:copy", args=[w.article_live.pk]),
        PAGE_EDITORS,
        post_page_copy(lambda w: w.article_live, lambda w: w.home, subpages=False),
        post_ok=PAGE_EDITORS,
        label="article with a draft, publish copies",
        hole="page copy publishing past the gate",
    ),
    PG(
        "copy",
        lambda w: reverse(f"{PAGES}:copy", args=[w.article_withdrawn.pk]),
        PAGE_EDITORS,
        post_page_copy(lambda w: w.article_withdrawn, lambda w: w.home, subpages=False),
        post_ok=PAGE_EDITORS,
        label="article citing withdrawn evidence, publish copies",
        hole="page copy publishing past the gate",
    ),
    PG(
        "copy",
        lambda w: reverse(f"{PAGES}:copy", args=[w.home.pk]),
        PAGE_EDITORS,
        post_page_copy(
            lambda w: w.home, lambda w: Page.get_first_root_node(), subpages=True
        ),
        post_ok=PAGE_EDITORS,
        label="home with subpages, publish copies",
        hole="page copy with subpages publishing past the gate",
    ),
    # Wagtail lets Editors move and delete pages that are not live.
    PG(
        "move",
        lambda w: reverse(f"{PAGES}:move", args=[w.article_draft.pk]),
        PAGE_EDITORS,
    ),
    # Wagtail shows the move confirmation to any admin user; the move itself checks.
    PG(
        "move_confirm",
        lambda w: reverse(
            f"{PAGES}:move_confirm", args=[w.article_withdrawn.pk, w.other_home.pk]
        ),
        ADMIN_USERS,
        post_empty,
        post_ok=PAGE_PUBLISHERS,
    ),
    PG(
        "unpublish",
        lambda w: reverse(f"{PAGES}:unpublish", args=[w.article_live.pk]),
        PAGE_PUBLISHERS,
        post_empty,
        effect=lambda w: not page(w.article_live).live,
    ),
    PG(
        "delete",
        lambda w: reverse(f"{PAGES}:delete", args=[w.article_draft.pk]),
        PAGE_EDITORS,
        post_empty,
        effect=lambda w: not ArticlePage.objects.filter(pk=w.article_draft.pk).exists(),
    ),
    PG(
        "workflow_action",
        lambda w: reverse(
            f"{PAGES}:workflow_action",
            args=[w.in_check.pk, "approve", task_state_of(w.in_check)],
        ),
        DESK,
        post_comment,
        post_ok=NOBODY,
        label="evidence check of a draft citation",
    ),
    PG(
        "workflow_action",
        lambda w: reverse(
            f"{PAGES}:workflow_action",
            args=[w.in_final.pk, "approve", task_state_of(w.in_final)],
        ),
        PAGE_PUBLISHERS,
        post_comment,
        post_ok=NOBODY,
        label="final approval after a withdrawal",
    ),
    # Wagtail confirms a page bulk action to any admin user, listing what they may not act on.
    Door(
        "wagtail_bulk_action",
        lambda w: bulk(
            "wagtailcore", "page", "publish", w.article_draft.pk, w.article_live.pk
        ),
        ADMIN_USERS,
        post_empty,
        post_ok=NOBODY,
        label="page publish",
    ),
    Door(
        "wagtail_bulk_action",
        lambda w: bulk("wagtailcore", "page", "unpublish", w.article_live.pk),
        ADMIN_USERS,
        post_empty,
        post_ok=PAGE_PUBLISHERS,
        label="page unpublish",
    ),
    Door(
        "wagtail_bulk_action",
        lambda w: bulk("wagtailcore", "page", "move", w.article_withdrawn.pk),
        ADMIN_USERS,
        lambda c, w, url: [c.post(url, {"chooser": w.other_home.pk})],
        post_ok=PAGE_PUBLISHERS,
        label="page move",
    ),
    Door(
        "wagtail_bulk_action",
        lambda w: bulk("wagtailcore", "page", "delete", w.article_draft.pk),
        ADMIN_USERS,
        post_empty,
        post_ok=PAGE_EDITORS,
        label="page delete",
    ),
    # Wagtail's admin API, whose page actions do what the views do
    Door(
        "wagtailadmin_api:pages:action",
        lambda w: page_api("publish", w.article_live.pk),
        NOBODY,
        post_json(lambda w: {}),
        post_ok=NOBODY,
        label="publish",
    ),
    Door(
        "wagtailadmin_api:pages:action",
        lambda w: page_api("copy", w.article_withdrawn.pk),
        NOBODY,
        post_json(lambda w: {"slug": "api-copy", "keep_live": True}),
        post_ok=PAGE_EDITORS,
        label="copy, keep live",
        hole="page copy publishing past the gate",
    ),
    Door(
        "wagtailadmin_api:pages:action",
        lambda w: page_api("copy", w.home.pk),
        NOBODY,
        post_json(
            lambda w: {
                "slug": "api-home-copy",
                "keep_live": True,
                "recursive": True,
                "destination_page_id": Page.get_first_root_node().pk,
            }
        ),
        post_ok=PAGE_EDITORS,
        label="copy with subpages, keep live",
        hole="page copy with subpages publishing past the gate",
    ),
    Door(
        "wagtailadmin_api:pages:action",
        lambda w: page_api("create_alias", w.article_withdrawn.pk),
        NOBODY,
        post_json(lambda w: {"update_slug": "api-alias"}),
        post_ok=PAGE_EDITORS,
        label="create alias",
    ),
    Door(
        "wagtailadmin_api:pages:action",
        lambda w: page_api("revert_to_page_revision", w.article_live.pk),
        NOBODY,
        post_json(lambda w: {"revision_id": w.old_revision.pk}),
        post_ok=PAGE_EDITORS,
        label="revert",
    ),
    Door(
        "wagtailadmin_api:pages:detail",
        lambda w: reverse("wagtailadmin_api:pages:detail", args=[w.article_draft.pk]),
        PAGE_EDITORS,
    ),
    # The public API, for everyone
    Door(
        "wagtailapi:pages:listing",
        lambda w: (
            reverse("wagtailapi:pages:listing")
            + "?type=testapp.ArticlePage&fields=body"
        ),
        frozenset(USERS),
    ),
    Door(
        "wagtailapi:pages:detail",
        lambda w: reverse("wagtailapi:pages:detail", args=[w.article_withdrawn.pk]),
        frozenset(USERS),
    ),
    Door(
        "wagtailapi:pages:find",
        lambda w: reverse("wagtailapi:pages:find") + "?html_path=/live-article/",
        frozenset(USERS),
    ),
]

# Page views not walked: none opens a way past the gate or onto evidence that
# the views above do not (they add, preview, search, list or lock pages).
PAGE_VIEWS_LEFT_OUT = {
    "add",
    "preview_on_add",
    "type_use",
    "type_use_results",
    "choose_parent",
    "usage",
    "preview_on_edit",
    "view_draft",
    "add_subpage",
    "convert_alias",
    "search",
    "search_results",
    "set_page_position",
    "workflow_preview",
    "set_privacy",
    "lock",
    "unlock",
    "revisions_index",
    "revisions_view",
    "revisions_unschedule",
    "revisions_compare",
    "workflow_history",
    "workflow_history_detail",
    "history",
    "history_results",
    "collect_workflow_action_data",
    "confirm_workflow_cancellation",
}


def url_names(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_names(
                pattern.url_patterns,
                namespace + (f"{pattern.namespace}:" if pattern.namespace else ""),
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_the_walk_covers_every_url_of_the_viewset_the_chooser_and_the_package():
    names = set(url_names())
    for namespace in (SNIPPETS, CHOOSER, PACKAGE):
        found = {
            name.split(":")[-1] for name in names if name.startswith(namespace + ":")
        }
        assert len(found) >= {SNIPPETS: 19, CHOOSER: 5, PACKAGE: 5}[namespace], (
            namespace
        )  # the walk cannot shrink
        missing = found - {door.name for door in DOORS if door.namespace == namespace}
        assert not missing, f"{namespace}: no door for {sorted(missing)}"
    pages = {name.split(":")[-1] for name in names if name.startswith(PAGES + ":")}
    assert len(pages) >= 30
    assert (
        not pages
        - PAGE_VIEWS_LEFT_OUT
        - {door.name for door in DOORS if door.namespace == PAGES}
    )
    assert {
        "edit",
        "copy",
        "move",
        "move_confirm",
        "revisions_revert",
        "unpublish",
        "delete",
        "workflow_action",
    } <= {door.name for door in DOORS if door.namespace == PAGES}


# The walk


def client_for(w, user):
    client = Client(raise_request_exception=False)  # a 500 is judged like any refusal
    if user != "anonymous":
        client.force_login(w.users[user])
    return client


def walk_cell(door, w, user):
    """Try the door as ``user``; return the cell's result and what went wrong."""
    problems = []
    url = door.url(w)
    desk, records, pages, breaches = (
        desk_state(),
        evidence_state(),
        page_state(),
        gate_breaches(),
    )
    live_revisions = dict(
        ArticlePage.objects.live().values_list("pk", "live_revision_id")
    )
    client = client_for(w, user)
    response = client.get(url)
    result = outcome(response)
    if result == "error":
        problems.append(f"GET answered {response.status_code}")
    if user not in door.get_either and (result == "allowed") != (user in door.get_ok):
        problems.append(
            f"GET {result}, expected {'allowed' if user in door.get_ok else 'refused'} ({response.status_code})"
        )
    if user not in EVIDENCE_USERS and shows_draft(response):
        problems.append(f"GET shows draft evidence: {shows_draft(response)}")
    if door.post is not None:
        post_ok = door.get_ok if door.post_ok is None else door.post_ok
        statuses = [r.status_code for r in door.post(client, w, url)]
        desk_after, records_after = desk_state(), evidence_state()
        if user not in post_ok:
            if records_after != records or page_state() != pages:
                problems.append(
                    f"POST refused ({statuses}) yet changed {changed(records, records_after) or 'pages'}"
                )
        else:
            kept = {pk for pk in records if pk not in door.changes(w)}
            if any(records_after.get(pk) != records[pk] for pk in kept):
                problems.append(
                    f"POST changed other records: {changed({pk: records[pk] for pk in kept}, records_after)}"
                )
            if door.effect is not None and not door.effect(w):
                problems.append(f"POST allowed but had no effect ({statuses})")
        if user not in DESK:
            moved = sorted(
                {
                    pk
                    for key in desk
                    if desk_after.get(key, desk[key]) != desk[key]
                    for pk in [key[0]]
                }
            )
            if moved:
                problems.append(
                    f"desk fields of {titles(moved)} changed: {desk_diff(desk, desk_after)}"
                )
            for pk in set(records_after) - set(records) if door.name != "copy" else ():
                # A record someone outside the desk creates starts unverified.
                if desk_values(Evidence.objects.get(pk=pk)) != UNVERIFIED:
                    problems.append(
                        f"new record #{pk} made with desk values {desk_values(Evidence.objects.get(pk=pk))}"
                    )
        # GET/POST; a crash is no hole (the database decides), but it is shown.
        result += "/" + ("allowed" if user in post_ok else "refused")
        if any(status >= 500 for status in statuses):
            result += f"({max(statuses)})"
    live_before = {pk for pk, _where, _revision in breaches} | set(live_revisions)
    new_breaches = {
        breach
        for breach in gate_breaches() - breaches
        if breach[0] not in live_before or live_revisions.get(breach[0]) != breach[2]
    }
    if new_breaches:
        problems.append(f"went live past the gate: {sorted(new_breaches)}")
    return ("HOLE" if problems else result), problems


# A stale form: fetched by the user, then the desk changes the record, then posted.


def desk_publishes(w, change):
    record = Evidence.objects.get(pk=w.live.pk).get_latest_revision_as_object()
    credits = list(record.credits.all())
    if change == "verdict":
        record.verdict = "misleading"
    elif change == "add credit":
        record.credits = [*credits, verification_credit("Second Desk Person")]
    else:
        record.credits = [credit for credit in credits if credit.role != "verification"]
    record.save_revision(user=w.users["verifier"]).publish(user=w.users["verifier"])


@pytest.mark.parametrize("change", ["verdict", "add credit", "drop credit"])
@pytest.mark.parametrize("user", ["editor", "moderator", "verifier"])
def test_a_stale_form_keeps_what_the_desk_did_since(world, db, user, change):
    """Nor does a desk member's own stale form undo a colleague's finding."""
    client = client_for(world, user)
    url = sn("edit", world.live.pk)
    got = client.get(url)  # the user's own form, without the desk's fields
    desk_publishes(world, change)
    desk = desk_state()
    client.post(form_action(got, url), plain_change(form_data(got)))
    assert desk_state() == desk, (
        f"{user}'s stale form undid the desk's {change}: {desk_diff(desk, desk_state())}"
    )


def changed(before, after):
    return sorted(
        titles(
            [pk for pk in set(before) | set(after) if before.get(pk) != after.get(pk)]
        )
    )


def titles(pks):
    found = dict(Evidence.objects.filter(pk__in=pks).values_list("pk", "title"))
    return [found.get(pk, f"#{pk} (deleted)") for pk in pks]


def desk_diff(before, after):
    return {
        key: (before[key], after.get(key))
        for key in before
        if after.get(key, before[key]) != before[key]
    }


@pytest.mark.parametrize("door", DOORS, ids=[door.id for door in DOORS])
def test_door(door, world, db):
    table, failures = {}, {}
    for user in USERS:
        with transaction.atomic():
            table[user], problems = walk_cell(door, world, user)
            if problems:
                failures[user] = problems
            transaction.set_rollback(True)  # the next user finds the same world
    print(
        f"\n{door.id:60} "
        + " ".join(f"{user}={result}" for user, result in table.items())
    )
    known = f" (known hole: {door.hole})" if door.hole else ""
    assert not failures, f"{door.id}{known}:\n" + "\n".join(
        f"  {user}: {'; '.join(p)}" for user, p in failures.items()
    )
