"""The reader's assets stay within their budgets and need nothing else."""

import gzip
import re
from pathlib import Path

import pytest

import wagtail_evidence


STATIC = Path(wagtail_evidence.__file__).parent / "static" / "wagtail_evidence"
# Bytes, gzipped: the reader script 3 KB, the stylesheet 4 KB (issue #13).
BUDGETS = {"js/evidence.js": 3 * 1024, "css/evidence.css": 4 * 1024}


@pytest.mark.parametrize("asset", sorted(BUDGETS))
def test_each_reader_asset_is_within_its_budget_gzipped(asset):
    size = len(gzip.compress((STATIC / asset).read_bytes(), compresslevel=9))
    print(f"{asset}: {size} bytes gzipped")
    assert size <= BUDGETS[asset]


def test_the_script_has_no_dependencies_and_no_network_calls():
    script = (STATIC / "js" / "evidence.js").read_text()
    assert not re.search(
        r"\b(import|require|fetch|XMLHttpRequest|eval|innerHTML|document\.write)\b",
        script,
    )


def test_the_stylesheet_loads_nothing_and_respects_reduced_motion():
    css = (STATIC / "css" / "evidence.css").read_text()
    assert "url(" not in css and "@import" not in css
    assert "prefers-reduced-motion" in css


def test_the_admin_covers_load_nothing_but_the_list_of_warned_images():
    """The admin's stylesheet and script for warned media: nothing from another
    site, no markup built from text, motion only for those who accept it."""
    css = (STATIC / "css" / "admin.css").read_text()
    assert "url(" not in css and "@import" not in css
    assert "prefers-reduced-motion: no-preference" in css
    script = (STATIC / "js" / "admin-warned-media.js").read_text()
    assert not re.search(
        r"\b(import|require|XMLHttpRequest|eval|innerHTML|insertAdjacentHTML|document\.write)\b",
        script,
    )
    # One request, to the address the server gives (its own admin URL).
    assert re.findall(r"\bfetch\(([^,)]*)", script) == ["source"]
    assert "autoplay" not in script and ".play(" not in script
