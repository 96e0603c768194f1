"""Progress by test file when the tests run in several processes (pytest-xdist).

Without -n, pytest names each file as it runs it. With -n (as `make test` runs,
for minutes), it prints a dot a test and no file name, and -v prints a line a
test, over a thousand of them. So in the process that gathers the workers'
reports, this prints a line per file instead of the dots, once the file's last
test is done, with its outcomes, how many tests of the run are done, and the
time since the start:

    tests/test_api.py: 23 passed, 1 skipped                       [ 147/1204] 0:41

Failures and errors are also named as they happen, and reported in full at the
end as usual. tests/conftest.py registers it (``register``).
"""

import shutil
import time
from collections import Counter, defaultdict

import pytest


# The order pytest's own summary gives the outcomes in.
OUTCOMES = ("failed", "passed", "skipped", "xfailed", "xpassed", "error")


class FileProgress:
    name = "wagtail-evidence-file-progress"

    def __init__(self, config):
        self.config = config
        self.tests_per_file = None  # from the first worker's collection
        self.collected = 0
        self.done = Counter()
        self.outcomes = defaultdict(Counter)
        self.finished = 0
        self.started = time.monotonic()

    @property
    def reporter(self):
        return self.config.pluginmanager.get_plugin("terminalreporter")

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        if self.tests_per_file is None:
            self.tests_per_file = Counter(nodeid.split("::")[0] for nodeid in ids)
            self.collected = len(ids)

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(self, report, config):
        category, letter, word = yield
        # The letter is the dot (or F, s, E) the terminal prints for a report;
        # the word stays for the summary at the end.
        return category, "", word

    def pytest_runtest_logreport(self, report):
        if self.tests_per_file is None:
            return
        path = report.nodeid.split("::")[0]
        category = self.config.hook.pytest_report_teststatus(
            report=report, config=self.config
        )[0]
        if category in OUTCOMES:
            self.outcomes[path][category] += 1
        if report.failed:
            what = "ERROR" if report.when != "call" else "FAILED"
            self.reporter.write_line(f"{what} {report.nodeid}", red=True)
        if report.when != "teardown":
            return
        self.done[path] += 1
        self.finished += 1
        if self.done[path] == self.tests_per_file.get(path):
            self.write_file_line(path)

    def write_file_line(self, path):
        outcomes = self.outcomes[path]
        said = ", ".join(
            f"{outcomes[outcome]} {outcome}"
            for outcome in OUTCOMES
            if outcomes[outcome]
        )
        line, red = f"{path}: {said}", bool(outcomes["failed"] or outcomes["error"])
        if self.finished == self.collected:
            # pytest ends the line with its own [100%] once the run is over.
            self.reporter.write(line, red=red)
            return
        width = len(str(self.collected))
        elapsed = int(time.monotonic() - self.started)
        progress = f"[{self.finished:{width}d}/{self.collected}] {elapsed // 60}:{elapsed % 60:02d}"
        room = shutil.get_terminal_size().columns - len(progress) - 1
        self.reporter.write_line(f"{line:<{room}} {progress}", red=red)


def register(config):
    """For runs with -n and without -v, in the process that gathers the reports
    (not in the workers)."""
    if (
        config.getoption("dist", "no") != "no"
        and not hasattr(config, "workerinput")
        and config.option.verbose <= 0
    ):
        config.pluginmanager.register(FileProgress(config), FileProgress.name)
