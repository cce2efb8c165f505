"""Files in an S3-compatible object store. The only module that imports boto3."""

from __future__ import annotations

from typing import IO
from urllib.parse import quote

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from portal.core.storage import StorageError


class S3Storage:
    def __init__(self, bucket: str, endpoint_url: str | None = None, region: str | None = None, sse: str | None = None):
        self.bucket = bucket
        self.sse = sse
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=BotoConfig(
                signature_version="s3v4",
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    def put(self, key: str, data: IO[bytes] | bytes, content_type: str) -> None:
        extra = {"ContentType": content_type}
        if self.sse:
            extra["ServerSideEncryption"] = self.sse
        try:
            if isinstance(data, bytes):
                self.client.put_object(Bucket=self.bucket, Key=key, Body=data, **extra)
            else:
                self.client.upload_fileobj(data, self.bucket, key, ExtraArgs=extra)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not store {key}") from exc

    def open(self, key: str) -> IO[bytes]:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"missing {key}") from exc

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not delete {key}") from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise StorageError(f"could not check {key}") from exc  # a denied or broken store is not "absent"
        except BotoCoreError as exc:
            raise StorageError(f"could not check {key}") from exc

    def keys(self, prefix: str = "") -> list[str]:
        out: list[str] = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                out.extend(obj["Key"] for obj in page.get("Contents", []))
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not list {prefix!r}") from exc
        return sorted(out)

    def presigned_url(
        self, key: str, *, filename: str, content_type: str, seconds: int = 120, disposition: str = "inline"
    ) -> str | None:
        # S3 echoes these back as response headers: keep them to printable ASCII, with the real name in filename*.
        bare = filename.replace('"', "").replace("\\", "")
        safe = "".join(ch if 32 <= ord(ch) < 127 else "_" for ch in bare)
        value = f'{disposition}; filename="{safe}"'
        if safe != bare:
            value += f"; filename*=UTF-8''{quote(bare)}"
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": value,
                "ResponseCacheControl": "private, no-store",
            },
            ExpiresIn=seconds,
        )

    def restore(self, key: str) -> bool:
        """Undelete a key in a versioned bucket: remove the delete markers above its newest stored version.
        False when the bucket keeps no earlier version of it (versioning off, or the versions have expired)."""
        try:
            listing = self.client.list_object_versions(Bucket=self.bucket, Prefix=key)
            versions = [v for v in listing.get("Versions", []) if v["Key"] == key]
            if not versions:
                return False
            newest = max(v["LastModified"] for v in versions)
            for marker in listing.get("DeleteMarkers", []):
                if marker["Key"] == key and marker["LastModified"] >= newest:
                    self.client.delete_object(Bucket=self.bucket, Key=key, VersionId=marker["VersionId"])
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not restore {key}") from exc
        return self.exists(key)

    def health(self) -> str:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return "ok"
        except (BotoCoreError, ClientError):
            return "unavailable"
