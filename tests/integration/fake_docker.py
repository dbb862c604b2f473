"""A stand-in ``docker`` for the workflows' image steps: ``buildx build --push`` records a new
digest for the tag in a registry file (a real rebuild would give new bytes, so a new digest), and
``buildx imagetools inspect`` answers the recorded digest or fails as for a missing tag."""

from __future__ import annotations

import json
import stat
from pathlib import Path

SCRIPT = """#!/usr/bin/env python3
import hashlib, json, os, sys, uuid
registry = {registry!r}
args = sys.argv[1:]
known = json.load(open(registry)) if os.path.exists(registry) else {{}}
with open(registry + ".log", "a") as log:
    log.write(json.dumps(args) + "\\n")
if args[:3] == ["buildx", "imagetools", "inspect"]:
    ref = args[3]
    if ref not in known:
        sys.exit("ERROR: " + ref + ": not found")
    index = "application/vnd.oci.image.index.v1+json"
    print(json.dumps({{"mediaType": index, "digest": known[ref]}}))
elif args[:2] == ["buildx", "build"]:
    ref = args[args.index("--tag") + 1]
    digest = "sha256:" + hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    known[ref] = digest
    json.dump(known, open(registry, "w"))
    metadata = args[args.index("--metadata-file") + 1]
    json.dump({{"containerimage.digest": digest}}, open(metadata, "w"))
else:
    sys.exit("fake docker: unsupported " + " ".join(args))
"""


def install(directory: Path) -> Path:
    """Write ``directory/bin/docker``; returns the registry file (tag -> digest)."""
    registry = directory / "registry.json"
    script = directory / "bin" / "docker"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(SCRIPT.format(registry=str(registry)))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return registry


def builds(registry: Path) -> list[list[str]]:
    """Every ``docker buildx build`` call made so far."""
    log = registry.with_name(registry.name + ".log")
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return [call for call in calls if call[:2] == ["buildx", "build"]]
