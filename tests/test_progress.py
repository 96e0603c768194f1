"""`make test` runs pytest in several processes: its output names each test file
as it is done (tests/progress.py), where pytest-xdist alone prints dots."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import progress


SUITE = Path(progress.__file__).resolve().parents[1]
TESTS = {
    "conftest.py": """
        from tests import progress

        def pytest_configure(config):
            progress.register(config)
    """,
    "test_calm.py": """
        def test_one(): pass
        def test_two(): pass
        def test_three(): pass
    """,
    "test_rough.py": """
        import pytest

        @pytest.fixture
        def broken():
            raise RuntimeError("no")

        def test_passes(): pass
        def test_fails(): assert 1 == 2
        @pytest.mark.skip(reason="not today")
        def test_skipped(): pass
        def test_errors(broken): pass
    """,
    "pytest.ini": "[pytest]\n",
}


@pytest.fixture
def run_pytest(tmp_path):
    for name, text in TESTS.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "PYTEST_ADDOPTS"}
    }
    environment.update(PYTHONPATH=str(SUITE), COLUMNS="80")

    def run(*args):
        return subprocess.run(  # noqa: S603 - this interpreter's pytest
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
            + ["-p", "no:django", "-p", "no:hypothesispytest", "-ra", *args],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout

    return run


def test_with_workers_each_file_gets_a_line_with_its_outcomes(run_pytest):
    output = run_pytest("-n", "2")
    lines = output.splitlines()
    files = [line for line in lines if re.match(r"test_\w+\.py: ", line)]
    assert len(files) == 2
    assert any(line.startswith("test_calm.py: 3 passed ") for line in files)
    assert any(
        line.startswith("test_rough.py: 1 failed, 1 passed, 1 skipped, 1 error ")
        for line in files
    )
    # How far the run is, and since when; pytest's own [100%] ends the last line.
    assert re.search(r" \[\d/7\] \d+:\d\d$", files[0])
    assert files[1].endswith(" [100%]")
    # Failures are named as they happen, before their file's line.
    rough = next(
        index for index, line in enumerate(lines) if line.startswith("test_rough.py: ")
    )
    assert lines.index("FAILED test_rough.py::test_fails") < rough
    assert lines.index("ERROR test_rough.py::test_errors") < rough
    # No line of dots; the summary at the end is pytest's own.
    assert not re.search(r"^[.sFE]+ *(\[.*\])?$", output, re.M)
    assert "FAILED test_rough.py::test_fails - assert 1 == 2" in output
    assert "1 failed, 4 passed, 1 skipped, 1 error" in lines[-1]


def test_in_one_process_pytest_names_the_files_as_usual(run_pytest):
    output = run_pytest("-p", "no:xdist")
    assert "test_calm.py ..." in output
    assert "test_calm.py: 3 passed" not in output
