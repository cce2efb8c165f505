"""The demo service as `flask demo-data` and a worker leave it, loaded once per test process and put back into each
test's database and files: loading it makes 44 certificates, photos and their renditions (seconds), putting its
rows and files back takes a fraction of that."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from flask import Flask

from portal.core.db import db
from portal.demo import load_demo_data
from tests.db_snapshot import Snapshot
from tests.jobs import drain_jobs

# What the demo leaves in VAR_DIR besides its database: stored files and the emails it sent.
_KEPT_DIRS = ("files", "mail")


class DemoCopy:
    def __init__(self) -> None:
        self._rows: Snapshot | None = None
        self._files: Path | None = None

    def put_into(self, app: Flask) -> None:
        """The demo in `app`'s (empty) database and VAR_DIR (local files, as `make run` keeps them), its queued work
        done. Needs `app`'s context pushed.
        The first call loads it for real (load_demo_data, then a worker's drain) and keeps a copy."""
        var_dir = Path(app.config["VAR_DIR"])
        if self._rows is None:
            load_demo_data()
            db.session.commit()
            db.session.remove()
            drain_jobs(app)
            self._rows = Snapshot.take({}, left_out=frozenset())  # the audit trail too: its chain comes back whole
            self._files = Path(tempfile.mkdtemp(prefix="hearth-demo-copy-"))
            atexit.register(shutil.rmtree, self._files, True)
            for name in _KEPT_DIRS:
                if (var_dir / name).exists():
                    shutil.copytree(var_dir / name, self._files / name)
            return
        self._rows.restore({})
        for name in _KEPT_DIRS:
            if (self._files / name).exists():
                shutil.copytree(self._files / name, var_dir / name, dirs_exist_ok=True)
        db.session.remove()


DEMO = DemoCopy()
