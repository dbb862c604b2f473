"""``ObjectStore`` and its arguments: ``ObjectStoreArgs(bucket=..., provider=S3(...) |
S3Compatible(...), ...)``.

The rule that matters here: importing this package imports no bridged SDK; the AWS SDK is loaded
(``_aws``) only when a store is declared, and a missing one is one line naming the extra.
"""

from __future__ import annotations

from paas_stacks.components.object_store._args import S3, ObjectStoreArgs, S3Compatible
from paas_stacks.components.object_store._store import ObjectStore

__all__ = ["S3", "ObjectStore", "ObjectStoreArgs", "S3Compatible"]
