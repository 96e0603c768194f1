"""The supported version matrix, each cell testing the built wheel, not the
working tree.

    nox                                        # every cell, on SQLite
    nox -s tests-3.11-django5.2-wagtail8.0     # one cell (what `make test` runs)
    nox -s tests-3.11-django5.2-wagtail8.0 -- --create-db -k reader   # arguments go to pytest
    nox -s tests-3.11-django5.2-wagtail8.0 -- tests/demo/test_load_demo.py   # one file

Set DATABASE_URL to run a cell on PostgreSQL. Each cell builds the wheel, installs
it with the cell's Django and Wagtail, copies the tests and the demo site beside
it (so that the checkout's package cannot shadow the wheel) and runs pytest
there twice: the suite on its own site (tests/testapp), then the demo's tests on
the demo's settings (tests/demo). Both runs take the arguments; paths go to the
run they belong to, and a run given none of the paths is left out. The two
Django 6 cells each run a share of the suite's files (SHARDS), unless given
paths.
"""

import os
import re
import shutil
from pathlib import Path

import nox


ROOT = Path(__file__).resolve().parent
# The wheel's name, known before it is built: flit takes the version from here.
VERSION = re.search(
    r'^__version__ = "([^"]+)"',
    (ROOT / "wagtail_evidence" / "__init__.py").read_text(),
    re.MULTILINE,
)[1]
# (Python, Django, Wagtail): Django 6.0 and 6.1 need Python 3.12 or later.
MATRIX = [
    ("3.11", "5.2", "7.4"),
    ("3.11", "5.2", "8.0"),
    ("3.12", "6.0", "8.0"),
    ("3.13", "6.1", "8.0"),
]
MAIN = ("3.11", "5.2", "8.0")
# The browser tests and the shared security corpora take most of a run's time
# and test escaping and what pages do in Chromium, which the versions change
# little: only the main cell runs them. The other cells run everything else.
# So do the cost and scale tests (hundreds of rows, to show a count stays flat):
# a count is the ORM's and ours, not the version's.
OTHER_CELLS_SKIP = "not bench and not browser and not corpus and not scale"
# The site built from the README (tests/readme_site) takes a minute and a half a
# cell and tests Wagtail's project template with the README's steps: it runs once
# for each Wagtail release, in the main cell and in the 7.4 cell.
SAME_WAGTAIL_SKIP = f"{OTHER_CELLS_SKIP} and not readme"
# The demo's tests run on the demo's settings, in a run of their own. The other
# cells run the part that depends on the versions: the demo loads, and its
# migrations go back and forward; what its pages show is the main cell's.
DEMO_TESTS = "tests/demo"
DEMO_TESTS_OTHER_CELLS = [
    "tests/demo/test_load_demo.py",
    "tests/demo/test_migrations.py",
]
DEMO_SETTINGS = "tests.demo.settings"
# The two Django 6 cells share the suite's files between them rather than each
# running them all: every test still runs on every Wagtail release, on Django
# 5.2 and on a Django 6 with a newer Python, and the whole run stays within CI's
# 40 minutes on a slow machine (each cell costs 4 to 7 minutes). (index, count)
# of each cell's share; the demo's tests above run in both.
SHARDS = {
    ("3.12", "6.0", "8.0"): (0, 2),
    ("3.13", "6.1", "8.0"): (1, 2),
}

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = [
    f"tests-{python}-django{django}-wagtail{wagtail}"
    for python, django, wagtail in MATRIX
]


def copy_suite(destination):
    """The tests, the demo site and the pytest settings, without the package."""
    if destination.exists():
        shutil.rmtree(destination)
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.sqlite3", "media", "static_collected"
    )
    for name in ("tests", "example_site"):
        shutil.copytree(ROOT / name, destination / name, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", destination / "pyproject.toml")


def shard_of(suite, index, count):
    """The suite's test files (the demo's aside) in ``count`` shares of about the
    same size, the largest file first into the smallest share; return share
    ``index``. A file's size stands for its cost: the same files fall in the same
    share on every run."""
    files = sorted(
        (
            path
            for path in (suite / "tests").rglob("test_*.py")
            if "demo" not in path.parts
        ),
        key=lambda path: (-path.stat().st_size, str(path)),
    )
    if not files:  # a share of nothing would run the whole suite
        raise FileNotFoundError(f"no test files under {suite / 'tests'}")
    shares = [[] for _ in range(count)]
    sizes = [0] * count
    for path in files:
        smallest = sizes.index(min(sizes))
        shares[smallest].append(str(path.relative_to(suite)))
        sizes[smallest] += path.stat().st_size
    return sorted(shares[index])


def runs(posargs, demo_tests=(DEMO_TESTS,), suite_tests=()):
    """The cell's two pytest runs, as (options and paths) for each: the suite,
    then the demo's tests (``demo_tests`` unless paths under tests/demo are
    given). The paths in ``posargs`` (under tests/) go to their own run; an
    option's value, such as a marker expression, is no path."""
    paths = [arg for arg in posargs if Path(arg.split("::")[0]).parts[:1] == ("tests",)]
    options = [arg for arg in posargs if arg not in paths]
    demo = [path for path in paths if Path(path).parts[:2] == ("tests", "demo")]
    others = [path for path in paths if path not in demo]
    if others or not paths:
        yield [*options, *(others or suite_tests)]
    if demo or not paths:
        yield ["--ds", DEMO_SETTINGS, *options, *(demo or demo_tests)]


def make_cell(python, django, wagtail):
    @nox.session(name=f"tests-{python}-django{django}-wagtail{wagtail}", python=python)
    def cell(session):
        tmp = Path(session.create_tmp())
        # The install is all run_install and install, so that `nox --install-only`
        # builds a cell completely (CI builds every cell's venv at once, while
        # it lints: .ci/run) and `nox -R` then runs the tests in it.
        dist = tmp / "dist"
        session.install("pip>=24")
        session.run_install(
            "python",
            "-c",
            f"import shutil; shutil.rmtree({str(dist)!r}, ignore_errors=True)",
        )
        session.run_install(
            "python",
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(dist),
            str(ROOT),
        )
        session.install(
            f"{dist}/wagtail_evidence-{VERSION}-py3-none-any.whl[testing]",
            f"django~={django}.0",
            f"wagtail~={wagtail}.0",
        )
        suite = tmp / "suite"
        copy_suite(suite)
        main = (python, django, wagtail) == MAIN
        marks = ["-m", SAME_WAGTAIL_SKIP if wagtail == MAIN[2] else OTHER_CELLS_SKIP]
        if main:
            # CI runs the main cell's browser part here, on SQLite, and the rest
            # on PostgreSQL (.ci/run), rather than the rest twice.
            marks = (
                ["-m", os.environ["MAIN_CELL_MARKS"]]
                if os.environ.get("MAIN_CELL_MARKS")
                else []
            )
        # The docs' screenshots come from the main cell only (`make screenshots`
        # names docs/screenshots); the other cells (another Wagtail, another
        # Django) keep any they take in their own folder.
        screenshots = (
            {} if main else {"WAGTAIL_EVIDENCE_SCREENSHOTS": str(tmp / "screenshots")}
        )
        # Before the chdir below: the suite's path may be relative to here.
        shard = SHARDS.get((python, django, wagtail))
        suite_tests = shard_of(suite, *shard) if shard else ()
        session.chdir(suite)
        # A keyword may select nothing in one of the two runs (pytest's exit 5).
        success_codes = [0, 5] if "-k" in session.posargs else [0]
        demo_tests = [DEMO_TESTS] if main else DEMO_TESTS_OTHER_CELLS
        for arguments in runs(session.posargs, demo_tests, suite_tests):
            session.run(
                # Three workers (pytest-xdist), each with its own test database:
                # the browser tests wait on pages, so one more than two cores
                # pays. loadgroup keeps a module marked xdist_group on one
                # worker, in a row. tests/progress.py prints a line per test
                # file as it is done, rather than xdist's dots.
                "python",
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "--numprocesses",
                "3",
                "--dist",
                "loadgroup",
                # The slowest tests, named in every run's log: where CI's time goes.
                "--durations",
                "15",
                *marks,
                *arguments,
                env={
                    "WAGTAIL_EVIDENCE_SOURCE": str(ROOT),
                    "WAGTAIL_EVIDENCE_TEST_WHEEL": "1",
                    **screenshots,
                },
                success_codes=success_codes,
            )

    return cell


for _cell in MATRIX:
    make_cell(*_cell)
