"""Migrations apply backward and forward again without losing the demo content.

The test loads the demo newsroom at the latest migration state and takes a
snapshot of it, read with raw SQL. Then it takes ``wagtail_evidence`` back one
migration at a time to its first migration (not to zero, which drops every
table by design), and forward again to its leaf. It does the same with
``newsroom``. The migrations come from the migration graph, so a new migration
is covered without changing this file. Each state must keep the data it has
room for: same rows, same values in columns whose field class did not change.
After the round trip the snapshot must be the same as before, apart from what
going back has to lose.

What going back loses. Going back to ``0001_initial`` deletes the models that
later migrations create, so the rows in their tables are lost, and their tables
come back empty:

- ``PublicChange``: the public history of badge and warning changes.
- ``EvidenceCheckTask``: its table and its ``groups`` table. Wagtail's own
  ``wagtailcore_task`` row is the parent row of the multi-table model and would
  outlive it, leaving a workflow step no model can load; so going back turns each
  evidence check into Wagtail's group approval by the same groups (its type and
  a row in Wagtail's group approval tables change). The workflow keeps working,
  without the check; going forward again does not bring the check back.

Going back to ``0001_initial`` also drops ``Citation``, since when each article
shows each record; going forward, ``0012_citations`` rebuilds it from the
reference index, dated from each article's first publication: the same pairs
come back, with those dates.

Going back also drops columns that later migrations add; forward again, they
hold their default. The demo leaves those columns at their default, so the
round trip compares equal; if it ever fills one, this test fails, and the loss
must be stated here.

The migrations run on whatever database the suite uses: SQLite by default, or
PostgreSQL when ``DATABASE_URL`` is set (see example_site/newsroom_site/settings.py).
"""

import importlib
import io
import json

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.demo.conftest import DEMO_PASSWORD


APP = "wagtail_evidence"
DEMO_APP = "newsroom"

# Models of other apps that hold demo content, or that point at our models.
# Migrations of our apps must leave them alone.
WATCHED = [
    "contenttypes.contenttype",
    "taggit.tag",
    "wagtailcore.page",
    "wagtailcore.revision",
    "wagtailcore.task",
    "wagtailcore.workflow",
    "wagtailcore.workflowtask",
    "wagtailcore.workflowpage",
]

# Tables that the round trip of APP empties, and how many rows they hold in the demo.
LOST_IN_ROUND_TRIP = {
    "wagtail_evidence_evidencechecktask": 1,  # the demo workflow's first step
    "wagtail_evidence_evidencechecktask_groups": 1,  # its group, the verification desk
    "wagtail_evidence_publicchange": 1,  # the warning change the test publishes
    "wagtail_evidence_adminpreferences": 1,  # the desk's choice to see warned media
    "wagtail_evidence_createformkey": 1,  # the key of the form a record was made in
    # Archives and source statuses (0013_archives): the demo needs no service.
    "wagtail_evidence_archivedcopy": 0,
    "wagtail_evidence_sourcecheck": 0,
    "wagtail_evidence_sourcetask": 0,
    # The hashes of the demo's 8 posters, of the desk's capture, and its one
    # recycled pair, both ways (0014_fingerprints): computed from the files
    # again at a record's next save.
    "wagtail_evidence_mediafingerprint": 9,
    "wagtail_evidence_nearduplicate": 2,
    # What the C2PA manifests of the demo's 8 posters and the desk's capture
    # say: the capture alone carries one (0015_content_credentials); read from
    # the files again at the next save.
    "wagtail_evidence_contentcredentials": 9,
    # Rendered blocks kept behind the render cache (0017_stored_renders): the
    # demo's readers render them again.
    "wagtail_evidence_storedrender": 0,
}

# Tables that going back drops and going forward rebuilds from what the other
# tables hold: citations are dated again from each article's first
# publication (0012_citations), so the same pairs come back, not the same dates.
REBUILT_IN_ROUND_TRIP = {
    "wagtail_evidence_citation": ("page_id", "evidence_id"),
}


def pairs(rows, columns):
    return sorted(tuple(row[column] for column in columns) for row in rows.values())


# A data migration may rewrite the stored versions of records (Revision.content).
# Between states the test compares which versions exist. After the round trip it
# compares their content too.
REWRITABLE = {"wagtailcore_revision": {"content"}}
# Going back past 0002 changes the type of the evidence check's task row (see above).
CONVERTED = {"wagtailcore_task": {"content_type_id"}}


def migration_chain(executor, app):
    """The app's migrations, from its first one to its only leaf."""
    graph = executor.loader.graph
    leaves = graph.leaf_nodes(app)
    assert len(leaves) == 1, f"{app} has more than one leaf migration: {leaves}"
    return [node for node in graph.forwards_plan(leaves[0]) if node[0] == app]


def migrate(executor, node):
    """Migrate ``node``'s app to ``node``. Return the project state after that."""
    plan = executor.migration_plan([node])
    moved = {migration.app_label for migration, _backwards in plan}
    assert moved <= {node[0]}, f"migrating {node} also moves {moved - {node[0]}}"
    state = executor.migrate([node])
    executor.loader.build_graph()  # reload which migrations are applied
    return state


def models_of(apps, labels=(APP, DEMO_APP), watched=WATCHED):
    """Our apps' models (with their many-to-many tables) and the watched ones."""
    models = [
        model
        for label in labels
        if label in apps.app_configs
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return models + [apps.get_model(label) for label in watched]


def tables_of(apps, label=APP):
    """The tables of ``label``'s models in ``apps``."""
    return {model._meta.db_table for model in models_of(apps, [label], watched=[])}


def snapshot(apps):
    """Every row of the tables of the models in ``apps``, read with raw SQL.

    Returns ``{table: {"kinds": {column: field class}, "rows": {pk: {column: value}}}}``.
    """
    tables = {}
    with connection.cursor() as cursor:
        for model in models_of(apps):
            fields = {
                field.column: field for field in model._meta.local_concrete_fields
            }
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            rows = {}
            for values in cursor.fetchall():
                row = {
                    column: decode(fields[column], value)
                    for column, value in zip(columns, values, strict=True)
                }
                rows[row[model._meta.pk.column]] = row
            kinds = {column: field.deconstruct()[1] for column, field in fields.items()}
            tables[table] = {"kinds": kinds, "rows": rows}
    return tables


def decode(field, value):
    """JSON columns come back as text: compare what the text holds, not its spelling."""
    if field.get_internal_type() == "JSONField" and isinstance(value, str):
        return json.loads(value)
    return value


def assert_holds(latest, state, emptied):
    """The database at ``state`` holds what the latest state held, as far as it can.

    Tables of models missing at ``state`` must be absent; they are added to
    ``emptied``. Tables in ``emptied`` must be empty: they were dropped on the
    way. The other tables must have the same rows. Columns are compared where
    the field has the same class in both states. A column whose field changed
    class (text to rich text, say) may hold converted values, so only the round
    trip compares it. The watched tables are compared too: at ``0001_initial``,
    Wagtail's task row of the evidence check is still there.
    """
    here = snapshot(state.apps)
    existing = set(connection.introspection.table_names())
    for table in set(latest) - set(here):
        assert table not in existing, f"{table} should not exist at this state"
        emptied.add(table)
    for table, data in here.items():
        if table in emptied:
            if table in REBUILT_IN_ROUND_TRIP and data["rows"]:
                columns = REBUILT_IN_ROUND_TRIP[table]
                assert pairs(data["rows"], columns) == pairs(
                    latest[table]["rows"], columns
                ), f"{table} should have been rebuilt as it was"
                continue
            assert data["rows"] == {}, f"{table} should have come back empty"
            continue
        before = latest[table]
        assert data["rows"].keys() == before["rows"].keys(), f"rows of {table} differ"
        columns = (
            {
                column
                for column, kind in data["kinds"].items()
                if before["kinds"].get(column) == kind
            }
            - REWRITABLE.get(table, set())
            - CONVERTED.get(table, set())
        )
        for pk, row in data["rows"].items():
            kept = {column: row[column] for column in columns}
            was = {column: before["rows"][pk][column] for column in columns}
            assert kept == was, f"{table} row {pk} changed"


def withhold_every_coordinate():
    """As the demo stands after an upgrade from before 0007, which withholds
    the coordinates of every record that has them: going forward past 0007
    does it again, so the round trip can hold the rows to what they were."""
    from django.apps import apps

    from wagtail_evidence.models import Evidence

    migration = importlib.import_module(
        "wagtail_evidence.migrations.0007_withhold_coordinates"
    )
    shown = Evidence.objects.filter(latitude__isnull=False, withhold_coordinates=False)
    assert shown.exists()  # the demo shows some: the round trip would change them
    migration.withhold_existing_coordinates(apps, None)
    assert not shown.exists()


def publish_a_warning_change():
    """Publish a change readers see, so the demo has a public history entry."""
    from django.contrib.auth import get_user_model

    from wagtail_evidence.models import Evidence, PublicChange

    evidence = Evidence.objects.get(title="Convoy in Horadiz")
    evidence.warning_level = "disturbing"
    evidence.warning_categories = ["violence"]
    verifier = get_user_model().objects.get(username="verifier")
    evidence.save_revision(user=verifier).publish(user=verifier)
    assert PublicChange.objects.filter(evidence=evidence, aspect="warning").count() == 1


def choose_to_see_warned_media():
    """A user's own choice in the admin's account settings, so the demo has one."""
    from django.contrib.auth import get_user_model

    from wagtail_evidence.models import AdminPreferences

    verifier = get_user_model().objects.get(username="verifier")
    AdminPreferences.objects.create(user=verifier, warned_media="show")


def claim_a_create_form():
    """The key of the admin form a record was made in, so the demo has one."""
    from django.contrib.auth import get_user_model

    from wagtail_evidence.models import CreateFormKey, Evidence

    evidence = Evidence.objects.get(title="Convoy in Horadiz")
    CreateFormKey.objects.create(
        key="k" * 43,
        user=get_user_model().objects.get(username="editor"),
        evidence=evidence,
        revision=evidence.latest_revision,
    )


def round_trip(executor, app, latest, emptied):
    """Take ``app`` back one migration at a time to its first one, then forward
    to its leaf one at a time, checking every state on the way.

    Return the names of the states visited. Tables dropped on the way are added
    to ``emptied``.
    """
    chain = migration_chain(executor, app)
    visited = []
    for node in [*reversed(chain[:-1]), *chain[1:]]:
        state = migrate(executor, node)
        assert_holds(latest, state, emptied)
        visited.append(node[1])
    return visited


def latest_nodes(executor):
    """The leaf migration of each of our apps."""
    return [migration_chain(executor, app)[-1] for app in (APP, DEMO_APP)]


def test_migrations_go_back_and_forward_keeping_the_demo_content(
    migrated_database, client
):
    from django.contrib.auth import get_user_model
    from newsroom import demo_content
    from newsroom.models import ArticlePage
    from wagtail.models import GroupApprovalTask, Task, Workflow

    from wagtail_evidence.editorial.roles import VERIFICATION_DESK
    from wagtail_evidence.models import EvidenceCheckTask

    call_command("load_demo", password=DEMO_PASSWORD, stdout=io.StringIO())
    publish_a_warning_change()
    choose_to_see_warned_media()
    claim_a_create_form()
    withhold_every_coordinate()
    executor = MigrationExecutor(connection)
    leaves = latest_nodes(executor)
    assert set(executor.loader.applied_migrations) >= set(leaves)
    latest_state = executor.loader.project_state(leaves)
    latest = snapshot(latest_state.apps)
    counts = {table: len(data["rows"]) for table, data in latest.items()}
    assert counts["wagtail_evidence_evidence"] == len(demo_content.EVIDENCE)
    assert counts["newsroom_articlepage"] == 1
    assert {table: counts[table] for table in LOST_IN_ROUND_TRIP} == LOST_IN_ROUND_TRIP

    try:
        emptied = set()
        visited = round_trip(executor, APP, latest, emptied)
        chain = [name for _app, name in migration_chain(executor, APP)]
        assert len(chain) >= 2
        assert visited == [*reversed(chain[:-1]), *chain[1:]]

        # The tables that went away, those of models created after the first
        # migration, are exactly the ones that the round trip empties.
        first = executor.loader.project_state((APP, chain[0])).apps
        added = tables_of(latest_state.apps) - tables_of(first)
        assert added == emptied == {*LOST_IN_ROUND_TRIP, *REBUILT_IN_ROUND_TRIP}

        demo_visited = round_trip(executor, DEMO_APP, latest, emptied)
        # newsroom drops no table
        assert emptied == {*LOST_IN_ROUND_TRIP, *REBUILT_IN_ROUND_TRIP}
        demo_chain = [name for _app, name in migration_chain(executor, DEMO_APP)]
        assert demo_visited == [*reversed(demo_chain[:-1]), *demo_chain[1:]]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest_nodes(executor))

    # Back at the latest state, every table holds what it held, except the lost ones.
    after = snapshot(latest_state.apps)
    assert after.keys() == latest.keys()
    for table in LOST_IN_ROUND_TRIP:
        assert after[table]["rows"] == {}, f"{table} should have come back empty"
    for table, columns in REBUILT_IN_ROUND_TRIP.items():
        assert after[table]["rows"], f"{table} should have been rebuilt"
        assert pairs(after[table]["rows"], columns) == pairs(
            latest[table]["rows"], columns
        )
    for table in (
        latest.keys() - LOST_IN_ROUND_TRIP.keys() - REBUILT_IN_ROUND_TRIP.keys()
    ):
        kept = {
            pk: {
                column: value
                for column, value in row.items()
                if column not in CONVERTED.get(table, ())
            }
            for pk, row in after[table]["rows"].items()
        }
        was = {
            pk: {
                column: value
                for column, value in row.items()
                if column not in CONVERTED.get(table, ())
            }
            for pk, row in latest[table]["rows"].items()
        }
        assert kept == was, f"{table} changed"

    # The reader still gets the article with its evidence.
    article = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    html = client.get(article.url).content.decode()
    assert "Convoy in Horadiz" in html

    # The evidence check came back as Wagtail's group approval by the same group,
    # in the same place in the workflow, and the workflow still runs.
    task = Task.objects.get(name="Evidence check").specific
    assert type(task) is GroupApprovalTask
    assert list(task.groups.values_list("name", flat=True)) == [VERIFICATION_DESK]
    assert not EvidenceCheckTask.objects.exists()
    workflow = Workflow.objects.get(workflow_tasks__task=task)
    assert list(workflow.tasks.values_list("name", flat=True)) == [
        "Evidence check",
        "Moderators approve",
    ]
    editor = get_user_model().objects.get(username="editor")
    state = workflow.start(article, editor)
    assert state.current_task_state.task.specific == task
