"""Fly.io Machines API resources: App, Machines (one process group), Secrets, Volume, IpAddress.

Credentials: stack config ``fly:apiToken`` (secret) or env ``FLY_API_TOKEN``; base URL
``fly:apiUrl`` or ``FLY_API_URL`` (default ``https://api.machines.dev/v1``).
"""

from providers.fly.app import App, AppProvider
from providers.fly.client import FlyClient
from providers.fly.ip import IpAddress, IpAddressProvider
from providers.fly.machines import Machines, MachinesProvider
from providers.fly.secrets import Secrets, SecretsProvider
from providers.fly.volume import Volume, VolumeProvider

__all__ = [
    "App",
    "AppProvider",
    "FlyClient",
    "IpAddress",
    "IpAddressProvider",
    "Machines",
    "MachinesProvider",
    "Secrets",
    "SecretsProvider",
    "Volume",
    "VolumeProvider",
]
