"""Run inside the site built from the README (test_readme_install.py): an
administrator's first article, through the admin over HTTP. Prints one JSON
object: what each step answered, for the test to check."""

import json
import sys

import django
from bs4 import BeautifulSoup


django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.test.utils.form_data import nested_form_data, streamfield  # noqa: E402

from tests.admin_forms import form_data  # noqa: E402
from wagtail_evidence.models import Evidence  # noqa: E402


client = Client()
assert client.login(username="admin", password=sys.argv[1])
steps = {}


def texts(response, selector):
    page = BeautifulSoup(response.content, "html.parser")
    return [" ".join(node.get_text().split()) for node in page.select(selector)]


def messages(response):
    return texts(response, ".messages li")


def form_errors(response):
    return texts(response, ".error-message")


def answer(name, response):
    steps[name] = {
        "status": response.status_code,
        "chain": [status for _, status in getattr(response, "redirect_chain", [])],
        "messages": messages(response),
        "errors": form_errors(response),
    }


# A new Evidence record: a draft until someone publishes it.
add_evidence = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
data = form_data(client.get(add_evidence))
data.update(title="Convoy in Horadiz", media_url="https://t.me/demo_observers/2533")
answer("evidence saved", client.post(add_evidence, data, follow=True))
evidence = Evidence.objects.get(title="Convoy in Horadiz")
steps["evidence live after saving"] = evidence.live

# A new article citing it, published at once: the form says why it cannot be.
home = Page.objects.get(depth=2)
add_article = reverse("wagtailadmin_pages:add", args=["news", "articlepage", home.pk])
data = form_data(client.get(add_article))
body = streamfield(
    [
        (
            "evidence",
            {"evidence": evidence.pk, "heading": "", "caption": "", "display": ""},
        )
    ]
)
data.update(nested_form_data({"body": body}))
data.update(title="Fighters on the front", slug="fighters")
answer(
    "new article published citing a draft",
    client.post(add_article, {**data, "action-publish": "1"}, follow=True),
)
steps["new article made by the refused publish"] = Page.objects.filter(
    slug="fighters"
).exists()

# Saved as a draft, then published from its editor: refused, the draft kept.
answer("article saved", client.post(add_article, data, follow=True))
article = Page.objects.get(slug="fighters").specific
edit_article = reverse("wagtailadmin_pages:edit", args=[article.pk])
# The editor's browser posts the body the admin's JavaScript builds from the page.
data = {**form_data(client.get(edit_article)), **nested_form_data({"body": body})}
answer(
    "article published citing a draft",
    client.post(edit_article, {**data, "action-publish": "1"}, follow=True),
)
article.refresh_from_db()
steps["article live after refusal"] = article.live

# Bulk publish from the page listing: refused too, with a message.
bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
url = f"{bulk}?id={article.pk}&next={reverse('wagtailadmin_explore', args=[home.pk])}"
answer("bulk publish citing a draft", client.post(url, {}, follow=True))
article.refresh_from_db()
steps["article live after bulk refusal"] = article.live

# The record published, then the article.
edit_evidence = reverse(
    "wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk]
)
data = form_data(client.get(edit_evidence))
data["action-publish"] = "1"
answer("evidence published", client.post(edit_evidence, data, follow=True))
data = {**form_data(client.get(edit_article)), **nested_form_data({"body": body})}
data["action-publish"] = "1"
answer("article published", client.post(edit_article, data, follow=True))
article.refresh_from_db()
steps["article live"] = article.live

reader = client.get(article.url)
steps["reader page"] = {
    "status": reader.status_code,
    "cites the record": "Convoy in Horadiz" in reader.content.decode(),
}
print(json.dumps(steps))
