"""Start N Streamlit replicas of the dashboard and nginx in front of them, on loopback.

``python -m deploy.cluster --replicas 3 --port 8501`` (``make serve-cluster N=3``). nginx balances
sessions with cookie affinity and skips a replica that fails (open-source nginx has no active
health check); this launcher is the active one: it polls each replica's ``/_stcore/health`` and
restarts a replica whose process has died. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
START_TIMEOUT = 300.0  # seconds for every replica (warm-up included) and nginx to answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def data_locations(data_dir: Path) -> str:
    """nginx locations serving the data package in ``data_dir`` (the published database's
    folder) and nothing else of it."""
    data_dir = data_dir.resolve()
    return (
        "location = /data/trafficking-data.zip {\n"
        f"    alias {data_dir}/trafficking-data.zip;\n"
        "    default_type application/zip;\n"
        "    add_header Content-Disposition 'attachment; filename=\"trafficking-data.zip\"';\n"
        "    add_header X-Content-Type-Options nosniff always;\n"
        "    expires 10m;\n"
        "}\n"
        "location /data/package/ {\n"
        f"    alias {data_dir}/package/;\n"
        "    types { text/csv csv; application/json json; text/markdown md; "
        "application/vnd.apache.parquet parquet; }\n"
        "    default_type application/octet-stream;\n"
        "    charset utf-8;\n"
        "    add_header X-Content-Type-Options nosniff always;\n"
        "    expires 10m;\n"
        "}\n"
        "location /data/ {\n"
        "    return 404;\n"
        "}\n")


def layout(run_dir: Path, port: int, replica_ports: list[int],
           data_dir: Path | None = None) -> None:
    """The run folder nginx.conf expects: its copy, the upstreams, listen, static and data
    lines. ``data_dir``: the published database's folder (default: TRAFFICKING_DB's, or data/)."""
    (run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONF, run_dir / "nginx.conf")
    (run_dir / "upstreams.conf").write_text("".join(
        f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in replica_ports))
    (run_dir / "listen.conf").write_text(f"listen 127.0.0.1:{port};\n")
    # An absolute path: nginx's workers (user nobody under root) must not need the run folder.
    (run_dir / "static.conf").write_text(f"alias {ROOT / 'static'}/;\n")
    (run_dir / "data.conf").write_text(data_locations(data_dir or ROOT / "data"))


@dataclass
class Cluster:
    run_dir: Path
    port: int
    replica_ports: list[int]
    env: dict[str, str]
    replicas: dict[int, subprocess.Popen] = field(default_factory=dict)
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_replica(self, port: int) -> None:
        log = (self.run_dir / f"replica-{port}.log").open("a")
        self.replicas[port] = subprocess.Popen(
            # The launcher `make run` uses: each replica warms up (every page once, the top
            # charts' still images, gc.freeze) before it listens, so nginx never sends a
            # visitor to a cold replica.
            [sys.executable, "-m", "trafficking.serve",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--server.fileWatcherType", "none",
             "--server.runOnSave", "false", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def start(self) -> None:
        db = (self.env.get("TRAFFICKING_DB") or "").strip()
        layout(self.run_dir, self.port, self.replica_ports,
               (ROOT / db).parent if db else ROOT / "data")  # replicas run in ROOT
        for p in self.replica_ports:
            self.start_replica(p)
        self.wait(self.replica_ports)
        conf = self.run_dir / "nginx.conf"
        check = subprocess.run([NGINX, "-t", "-q", "-p", f"{self.run_dir}/", "-c", str(conf),
                                "-e", str(self.run_dir / "error.log")],
                               capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx rejects {conf}: {check.stderr.strip()}")
        self.nginx = subprocess.Popen(
            [NGINX, "-p", f"{self.run_dir}/", "-c", str(conf), "-e", str(self.run_dir / "error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait([self.port], path="/_cluster/health")

    def healthy(self, port: int, path: str = "/_stcore/health") -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}{path}", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def wait(self, ports: list[int], path: str = "/_stcore/health") -> None:
        deadline = time.monotonic() + START_TIMEOUT
        pending = list(ports)
        while pending:
            pending = [p for p in pending if not self.healthy(p, path)]
            dead = [p for p in pending if p in self.replicas and self.replicas[p].poll() is not None]
            if dead or (self.nginx is not None and self.nginx.poll() is not None):
                raise RuntimeError(f"a process exited while starting; see the logs in {self.run_dir}")
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not healthy after {START_TIMEOUT:g} s: ports {pending}; "
                                   f"see the logs in {self.run_dir}")
            time.sleep(0.3)

    def supervise_once(self) -> list[int]:
        """Restart replicas whose process has exited; returns their ports."""
        restarted = [p for p, proc in self.replicas.items() if proc.poll() is not None]
        for p in restarted:
            self.start_replica(p)
        return restarted

    def stop(self) -> None:
        procs = [*self.replicas.values(), *([self.nginx] if self.nginx else [])]
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def start(replicas: int, port: int, run_dir: Path, env: dict[str, str] | None = None,
          first_replica_port: int | None = None) -> Cluster:
    """Start ``replicas`` Streamlit processes and nginx on ``port``; stops all on failure."""
    ports = ([first_replica_port + i for i in range(replicas)] if first_replica_port
             else [free_port() for _ in range(replicas)])
    cluster = Cluster(run_dir=run_dir.resolve(), port=port, replica_ports=ports,
                      env=dict(env or os.environ))
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--port", type=int, default=8501, help="nginx's port (loopback)")
    parser.add_argument("--first-replica-port", type=int, default=8601)
    parser.add_argument("--run-dir", type=Path, default=ROOT / "data" / "cluster")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= 32:
        parser.error("--replicas must be between 1 and 32")
    # `kill` (and make's own Ctrl-C) must stop the replicas and nginx too, not orphan them.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster = start(args.replicas, args.port, args.run_dir,
                        first_replica_port=args.first_replica_port)
    except RuntimeError as exc:
        print(f"CLUSTER FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"{args.replicas} replicas behind nginx at {cluster.url} (logs in {cluster.run_dir}); "
          "Ctrl-C stops them", flush=True)
    try:
        while True:
            time.sleep(5)
            for p in cluster.supervise_once():
                print(f"replica on port {p} had exited; restarted", flush=True)
            if cluster.nginx is not None and cluster.nginx.poll() is not None:
                print("nginx exited; stopping the replicas", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    raise SystemExit(main())
