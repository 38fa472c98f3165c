"""The tests marked `sqlite` run a second time on the demo's database, SQLite in a file (threads
share it, as the demo's web server and worker do), with the settings the demo has:
`pytest --ds config.test_settings_sqlite -m sqlite` (`make test` runs them)."""

import os
import tempfile
from pathlib import Path

os.environ["DATABASE_URL"] = "sqlite:///" + str(Path(tempfile.gettempdir()) / "rubric.sqlite3")

from config.test_settings import *  # noqa: E402, F403

# A file of this process's own (pytest-django adds the xdist worker's name to it).
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": str(Path(tempfile.gettempdir()) / f"rubric-tests-{os.getpid()}.sqlite3")
}
