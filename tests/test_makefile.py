"""The Makefile as a newcomer meets it: `make install` with a wrong Python, or
after one; `make test` leaving the checkout as it was, and `make screenshots`
refreshing the docs' pictures on purpose. The interpreters here are shell
scripts that play a Python, so no test installs anything."""

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import DEFAULT_SCREENSHOTS, SOURCE


MAKE = shutil.which("make")
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(
    not MAKE or not (SOURCE / "Makefile").exists(),
    reason=f"make is not installed, or {SOURCE} has no Makefile",
)

# Plays a Python too old for the package: it answers the version question and
# fails everything else, as Python 3.9 fails requires-python.
OLD_PYTHON = """\
#!/bin/sh
case "$*" in *python_version*) echo 3.9.18; exit 0;; esac
exit 1
"""
# Plays a Python that works: `-m venv DIR` makes DIR a venv whose python is this
# script; everything else (the version test, pip) succeeds.
GOOD_PYTHON = """\
#!/bin/sh
if [ "$1" = -m ] && [ "$2" = venv ]; then
    mkdir -p "$3/bin" && echo "home = /fake" > "$3/pyvenv.cfg"
    [ -e "$3/bin/python" ] || ln -s "$0" "$3/bin/python"
fi
exit 0
"""


def script(path, text):
    path.write_text(text)
    path.chmod(0o755)
    return path


def make(*args):
    # An outer make (make test runs the suite) must not lend its flags, nor the
    # variables given on its command line, which make exports to its recipes
    # (CI's PostgreSQL run sets NOX_ARGS and PYTEST_ARGS).
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "NOX_ARGS", "PYTEST_ARGS"}
    }
    env["LC_ALL"] = "C"  # make's own messages, in English
    return subprocess.run(  # noqa: S603 - make, with our own arguments
        [MAKE, "--no-print-directory", "-C", str(SOURCE), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def good_python(tmp_path):
    return script(tmp_path / "python-good", GOOD_PYTHON)


@pytest.fixture
def half_made_venv(tmp_path):
    """What a failed install leaves: a venv whose Python is too old (as
    `make install PYTHON=python3.9` left one, before such a Python was refused up
    front) and no stamp."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /old\n")
    script(venv / "bin" / "python", OLD_PYTHON)
    return venv


def test_a_python_too_old_is_refused_before_anything_is_made(tmp_path):
    venv = tmp_path / "venv"
    old = script(tmp_path / "python3.9", OLD_PYTHON)
    result = make("install", f"VENV={venv}", f"PYTHON={old}")
    assert result.returncode != 0
    assert f"PYTHON={old} is Python 3.9.18" in result.stderr
    assert "needs Python 3.11 or later" in result.stderr
    assert "make install PYTHON=python3.11" in result.stderr
    assert not venv.exists()


def test_a_python_that_does_not_run_is_named(tmp_path):
    venv = tmp_path / "venv"
    result = make("install", f"VENV={venv}", f"PYTHON={tmp_path / 'no-such-python'}")
    assert result.returncode != 0
    assert "is not a Python that runs here" in result.stderr
    assert not venv.exists()


def test_a_venv_left_by_a_failed_install_is_made_afresh(half_made_venv, good_python):
    leftover = half_made_venv / "leftover"
    leftover.touch()
    result = make("install", f"VENV={half_made_venv}", f"PYTHON={good_python}")
    assert result.returncode == 0, result.stderr
    assert "making it afresh" in result.stdout
    assert not leftover.exists()
    assert (half_made_venv / "bin" / "python").resolve() == good_python.resolve()
    assert (half_made_venv / ".installed-stamp").exists()


def test_a_broken_venv_is_made_afresh_even_with_a_stamp(half_made_venv, good_python):
    """Its Python removed or replaced since the install: the stamp's date says
    nothing about that."""
    (half_made_venv / ".installed-stamp").touch()
    result = make("install", f"VENV={half_made_venv}", f"PYTHON={good_python}")
    assert result.returncode == 0, result.stderr
    assert "making it afresh" in result.stdout
    assert (half_made_venv / "bin" / "python").resolve() == good_python.resolve()


def test_a_working_venv_is_left_as_it_is(tmp_path, good_python):
    venv = tmp_path / "venv"
    assert make("install", f"VENV={venv}", f"PYTHON={good_python}").returncode == 0
    kept = venv / "kept"
    kept.touch()
    result = make("install", f"VENV={venv}", f"PYTHON={good_python}")
    assert result.returncode == 0, result.stderr
    assert "Nothing to be done" in result.stdout
    assert kept.exists()


def test_a_folder_that_is_no_venv_is_never_removed(tmp_path, good_python):
    folder = tmp_path / "not-a-venv"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = make("install", f"VENV={folder}", f"PYTHON={good_python}")
    assert result.returncode != 0
    assert "is not a virtual environment" in result.stderr
    assert (folder / "notes.txt").read_text() == "mine"


# Screenshots: `make test` writes them where git does not look; `make screenshots`
# refreshes the docs' on purpose.


def screenshots_folder(**env):
    """tests.paths.SCREENSHOTS as a fresh process computes it, with ``env``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "WAGTAIL_EVIDENCE_SCREENSHOTS"
    }
    environment.update(WAGTAIL_EVIDENCE_SOURCE=str(SOURCE), **env)
    return Path(
        subprocess.run(  # noqa: S603 - this interpreter, our own module
            [
                sys.executable,
                "-c",
                "from tests.paths import SCREENSHOTS; print(SCREENSHOTS)",
            ],
            cwd=Path(__file__).resolve().parents[1],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )


def test_test_runs_save_their_screenshots_outside_the_docs():
    folder = screenshots_folder()
    assert folder == SOURCE / DEFAULT_SCREENSHOTS
    assert SOURCE / "docs" not in folder.parents
    if not GIT or not (SOURCE / ".git").exists():
        pytest.skip("not a git checkout: cannot ask git what it ignores")
    ignored = subprocess.run(  # noqa: S603 - git, with our own paths
        [GIT, "check-ignore", "--quiet", str(folder / "admin-evidence-list.png")],
        cwd=SOURCE,
    )
    assert ignored.returncode == 0, f"git does not ignore {folder}"


def test_make_screenshots_refreshes_the_docs_pictures_in_the_main_cell():
    folder = screenshots_folder(WAGTAIL_EVIDENCE_SCREENSHOTS="docs/screenshots")
    assert folder == SOURCE / "docs" / "screenshots"
    dry_run = make("-n", "screenshots")
    assert dry_run.returncode == 0, dry_run.stderr
    command = dry_run.stdout.strip().splitlines()[-1]
    assert command.startswith("WAGTAIL_EVIDENCE_SCREENSHOTS=docs/screenshots ")
    assert "-s tests-3.11-django5.2-wagtail8.0 " in command
    assert command.endswith("-- -m screenshots tests/demo/browser")


@functools.cache
def noxfile():
    """noxfile.py, loaded once: nox registers its sessions as it loads."""
    spec = importlib.util.spec_from_file_location("noxfile", SOURCE / "noxfile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nox_runs(posargs):
    """The pytest runs a nox cell makes of its arguments."""
    return list(noxfile().runs(posargs))


def test_make_screenshots_runs_the_demos_browser_tests_on_the_demos_settings():
    """The cell's arguments after `--`: a marker expression is no path, and the
    demo's tests run on the demo's settings, alone."""
    command = make("-n", "screenshots").stdout.strip().splitlines()[-1]
    posargs = command.split(" -- ", 1)[1].split()
    assert nox_runs(posargs) == [
        ["--ds", "tests.demo.settings", "-m", "screenshots", "tests/demo/browser"]
    ]


def test_make_test_runs_the_suite_then_the_demos_tests():
    assert nox_runs(["-x"]) == [
        ["-x"],
        ["--ds", "tests.demo.settings", "-x", "tests/demo"],
    ]
    assert nox_runs(["-k", "gate", "tests/test_publish_gate.py::test_one"]) == [
        ["-k", "gate", "tests/test_publish_gate.py::test_one"]
    ]


def test_the_other_cells_run_the_demos_loading_and_migrations_only():
    """Every cell but the main one runs the demo's version-bound part, unless
    it is given demo paths of its own."""
    module = noxfile()
    other = list(module.runs(["-x"], module.DEMO_TESTS_OTHER_CELLS))
    assert other == [
        ["-x"],
        [
            "--ds",
            "tests.demo.settings",
            "-x",
            "tests/demo/test_load_demo.py",
            "tests/demo/test_migrations.py",
        ],
    ]
    assert all((SOURCE / path).is_file() for path in module.DEMO_TESTS_OTHER_CELLS)
    chosen = list(
        module.runs(["tests/demo/test_api.py"], module.DEMO_TESTS_OTHER_CELLS)
    )
    assert chosen == [["--ds", "tests.demo.settings", "tests/demo/test_api.py"]]


def test_the_django_6_cells_share_the_suite_each_file_once():
    """Between them, the two Django 6 cells run every test file of the suite
    once (the demo's aside, which each runs in part), in shares of about the
    same size; paths given to a cell are run instead of its share."""
    module = noxfile()
    assert sorted(module.SHARDS.values()) == [(0, 2), (1, 2)]
    shares = [module.shard_of(SOURCE, index, 2) for index in (0, 1)]
    every_file = sorted(
        str(path.relative_to(SOURCE))
        for path in (SOURCE / "tests").rglob("test_*.py")
        if "demo" not in path.parts
    )
    assert "tests/test_admin_doors.py" in every_file
    assert sorted(shares[0] + shares[1]) == every_file
    assert not set(shares[0]) & set(shares[1])
    sizes = [sum((SOURCE / path).stat().st_size for path in share) for share in shares]
    assert max(sizes) < 1.2 * min(sizes)
    runs = list(module.runs(["-x"], module.DEMO_TESTS_OTHER_CELLS, shares[0]))
    assert runs[0] == ["-x", *shares[0]]
    assert runs[1][-2:] == module.DEMO_TESTS_OTHER_CELLS
    given = list(module.runs(["tests/test_reader.py"], (), shares[0]))
    assert given == [["tests/test_reader.py"]]
    cells = {(cell[0], cell[1], cell[2]) for cell in module.MATRIX}
    assert set(module.SHARDS) <= cells - {module.MAIN}
    assert {django for _python, django, _wagtail in module.SHARDS} == {"6.0", "6.1"}


def test_a_share_of_a_folder_without_tests_is_an_error_not_the_whole_suite(tmp_path):
    """No files found (a wrong folder) must not run every test in a share's
    place: an empty share means the whole suite to pytest."""
    with pytest.raises(FileNotFoundError):
        noxfile().shard_of(tmp_path, 0, 2)
