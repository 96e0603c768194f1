"""The wheel holds the package and nothing else: no demo site, no tests."""

import tarfile
import zipfile
from pathlib import Path

import pytest
from flit_core import buildapi

import wagtail_evidence
from tests.paths import SOURCE, TESTING_THE_WHEEL


ROOT = SOURCE


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    cwd = Path.cwd()
    try:
        import os

        os.chdir(ROOT)
        wheel = out / buildapi.build_wheel(str(out))
        sdist = out / buildapi.build_sdist(str(out))
    finally:
        os.chdir(cwd)
    return wheel, sdist


def test_the_wheel_contains_only_the_package_with_its_data(built):
    wheel, _ = built
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = f"wagtail_evidence-{wagtail_evidence.__version__}.dist-info/"
    strays = [n for n in names if not n.startswith(("wagtail_evidence/", dist_info))]
    assert strays == []
    for expected in (
        "wagtail_evidence/templates/wagtail_evidence/blocks/evidence.html",
        "wagtail_evidence/static/wagtail_evidence/css/evidence.css",
        "wagtail_evidence/migrations/0001_initial.py",
        "wagtail_evidence/locale/en/LC_MESSAGES/django.po",
        "wagtail_evidence/locale/en/LC_MESSAGES/django.mo",
    ):
        assert expected in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_the_sdist_leaves_out_the_demo_site_and_the_tests(built):
    _, sdist = built
    names = tarfile.open(sdist).getnames()
    assert not any("/example_site/" in n or "/tests/" in n for n in names)
    assert any(n.endswith("/LICENSE") for n in names)


@pytest.mark.skipif(
    not TESTING_THE_WHEEL,
    reason="the suite is testing the working tree (make test runs the wheel)",
)
def test_the_suite_is_testing_the_installed_wheel():
    installed = Path(wagtail_evidence.__file__).resolve().parent
    assert installed != (SOURCE / "wagtail_evidence").resolve()
    assert "site-packages" in installed.parts
