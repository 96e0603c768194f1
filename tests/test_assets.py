"""The reader's assets stay within their budgets and need nothing else."""

import gzip
import re
from pathlib import Path

import pytest

import wagtail_evidence


STATIC = Path(wagtail_evidence.__file__).parent / "static" / "wagtail_evidence"
BUDGET = 3 * 1024  # bytes, gzipped


@pytest.mark.parametrize("asset", ["js/evidence.js", "css/evidence.css"])
def test_each_reader_asset_is_within_3_kb_gzipped(asset):
    size = len(gzip.compress((STATIC / asset).read_bytes(), compresslevel=9))
    print(f"{asset}: {size} bytes gzipped")
    assert size <= BUDGET


def test_the_script_has_no_dependencies_and_no_network_calls():
    script = (STATIC / "js" / "evidence.js").read_text()
    assert not re.search(r"\b(import|require|fetch|XMLHttpRequest|eval|innerHTML|document\.write)\b", script)


def test_the_stylesheet_loads_nothing_and_respects_reduced_motion():
    css = (STATIC / "css" / "evidence.css").read_text()
    assert "url(" not in css and "@import" not in css
    assert "prefers-reduced-motion" in css
