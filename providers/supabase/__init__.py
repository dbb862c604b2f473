"""Supabase Management API resources: a project, its branches and the settings on them.

The provider classes are pinned here: the state pickles them as ``paas_stacks.providers.supabase``.
"""

from paas_stacks.providers._pickled import pin
from paas_stacks.providers.supabase.auth_config import AuthConfig, AuthConfigProvider
from paas_stacks.providers.supabase.branch import Branch, BranchProvider
from paas_stacks.providers.supabase.client import SupabaseClient
from paas_stacks.providers.supabase.database_config import DatabaseConfig, DatabaseConfigProvider
from paas_stacks.providers.supabase.function_secrets import FunctionSecrets, FunctionSecretsProvider
from paas_stacks.providers.supabase.migrations import Migrations, MigrationsProvider
from paas_stacks.providers.supabase.network_restrictions import (
    NetworkRestrictions,
    NetworkRestrictionsProvider,
)
from paas_stacks.providers.supabase.project import Project, ProjectProvider

__all__ = [
    "AuthConfig",
    "AuthConfigProvider",
    "Branch",
    "BranchProvider",
    "DatabaseConfig",
    "DatabaseConfigProvider",
    "FunctionSecrets",
    "FunctionSecretsProvider",
    "Migrations",
    "MigrationsProvider",
    "NetworkRestrictions",
    "NetworkRestrictionsProvider",
    "Project",
    "ProjectProvider",
    "SupabaseClient",
]

pin(
    "paas_stacks.providers.supabase",
    AuthConfigProvider,
    BranchProvider,
    DatabaseConfigProvider,
    FunctionSecretsProvider,
    MigrationsProvider,
    NetworkRestrictionsProvider,
    ProjectProvider,
)
