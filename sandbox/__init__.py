"""Offline emulators of the Render, Fly Machines, Supabase Management and Upstash APIs.

Each API is served on its own loopback port with the vendor's real paths, so a client changes
only its base URL. Databases handed out are real (a PostgreSQL database and role, a
password-protected redis-server). See ``sandbox/README.md`` for the choices made where the
vendor sources disagree.
"""

from sandbox.core.server import Sandbox, SandboxConfig

__all__ = ["Sandbox", "SandboxConfig"]
