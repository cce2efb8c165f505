"""Hearth as production runs it, on one machine: gunicorn web servers, job workers and the scheduler as separate
processes, started with the README's commands, against PostgreSQL, Redis, an S3 server over HTTP, clamd and SMTP."""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} was not ready within {seconds} s")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace").splitlines()[-lines:] if self.log.exists() else []
        return f"--- {self.name} (exit {self.popen.poll()}) ---\n" + "\n".join(text)


@dataclass
class Stack:
    """Processes started in `workdir`, all sharing `env` (the production settings)."""

    env: dict[str, str]
    workdir: Path
    processes: list[Process] = field(default_factory=list)

    def start(self, name: str, *command: str) -> Process:
        log = self.workdir / f"{name}.log"
        popen = subprocess.Popen(list(command), cwd=ROOT, env=self.env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def run(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess:
        """A one-off command (a release step, an operator's command) with the same settings."""
        return subprocess.run(list(command), cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)

    def flask(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return self.run(str(BIN / "flask"), "--app", "wsgi", *args, timeout=timeout)

    def web(self, name: str) -> str:
        """A gunicorn web server (the README's command, on a loopback port); returns its address at once."""
        port = free_port()
        self.start(
            name,
            str(BIN / "gunicorn"),
            "--workers=1",
            "--threads=4",
            "--no-control-socket",
            f"--bind=127.0.0.1:{port}",
            "--access-logfile=-",
            "wsgi:app",
        )
        return f"http://127.0.0.1:{port}"

    def wait_healthy(self, *urls: str, seconds: float = 60) -> None:
        """Until each web server's /healthz answers 200 (database, storage and queue reachable)."""
        for url in urls:
            wait_for(lambda u=url: requests.get(u + "/healthz", timeout=5).status_code == 200, seconds, url)

    def worker(self, name: str) -> Process:
        return self.start(name, str(BIN / "flask"), "--app", "wsgi", "worker", "--workers", "1")

    def scheduler(self) -> Process:
        return self.start("scheduler", str(BIN / "flask"), "--app", "wsgi", "scheduler")

    def logs(self) -> str:
        return "\n".join(p.tail() for p in self.processes)

    def stop(self) -> None:
        for p in self.processes:
            if p.popen.poll() is None:
                p.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5  # a test need not wait out gunicorn's graceful timeout
        for p in self.processes:
            try:
                p.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.popen.kill()
                p.popen.wait()


def start_redis(workdir: Path) -> tuple[str, subprocess.Popen]:
    """A Redis of this test's own on a free loopback port (no other run's queue can take its tasks)."""
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed (apt-get install redis-server)"
    port = free_port()
    popen = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=(workdir / "redis.log").open("wb"),
        stderr=subprocess.STDOUT,
    )

    def answers() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    wait_for(answers, 30, "redis-server")
    return f"redis://127.0.0.1:{port}/0", popen


def production_env(**settings: str) -> dict[str, str]:
    """The process environment with Hearth's settings replaced by `settings`, as a deployment would set them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEARTH_", "JOBS_", "STORAGE_", "SMTP_"))}
    for key in ("DATABASE_URL", "REDIS_URL", "VAR_DIR", "BASE_URL", "SECRET_KEY", "MAIL_BACKEND", "FLASK_APP"):
        env.pop(key, None)
    return {**env, **settings}
