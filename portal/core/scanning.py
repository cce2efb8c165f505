"""Antivirus: a clamd client speaking its socket protocol (INSTREAM). Unreachable clamd is an error, never a pass."""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 64 * 1024


class ScannerUnavailable(RuntimeError):
    """clamd could not be reached or answered nonsense: the file stays pending, unseen, until a retry succeeds."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str | None = None


class ClamdScanner:
    def __init__(self, address: str, timeout: float = 60.0) -> None:
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        addr = self.address
        try:
            if addr.startswith("unix:") or addr.startswith("/"):
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(addr.removeprefix("unix:"))
            else:
                host, _, port = addr.removeprefix("tcp:").rpartition(":")
                sock = socket.create_connection((host or "127.0.0.1", int(port)), timeout=self.timeout)
                sock.settimeout(self.timeout)
        except (OSError, ValueError) as exc:
            raise ScannerUnavailable(f"clamd unreachable at {addr}") from exc
        return sock

    def _command(self, command: bytes) -> bytes:
        with self._connect() as sock:
            sock.sendall(b"z" + command + b"\0")
            return _read_reply(sock)

    def ping(self) -> bool:
        try:
            return self._command(b"PING") == b"PONG"
        except ScannerUnavailable:
            return False

    def scan(self, stream: BinaryIO) -> ScanResult:
        stream.seek(0)
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(CHUNK):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = _read_reply(sock).decode("utf-8", "replace")
        except OSError as exc:
            raise ScannerUnavailable("clamd connection failed during a scan") from exc
        finally:
            stream.seek(0)
        # "stream: OK" | "stream: Eicar-Signature FOUND" | "INSTREAM size limit exceeded. ERROR"
        if reply.endswith("OK"):
            return ScanResult(clean=True)
        if reply.endswith("FOUND"):
            return ScanResult(clean=False, signature=reply.split(":", 1)[-1].strip().removesuffix("FOUND").strip())
        raise ScannerUnavailable(f"clamd could not scan the file: {reply[-80:]}")


def _read_reply(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").strip()


class NoScanner:
    """The embedded demo without clamd: uploads are accepted with a warning at start-up (never in production)."""

    address = None

    def ping(self) -> bool:
        return False

    def scan(self, stream: BinaryIO) -> ScanResult:
        return ScanResult(clean=True, signature=None)


def scanner_from_config(config):
    address = config.get("CLAMD_ADDRESS")
    return ClamdScanner(address) if address else NoScanner()
