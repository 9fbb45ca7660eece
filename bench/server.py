"""Start and stop a Streamlit server on loopback for the measurements.

The dashboard is started with the command ``make run`` runs (``run_command`` reads it from the
Makefile with ``make -n``), so the benchmark measures the production settings and whatever
warm-up that command does; the floors get the same ``.streamlit/config.toml`` and flags.
"""

from __future__ import annotations

import os
import shlex
import signal
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

    def __init__(self, script: Path | None, env: dict[str, str] | None = None,
                 cwd: Path = ROOT, static: bool = True, command: list[str] | None = None,
                 host: str = "127.0.0.1", start_timeout: float = 60) -> None:
        self.script, self.env, self.cwd, self.static = script, env or {}, cwd, static
        self.port = free_port()
        self.host, self.start_timeout = host, start_timeout
        self.command = command
        self.proc: subprocess.Popen | None = None
        self.started_s: float | None = None  # launch → health check answers
        self.log = tempfile.NamedTemporaryFile(prefix="bench-streamlit-", suffix=".log",
                                               delete=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __enter__(self) -> str:
        cmd = self.command or [
            sys.executable, "-m", "streamlit", "run", str(self.script),
            "--server.port", str(self.port), "--server.address", self.host,
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false",
            "--server.enableStaticServing", str(self.static).lower()]
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, env={**os.environ, **self.env},
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = t0 + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        self.started_s = time.monotonic() - t0
                        return self.url
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        tail = Path(self.log.name).read_text(errors="replace")[-2000:]
        raise RuntimeError(f"streamlit did not start for {self.script}:\n{tail}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            # A launcher's own children (e.g. an image renderer) go with it.
            children = [pid for pid, _, _ in _tree(self.proc.pid) if pid != self.proc.pid]
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            for pid in children:
                try:
                    os.kill(pid, signal.SIGTERM)
                except OSError:  # already gone with its parent
                    pass
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and every process under it (utime + stime)."""
        return sum(cpu for _, cpu, _ in _tree(self.pid))

    def peak_rss_mb(self) -> float:
        """The largest resident set any process of the server's tree has had (VmHWM)."""
        return max((hwm for _, _, hwm in _tree(self.pid)), default=0.0)


def _tree(root: int) -> list[tuple[int, float, float]]:
    """(pid, CPU seconds, VmHWM MB) for ``root`` and its descendants, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the ')' that closes the command name: state ppid ... utime(14) stime(15).
        rest = text[text.rindex(")") + 2:].split()
        stats[int(entry.name)] = (int(rest[1]), (int(rest[11]) + int(rest[12])) / tick)
    wanted, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _) in stats.items():
            if ppid == parent and pid not in wanted:
                wanted.add(pid)
                frontier.append(pid)
    out = []
    for pid in sorted(wanted & stats.keys()):
        hwm = 0.0
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
        except OSError:
            pass
        out.append((pid, stats[pid][1], hwm))
    return out


def run_command(port: int, makefile: Path = ROOT / "Makefile") -> list[str]:
    """The command ``make run`` starts the dashboard with, on ``port``, as an argument list.

    ``make -n -o data`` prints the recipe without running it or rebuilding the data (the
    benchmark has its own database); ``BIN`` is this interpreter's folder, so a checkout
    without its own .venv (a worktree) still runs. The recipe's last line is the server.
    """
    bin_dir = Path(sys.executable).parent
    proc = subprocess.run(["make", "-s", "-n", "-o", "data", "-f", str(makefile), "run",
                           f"PORT={port}", f"BIN={bin_dir}", f"PYTHON={sys.executable}"],
                          cwd=makefile.parent, capture_output=True, text=True, timeout=30,
                          check=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if not lines:
        raise RuntimeError("make -n run printed no command")
    return ["/bin/sh", "-c", "exec " + lines[-1]]


def _flag(command: list[str], name: str) -> str | None:
    words = shlex.split(command[-1])
    for i, word in enumerate(words):
        if word == name and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def production(env: dict[str, str]) -> StreamlitServer:
    """The dashboard as ``make run`` starts it (command, flags, config, warm-up), on a free port."""
    server = StreamlitServer(None, env=env, start_timeout=400)  # the warm-up, loaded machine
    server.command = run_command(server.port)
    server.host = _flag(server.command, "--server.address") or "localhost"
    return server


def production_flags(command: list[str]) -> list[str]:
    """The ``--section.option value`` flags of ``make run``'s command, without the port."""
    words = shlex.split(command[-1])
    flags: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--") and "." in word:
            pair = [word] if "=" in word or i + 1 == len(words) else [word, words[i + 1]]
            if not word.startswith("--server.port"):
                flags += pair
            i += len(pair)
        else:
            i += 1
    return flags


def floor_server(script: Path, env: dict[str, str]) -> StreamlitServer:
    """A floor script served with the dashboard's production flags and config.toml.

    Streamlit reads ``.streamlit/config.toml`` from the working folder, and the floor runs from
    its own folder (``floor_site``), which links the repository's ``.streamlit``.
    """
    server = StreamlitServer(script, env=env, cwd=script.parent)
    run = run_command(server.port)
    server.host = _flag(run, "--server.address") or "localhost"
    server.command = [sys.executable, "-m", "streamlit", "run", str(script),
                      *production_flags(run), "--server.port", str(server.port)]
    return server


def floor_site(workdir: Path) -> Path:
    """A folder holding a copy of the floor script and links to the map geometry and config.

    Streamlit serves ``static/`` next to the main script and reads ``.streamlit/config.toml``
    from the working folder, so the floor runs from a folder with both linked: it draws maps
    from the same local geometry, with the same production settings, as the dashboard.
    """
    import shutil

    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "floor_app.py"
    shutil.copyfile(Path(__file__).with_name("floor_app.py"), script)
    for name in ("static", ".streamlit"):
        link = workdir / name
        if not link.exists():
            link.symlink_to(ROOT / name, target_is_directory=True)
    return script
