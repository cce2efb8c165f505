"""Where uploaded files live: a Storage protocol with a local-directory backend and an S3 backend."""

from __future__ import annotations

from typing import IO, Protocol


class StorageError(RuntimeError):
    pass


class Storage(Protocol):
    def put(self, key: str, data: IO[bytes] | bytes, content_type: str) -> None: ...
    def open(self, key: str) -> IO[bytes]: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def keys(self, prefix: str = "") -> list[str]: ...
    def presigned_url(
        self, key: str, *, filename: str, content_type: str, seconds: int = 120, disposition: str = "inline"
    ) -> str | None: ...
    def restore(self, key: str) -> bool: ...  # bring back a deleted object from an earlier version, if kept
    def health(self) -> str: ...


def storage_from_config(config) -> Storage:
    if config["STORAGE_BACKEND"] == "s3":
        from portal.core.storage.s3 import S3Storage

        return S3Storage(
            bucket=config["STORAGE_S3_BUCKET"],
            endpoint_url=config.get("STORAGE_S3_ENDPOINT_URL") or None,
            region=config.get("STORAGE_S3_REGION") or None,
            sse=config.get("STORAGE_S3_SSE") or None,
        )
    from portal.core.storage.local import LocalStorage

    return LocalStorage(config["STORAGE_LOCAL_DIR"])


def get_storage() -> Storage:
    from flask import current_app

    return current_app.extensions["hearth_storage"]
