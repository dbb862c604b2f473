"""A self-managed Pulumi backend on S3, served on loopback by moto's S3 server: what the
workflows' ``PULUMI_BACKEND_URL=s3://...`` does, with its own passphrase per backend."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import boto3
from moto.server import ThreadedMotoServer

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "moto-access-key",
    "AWS_SECRET_ACCESS_KEY": "moto-secret-key",
    "AWS_REGION": "us-east-1",
}


@dataclass(frozen=True)
class S3Backend:
    """One bucket on a local S3 server; ``env(prefix, passphrase)`` is a backend under it."""

    endpoint: str
    bucket: str

    def url(self, prefix: str) -> str:
        query = f"endpoint={self.endpoint}&region=us-east-1&use_path_style=true&disable_https=true"
        return f"s3://{self.bucket}/{prefix}?{query}"

    def env(self, prefix: str, passphrase: str) -> dict[str, str]:
        return {
            **CREDENTIALS,
            "PULUMI_BACKEND_URL": self.url(prefix),
            "PULUMI_CONFIG_PASSPHRASE": passphrase,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
        }

    def keys(self, prefix: str) -> list[str]:
        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        )
        answer = client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return [str(item["Key"]) for item in answer.get("Contents", [])]

    def locks(self, prefix: str) -> list[str]:
        """The lock objects Pulumi holds under ``prefix`` (one per running update)."""
        return [key for key in self.keys(prefix) if "/.pulumi/locks/" in key]


@contextmanager
def local_s3() -> Iterator[S3Backend]:
    """A fresh S3 server on a free loopback port with one empty bucket; stopped on exit."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    backend = S3Backend(f"http://{host}:{port}", "paas-stacks-state")
    boto3.client(
        "s3",
        endpoint_url=backend.endpoint,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    ).create_bucket(Bucket=backend.bucket)
    try:
        yield backend
    finally:
        server.stop()
