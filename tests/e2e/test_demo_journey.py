"""`make demo` as a newcomer runs it: one command starts the web server, a Celery worker and beat
on SQLite and a broker of files; an export shows the worker rendering the packet, then the
download; Ctrl-C stops every process it started."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

# Seconds: migrating and seeding a new SQLite file on a busy machine, and on a fresh clone the
# first collectstatic (which compresses every file: minutes).
STARTS_WITHIN = 420


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own demo
            return response.status == 200
    except OSError:
        return False


def descendants(pid: int) -> set[int]:
    """The processes started, at any depth, by `pid` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # gone meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rpartition(")")[2].split()[0] != "Z"


class Demo:
    def __init__(self, directory: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = directory / "make-demo.log"
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        with self.log.open("w") as log:
            # A session of its own, as a terminal gives it: Ctrl-C reaches its whole group.
            self.make = subprocess.Popen(
                ["make", "demo", f"PORT={self.port}", f"DEMO_DIR={directory}"],  # noqa: S607
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text()

    def wait_until_it_answers(self) -> float:
        started = time.monotonic()
        while not answers(f"{self.url}/accounts/login/"):
            assert self.make.poll() is None, f"make demo ended:\n{self.output()[-3000:]}"
            assert time.monotonic() - started < STARTS_WITHIN, self.output()[-3000:]
            time.sleep(0.5)
        return time.monotonic() - started

    def press_ctrl_c(self) -> set[int]:
        """SIGINT to the foreground group, as the terminal sends it; answers the processes that
        were running."""
        running = descendants(self.make.pid) | {self.make.pid}
        os.killpg(self.make.pid, signal.SIGINT)
        self.make.wait(timeout=30)
        return running


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    demo = Demo(tmp_path_factory.mktemp("demo"))
    demo.wait_until_it_answers()
    yield demo
    if demo.make.poll() is None:
        demo.press_ctrl_c()


def test_make_demo_answers_with_the_login_page_and_runs_a_worker_and_beat(demo):
    with urllib.request.urlopen(f"{demo.url}/accounts/login/") as response:  # noqa: S310
        assert "Log in to Rubric" in response.read().decode()
    deadline = time.monotonic() + 60
    while not re.search(r"celery@\S+ ready", demo.output()):
        assert time.monotonic() < deadline, demo.output()[-3000:]
        time.sleep(0.5)
    assert "beat: Starting" in demo.output()


def test_an_export_in_the_demo_shows_rendering_then_the_download(demo, page):
    page.goto(f"{demo.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("recruiter@acme.test")
    page.get_by_label("Password").fill("rubric-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Jobs", exact=True).first.click()
    page.get_by_role("link", name="Backend Developer").first.click()
    page.get_by_role("link", name="Mira Okafor").first.click()
    card = page.locator("section.packet")
    card.get_by_role("button", name=re.compile("Export packet|Export again")).click()

    # The worker, not the web server, renders it: the card says so while it works.
    expect(card.get_by_role("status")).to_contain_text("Rendering", timeout=30_000)
    expect(card.get_by_role("link", name="Download the packet")).to_be_visible(timeout=60_000)
    assert re.search(r"Task candidates\.tasks\.build_packet\[\S+\] succeeded", demo.output())


def test_beat_has_the_worker_print_the_reminder_and_the_kit_email_within_a_minute(demo):
    """Beat runs the e-mail tasks every minute in the demo: Grace's overdue feedback and the
    kit of an interview coming up reach the console, from the worker."""
    deadline = time.monotonic() + 120
    wanted = [
        r"worker\.\d+ *\| Subject: Feedback overdue:",
        r"worker\.\d+ *\| Subject: Interview kit:",
    ]
    while not all(re.search(pattern, demo.output()) for pattern in wanted):
        assert time.monotonic() < deadline, demo.output()[-3000:]
        time.sleep(1)


def test_ctrl_c_stops_the_web_server_the_worker_and_beat(demo):
    running = demo.press_ctrl_c()
    assert len(running) >= 5  # make, its shell, honcho, web, worker, beat
    deadline = time.monotonic() + 10
    while [pid for pid in running if alive(pid)]:
        assert time.monotonic() < deadline, [pid for pid in running if alive(pid)]
        time.sleep(0.2)
    assert not answers(f"{demo.url}/accounts/login/")
