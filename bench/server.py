"""Start and stop a Streamlit server on loopback for the browser measurements."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class StreamlitServer:
    """``with StreamlitServer(script, env) as url:`` — a headless server, stopped on exit.

    Output goes to a temporary log file (not a pipe, which could fill up and stall the
    server under 25 sessions); the log's tail is shown if the server fails to start.
    """

    def __init__(self, script: Path, env: dict[str, str] | None = None,
                 cwd: Path = ROOT, static: bool = True) -> None:
        self.script, self.env, self.cwd, self.static = script, env or {}, cwd, static
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="bench-streamlit-", suffix=".log",
                                               delete=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> str:
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.script),
               "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false",
               "--server.enableStaticServing", str(self.static).lower()]
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, env={**os.environ, **self.env},
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self.url
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        tail = Path(self.log.name).read_text(errors="replace")[-2000:]
        raise RuntimeError(f"streamlit did not start for {self.script}:\n{tail}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def floor_site(workdir: Path) -> Path:
    """A folder holding a copy of the floor script and a link to the map geometry.

    Streamlit serves ``static/`` next to the main script, so the floor must sit beside a
    ``static`` folder to draw maps from the same local geometry as the dashboard.
    """
    import shutil

    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "floor_app.py"
    shutil.copyfile(Path(__file__).with_name("floor_app.py"), script)
    link = workdir / "static"
    if not link.exists():
        link.symlink_to(ROOT / "static", target_is_directory=True)
    return script
