"""Render's official Python SDK (``render`` on PyPI, REST client ``render.public_api``) drives a
lifecycle of every resource kind we use against the sandbox, and every answer must parse into
the SDK's own models. A failure here is a sandbox bug unless the real API is shown to differ."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import pytest
from render.public_api import AuthenticatedClient
from render.public_api.api.custom_domains import (
    create_custom_domain,
    delete_custom_domain,
    list_custom_domains,
)
from render.public_api.api.deploys import create_deploy, list_deploys, retrieve_deploy
from render.public_api.api.environment_groups import (
    create_env_group,
    delete_env_group,
    link_service_to_env_group,
    retrieve_env_group,
    update_env_group,
    update_env_group_env_var,
)
from render.public_api.api.key_value import (
    create_key_value,
    delete_key_value,
    retrieve_key_value,
    retrieve_key_value_connection_info,
    update_key_value,
)
from render.public_api.api.postgres import (
    create_postgres,
    delete_postgres,
    list_postgres,
    retrieve_postgres,
    retrieve_postgres_connection_info,
    update_postgres,
)
from render.public_api.api.services import (
    create_service,
    delete_service,
    get_env_vars_for_service,
    list_services,
    retrieve_service,
    update_env_vars_for_service,
    update_secret_files_for_service,
    update_service,
)
from render.public_api.api.workspaces import list_owners
from render.public_api.models import (
    CreateCustomDomainBody,
    CreateDeployBody,
    CustomDomain,
    Deploy,
    EnvGroup,
    EnvGroupPATCHInput,
    EnvGroupPOSTInput,
    EnvVarKeyGenerateValue,
    EnvVarKeyValue,
    EnvVarValue,
    KeyValueConnectionInfo,
    KeyValueDetail,
    KeyValuePATCHInput,
    KeyValuePOSTInput,
    PostgresConnectionInfo,
    PostgresDetail,
    PostgresPATCHInput,
    PostgresPOSTInput,
    SecretFileInput,
    Service,
    ServiceAndDeploy,
    ServicePATCH,
    ServicePOST,
)
from render.public_api.types import Response

from sandbox import Sandbox

T = TypeVar("T")


@pytest.fixture(scope="module")
def sdk(sandbox: Sandbox) -> Iterator[AuthenticatedClient]:
    client = AuthenticatedClient(
        base_url=sandbox.base_url("render"),
        token=sandbox.token("render"),
        raise_on_unexpected_status=True,
    )
    with client:
        yield client


@pytest.fixture(scope="module")
def owner(sdk: AuthenticatedClient) -> str:
    owners = ok(list_owners.sync_detailed(client=sdk), list)
    return str(owners[0].owner.id)


def ok(response: Response[Any], kind: type[T], status: int = 200) -> T:
    """The SDK parsed the answer into ``kind`` (not its ``Error`` model) with ``status``."""
    assert response.status_code == status, response.content
    assert isinstance(response.parsed, kind), response.content
    return response.parsed


def service_id(created: ServiceAndDeploy) -> str:
    assert isinstance(created.service, Service), created
    return created.service.id


def gone(response: Response[Any]) -> None:
    assert response.status_code == 204, response.content


def _web(owner: str, name: str) -> ServicePOST:
    return ServicePOST.from_dict(
        {
            "type": "web_service",
            "name": name,
            "ownerId": owner,
            "repo": "https://github.com/render-examples/flask-hello-world",
            "branch": "main",
            "envVars": [{"key": "MODE", "value": "sdk"}],
            "serviceDetails": {
                "runtime": "python",
                "plan": "starter",
                "region": "frankfurt",
                "envSpecificDetails": {
                    "buildCommand": "pip install -r requirements.txt",
                    "startCommand": "gunicorn app:app",
                },
            },
        }
    )


def test_sdk_service_lifecycle_with_env_vars_secret_files_and_deploys(
    sdk: AuthenticatedClient, owner: str
) -> None:
    created = ok(
        create_service.sync_detailed(client=sdk, body=_web(owner, "sdk-web")), ServiceAndDeploy, 201
    )
    sid = service_id(created)
    assert ok(retrieve_service.sync_detailed(sid, client=sdk), Service).name == "sdk-web"
    listed = ok(list_services.sync_detailed(client=sdk, name=["sdk-web"]), list)
    assert [item.service.id for item in listed] == [sid]
    patch = ServicePATCH.from_dict({"name": "sdk-web-2", "serviceDetails": {"plan": "standard"}})
    assert (
        ok(update_service.sync_detailed(sid, client=sdk, body=patch), Service).name == "sdk-web-2"
    )
    env: list[EnvVarKeyGenerateValue | EnvVarKeyValue] = [
        EnvVarKeyValue(key="A", value="1"),
        EnvVarKeyValue(key="B", value="2"),
    ]
    replaced = ok(update_env_vars_for_service.sync_detailed(sid, client=sdk, body=env), list)
    assert sorted(item.env_var.key for item in replaced) == ["A", "B"]
    read = ok(get_env_vars_for_service.sync_detailed(sid, client=sdk), list)
    assert {item.env_var.key: item.env_var.value for item in read} == {"A": "1", "B": "2"}
    files = [SecretFileInput(name="app.env", content="X=1")]
    stored = ok(update_secret_files_for_service.sync_detailed(sid, client=sdk, body=files), list)
    assert stored[0].secret_file.name == "app.env"
    deploy = ok(create_deploy.sync_detailed(sid, client=sdk, body=CreateDeployBody()), Deploy, 201)
    assert ok(retrieve_deploy.sync_detailed(sid, deploy.id, client=sdk), Deploy).id == deploy.id
    deploys = ok(list_deploys.sync_detailed(sid, client=sdk), list)
    assert {created.deploy_id, deploy.id} <= {item.deploy.id for item in deploys}
    gone(delete_service.sync_detailed(sid, client=sdk))
    assert retrieve_service.sync_detailed(sid, client=sdk).status_code == 404


def test_sdk_custom_domains_on_a_web_service(sdk: AuthenticatedClient, owner: str) -> None:
    sid = service_id(
        ok(
            create_service.sync_detailed(client=sdk, body=_web(owner, "sdk-domains")),
            ServiceAndDeploy,
            201,
        )
    )
    body = CreateCustomDomainBody(name="sdk.example.com")
    made = ok(create_custom_domain.sync_detailed(sid, client=sdk, body=body), list, 201)
    assert isinstance(made[0], CustomDomain)
    listed = ok(list_custom_domains.sync_detailed(sid, client=sdk), list)
    assert [item.custom_domain.name for item in listed] == ["sdk.example.com"]
    gone(delete_custom_domain.sync_detailed(sid, "sdk.example.com", client=sdk))
    gone(delete_service.sync_detailed(sid, client=sdk))


def test_sdk_postgres_lifecycle_with_connection_info(sdk: AuthenticatedClient, owner: str) -> None:
    body = PostgresPOSTInput.from_dict(
        {
            "name": "sdk-pg",
            "ownerId": owner,
            "plan": "basic_256mb",
            "version": "16",
            "databaseName": "sdk_db",
        }
    )
    pg = ok(create_postgres.sync_detailed(client=sdk, body=body), PostgresDetail, 201)
    assert pg.database_name.startswith("sdk_db_")
    info = ok(
        retrieve_postgres_connection_info.sync_detailed(pg.id, client=sdk), PostgresConnectionInfo
    )
    assert info.internal_connection_string.endswith("/" + pg.database_name)
    listed = ok(list_postgres.sync_detailed(client=sdk, name=["sdk-pg"]), list)
    assert [item.postgres.id for item in listed] == [pg.id]
    patch = PostgresPATCHInput.from_dict({"name": "sdk-pg-2"})
    assert (
        ok(update_postgres.sync_detailed(pg.id, client=sdk, body=patch), PostgresDetail).name
        == "sdk-pg-2"
    )
    assert ok(retrieve_postgres.sync_detailed(pg.id, client=sdk), PostgresDetail).name == "sdk-pg-2"
    gone(delete_postgres.sync_detailed(pg.id, client=sdk))


def test_sdk_key_value_lifecycle_with_connection_info(sdk: AuthenticatedClient, owner: str) -> None:
    body = KeyValuePOSTInput.from_dict({"name": "sdk-kv", "ownerId": owner, "plan": "starter"})
    kv = ok(create_key_value.sync_detailed(client=sdk, body=body), KeyValueDetail, 201)
    info = ok(
        retrieve_key_value_connection_info.sync_detailed(kv.id, client=sdk), KeyValueConnectionInfo
    )
    assert info.external_connection_string.startswith("redis://")
    patch = KeyValuePATCHInput.from_dict({"maxmemoryPolicy": "noeviction"})
    patched = ok(update_key_value.sync_detailed(kv.id, client=sdk, body=patch), KeyValueDetail)
    assert patched.options.to_dict()["maxmemoryPolicy"] == "noeviction"
    assert ok(retrieve_key_value.sync_detailed(kv.id, client=sdk), KeyValueDetail).id == kv.id
    gone(delete_key_value.sync_detailed(kv.id, client=sdk))


def test_sdk_env_group_lifecycle_with_a_linked_service(
    sdk: AuthenticatedClient, owner: str
) -> None:
    sid = service_id(
        ok(
            create_service.sync_detailed(client=sdk, body=_web(owner, "sdk-linked")),
            ServiceAndDeploy,
            201,
        )
    )
    shared = [{"key": "SHARED", "value": "yes"}]
    body = EnvGroupPOSTInput.from_dict({"name": "sdk-group", "ownerId": owner, "envVars": shared})
    group = ok(create_env_group.sync_detailed(client=sdk, body=body), EnvGroup, 201)
    linked = ok(link_service_to_env_group.sync_detailed(group.id, sid, client=sdk), EnvGroup)
    assert [link.id for link in linked.service_links] == [sid]
    value = EnvVarValue(value="no")
    changed = ok(
        update_env_group_env_var.sync_detailed(group.id, "SHARED", client=sdk, body=value), EnvGroup
    )
    assert [(v.key, v.value) for v in changed.env_vars] == [("SHARED", "no")]
    renamed = ok(
        update_env_group.sync_detailed(
            group.id, client=sdk, body=EnvGroupPATCHInput(name="sdk-group-2")
        ),
        EnvGroup,
    )
    assert renamed.name == "sdk-group-2"
    assert ok(retrieve_env_group.sync_detailed(group.id, client=sdk), EnvGroup).id == group.id
    gone(delete_env_group.sync_detailed(group.id, client=sdk))
    gone(delete_service.sync_detailed(sid, client=sdk))
