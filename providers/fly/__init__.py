"""Fly.io Machines API resources: App, Machines (one process group), Secrets, Volume, IpAddress,
Certificate.

Credentials: stack config ``fly:apiToken`` (secret) or env ``FLY_API_TOKEN``; base URL
``fly:apiUrl`` or ``FLY_API_URL`` (default ``https://api.machines.dev/v1``). The provider
classes are pinned here: the state pickles them as ``paas_stacks.providers.fly``.
"""

from paas_stacks.providers._pickled import pin
from paas_stacks.providers.fly.app import App, AppProvider
from paas_stacks.providers.fly.certificate import Certificate, CertificateProvider
from paas_stacks.providers.fly.client import FlyClient
from paas_stacks.providers.fly.ip import IpAddress, IpAddressProvider
from paas_stacks.providers.fly.machines import Machines, MachinesProvider
from paas_stacks.providers.fly.secrets import Secrets, SecretsProvider
from paas_stacks.providers.fly.volume import Volume, VolumeProvider

__all__ = [
    "App",
    "AppProvider",
    "Certificate",
    "CertificateProvider",
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

pin(
    "paas_stacks.providers.fly",
    AppProvider,
    CertificateProvider,
    IpAddressProvider,
    MachinesProvider,
    SecretsProvider,
    VolumeProvider,
)
