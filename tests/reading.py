"""How the tests read what readers get: the reader page's HTML and Wagtail API
v2's JSON.

Reads responses only, no model: the suite and the demo's tests (tests/demo/)
share it, each on its own settings.
"""

import re

from bs4 import BeautifulSoup


# The reader page


def read(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(node):
    return re.sub(r"\s+", " ", node.get_text()).strip()


def item(soup, title):
    """The section of the evidence block whose heading or title is ``title``."""
    for section in soup.select("section.evidence"):
        heading = section.select_one(".evidence__heading")
        if heading and text(heading) == title:
            return section
    raise AssertionError(f"no evidence block headed {title!r}")


def facet(section, label):
    for row in section.select(".evidence-facet"):
        if text(row.dt) == label:
            return text(row.dd)
    return None


# The API


def read_api(client, page, **params):
    response = client.get(f"/api/v2/pages/{page.pk}/", params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def values(data, block_type):
    return [child["value"] for child in data["body"] if child["type"] == block_type]


def shown(data, heading):
    """The evidence block whose heading readers see is ``heading``."""
    for value in values(data, "evidence"):
        if not value["withdrawn"] and value["heading"] == heading:
            return value
    raise AssertionError(f"no evidence block headed {heading!r}")


def facets(value):
    return {facet["key"]: facet for facet in value["evidence"]["badge"]["facets"]}


def claim_by(data, claimant):
    return next(
        value for value in values(data, "claim") if value["claimant"] == claimant
    )
