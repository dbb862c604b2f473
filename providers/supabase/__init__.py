"""Supabase Management API resources: a project and the settings that hang off it."""

from providers.supabase.auth_config import AuthConfig, AuthConfigProvider
from providers.supabase.client import SupabaseClient
from providers.supabase.database_config import DatabaseConfig, DatabaseConfigProvider
from providers.supabase.function_secrets import FunctionSecrets, FunctionSecretsProvider
from providers.supabase.migrations import Migrations, MigrationsProvider
from providers.supabase.network_restrictions import NetworkRestrictions, NetworkRestrictionsProvider
from providers.supabase.project import Project, ProjectProvider

__all__ = [
    "AuthConfig",
    "AuthConfigProvider",
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
