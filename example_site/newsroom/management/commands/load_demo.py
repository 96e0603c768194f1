"""Build the demo newsroom: one user per role, the evidence, and the demo article.

Idempotent: whatever already exists is left as it is, so a second run changes
nothing, except the users' password when ``--password`` is given. Every run says
how to sign in.
"""

import copy
import io
import json
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from newsroom import demo_content, stills
from newsroom.models import ArticlePage, HomePage
from wagtail_evidence.editorial.roles import (
    EDITORS,
    MODERATORS,
    VERIFICATION_DESK,
    setup_roles,
)
from wagtail_evidence.media.credentials import c2pa_library
from wagtail_evidence.media.players import aspect_ratio
from wagtail_evidence.models import Appearance, Credit, Evidence, EvidenceCheckTask


RESET_HINT = (
    "To give all four a new password: make demo PASSWORD=<new password> "
    "(or: python manage.py load_demo --password <new password>)."
)
ROLES = {
    "admin": None,
    "editor": EDITORS,
    "verifier": VERIFICATION_DESK,
    "moderator": MODERATORS,
}


class Command(BaseCommand):
    help = "Create the demo newsroom: users admin, editor, verifier, moderator, and the demo article."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for the four demo users, existing ones included (to reset a "
            "forgotten one). Without it, new users get a generated one and existing "
            "users keep theirs.",
        )

    @transaction.atomic
    def handle(self, *args, password=None, **options):
        setup_roles()
        existing = set(
            get_user_model()
            .objects.filter(username__in=ROLES)
            .values_list("username", flat=True)
        )
        missing = sorted(set(ROLES) - existing)
        given = password is not None
        if not given and missing:
            password = secrets.token_urlsafe(12)  # every new user gets a password
        users = {
            name: self.ensure_user(name, group, password, reset=given)
            for name, group in ROLES.items()
        }
        home = self.ensure_home()
        evidence = {
            item["key"]: self.ensure_evidence(item, users["verifier"])
            for item in demo_content.EVIDENCE
        }
        article = self.ensure_article(
            home, evidence, users["editor"], users["moderator"]
        )
        self.ensure_workflow(home)

        self.stdout.write(self.style.SUCCESS(f"Demo article: {article.url}"))
        self.say_how_to_sign_in(password, given, missing, existing)

    def say_how_to_sign_in(self, password, given, missing, existing):
        """On every run: `make demo` ends by pointing at what this printed."""
        self.stdout.write("Sign in at /admin/ as admin, editor, verifier or moderator.")
        if given:
            self.stdout.write("Password for all four: the one given (--password).")
            return
        if not existing:
            self.stdout.write(f"Password for all four: {password}")
            return
        if missing:
            self.stdout.write(
                f"Password for the new users ({', '.join(missing)}): {password}"
            )
            self.stdout.write("The users who already existed keep their passwords.")
        else:
            self.stdout.write(
                "The demo users already existed; their passwords are unchanged."
            )
        self.stdout.write(RESET_HINT)

    def ensure_user(self, username, group_name, password, reset):
        """Create the user with ``password``; an existing one takes it only on ``reset``."""
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@newsroom.example",
                "is_superuser": group_name is None,
                "is_staff": group_name is None,
            },
        )
        if (created or reset) and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        return user

    def ensure_home(self):
        site = Site.objects.get(is_default_site=True)
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(title="Demo newsroom", slug="newsroom")
            )
            welcome = site.root_page
            site.root_page = home
            site.save()
            if welcome.specific_class is Page:  # Wagtail's placeholder welcome page
                welcome.delete()
        return home

    def ensure_evidence(self, spec, verifier):
        existing = Evidence.objects.filter(title=spec["title"]).first()
        if existing is not None:
            return existing
        spec = copy.deepcopy(spec)
        spec.pop("key")
        appearances = spec.pop("appearances", [])
        credits = spec.pop("credits", [])
        tags = spec.pop("tags", [])
        poster = spec.pop("poster", None)
        capture = spec.pop("capture", False)
        evidence = Evidence(**spec)
        evidence.appearances = [Appearance(**appearance) for appearance in appearances]
        evidence.credits = [Credit(**credit) for credit in credits]
        if poster:
            evidence.refresh_media_match()  # the provider gives the poster's shape
            data = stills.still(poster, aspect_ratio(evidence))
            evidence.poster = self.make_poster(poster, data, evidence)
            if capture:  # the desk's capture of the footage: the poster's still
                evidence.original_file = self.make_capture(poster, data, evidence)
        evidence.full_clean()
        evidence.save()
        evidence.tags.add(*tags)
        evidence.save()
        evidence.save_revision(user=verifier).publish(user=verifier)
        return evidence

    def make_poster(self, scene, data, evidence):
        """A still of our own, drawn now (newsroom/stills.py): the demo needs no
        third-party image and keeps no binary file. Its text alternative is the
        record's safe description."""
        image = get_image_model()(
            title=f"Poster: {evidence.title}",
            file=ImageFile(io.BytesIO(data), name=f"poster-{scene}.jpg"),
        )
        image.save()
        return image

    def make_capture(self, scene, data, evidence):
        """The desk's own capture of the footage (the poster's still), as its
        capture tool saves it: with Content Credentials it signs where the c2pa
        extra is installed, without any otherwise. The record's original file;
        saving the record reads its credentials, as for an editor's upload."""
        name = f"desk-capture-{scene}.jpg"
        if c2pa_library() is not None:  # the extra, and the cryptography it brings
            from newsroom.desk_capture import signed_capture

            data = signed_capture(data, name)
        document = get_document_model()(
            title=f"Desk capture: {evidence.title}", file=ContentFile(data, name=name)
        )
        document.save()
        return document

    def ensure_workflow(self, home):
        """Articles under the home page go through the desk's evidence check,
        then the moderators' approval."""
        if WorkflowPage.objects.filter(page=home).exists():
            return
        workflow = Workflow.objects.create(name="Evidence check, then approval")
        steps = [
            (EvidenceCheckTask, "Evidence check", VERIFICATION_DESK),
            (GroupApprovalTask, "Moderators approve", MODERATORS),
        ]
        for order, (task_class, name, group_name) in enumerate(steps):
            task = task_class.objects.create(name=name)
            task.groups.set([Group.objects.get(name=group_name)])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        WorkflowPage.objects.create(workflow=workflow, page=home)

    def ensure_article(self, home, evidence, editor, moderator):
        existing = ArticlePage.objects.filter(slug=demo_content.ARTICLE["slug"]).first()
        if existing is not None:
            return existing
        body = []
        for block in copy.deepcopy(demo_content.BODY):
            value = block["value"]
            if block["type"] == "evidence":
                value["evidence"] = evidence[value["evidence"]].pk
            elif block["type"] == "claim":
                value["evidence"] = [evidence[key].pk for key in value["evidence"]]
            body.append(block)
        article = ArticlePage(
            **demo_content.ARTICLE, body=json.dumps(body), owner=editor
        )
        home.add_child(instance=article)
        article.save_revision(user=editor).publish(user=moderator)
        return article
