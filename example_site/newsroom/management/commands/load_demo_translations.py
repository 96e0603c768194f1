"""Translate the demo article into French and Arabic, citing the same evidence.

Run after ``load_demo``. Idempotent: a language that already has its article is
left as it is. The articles are served at /fr/<slug>/ and /ar/<slug>/, and go
through the same workflow as the English one.
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from wagtail.models import Locale, WorkflowPage

from newsroom import demo_content, demo_translations
from newsroom.models import ArticlePage
from wagtail_evidence.models import Evidence


HOME_TITLES = {"fr": "Rédaction de démonstration", "ar": "غرفة أخبار تجريبية"}
# What stays as it is in every language: choices, references and addresses.
UNTRANSLATED_KEYS = {
    "type",
    "id",
    "evidence",
    "stance",
    "claimant_kind",
    "assessment",
    "claimed_on",
    "claimed_on_precision",
    "source_url",
    "display",
}


class Command(BaseCommand):
    help = "Translate the demo article into French and Arabic; the evidence records stay shared."

    @transaction.atomic
    def handle(self, *args, **options):
        article = ArticlePage.objects.filter(slug=demo_content.ARTICLE["slug"]).first()
        if article is None:
            raise CommandError(
                "Run load_demo first: there is no demo article to translate."
            )
        User = get_user_model()
        editor = User.objects.filter(username="editor").first()
        moderator = User.objects.filter(username="moderator").first()
        titles = dict(Evidence.objects.values_list("pk", "title"))
        workflow = article.get_workflow()
        for language in demo_translations.LANGUAGES:
            translation = self.ensure_translation(
                article, language, titles, editor, moderator
            )
            self.ensure_workflow(translation, workflow)
            self.stdout.write(self.style.SUCCESS(f"{language}: {translation.url}"))

    def ensure_translation(self, article, language, titles, editor, moderator):
        locale, _created = Locale.objects.get_or_create(language_code=language)
        existing = article.get_translation_or_none(locale)
        if existing is not None:
            return existing
        translation = article.copy_for_translation(locale, copy_parents=True)
        home = translation.get_parent().specific
        if not home.live:  # the home page copied with it, as a draft
            home.title = HOME_TITLES[language]
            home.save_revision(user=moderator).publish(user=moderator)
        for field, value in demo_translations.ARTICLES[language].items():
            setattr(translation, field, value)
        body = [
            self.translate_block(block, language, titles)
            for block in article.body.get_prep_value()
        ]
        translation.body = json.dumps(body, cls=DjangoJSONEncoder)
        translation.save_revision(user=editor).publish(user=moderator)
        # Publishing saved the revision's copy of the page: this object still has
        # the English slug in its URL.
        translation.refresh_from_db()
        return translation

    def ensure_workflow(self, translation, workflow):
        """Give each language's home page the English article's workflow. Wagtail
        gives a page the workflow of its nearest ancestor that has one, and each
        language's tree sits beside the English one, not under it: without this,
        the translations could be published without the evidence check (system
        check W002). Also mends a database translated before this was done."""
        home = translation.get_parent()
        if workflow is None or home.get_workflow() == workflow:
            return
        WorkflowPage.objects.update_or_create(
            page=home, defaults={"workflow": workflow}
        )

    def translate_block(self, block, language, titles):
        block = {**block, "value": self.translate_value(block["value"], language)}
        if block["type"] == "evidence" and not block["value"].get("heading"):
            title = titles.get(block["value"].get("evidence"), "")
            block["value"]["heading"] = demo_translations.heading_for(title, language)
        return block

    def translate_value(self, value, language):
        if isinstance(value, str):
            return demo_translations.translate(value, language)
        if isinstance(value, list):
            return [self.translate_value(item, language) for item in value]
        if isinstance(value, dict):
            return {
                key: item
                if key in UNTRANSLATED_KEYS
                else self.translate_value(item, language)
                for key, item in value.items()
            }
        return value
