"""ObjectStore on AWS S3 (+ CloudFront) and on an S3-compatible vendor (Backblaze B2): private
by default, encrypted, CORS for the listed origins, CloudFront as the only reader, the vendor's
endpoint and key pair on an explicit provider, ``env()`` exactly ``provides``, and the same
defaults and words from Python and from a stack file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest

from paas_stacks.components.object_store import S3, ObjectStore, ObjectStoreArgs, S3Compatible
from paas_stacks.components.spec import Entry, EnvironmentSpec, SpecError, compile_entry
from paas_stacks.components.spec import build as build_environment
from paas_stacks.errors import ArgsError
from tests.mocks import RecordingMocks, build

SIG, SECRET = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
BUCKET = "aws:s3/bucket:Bucket"
ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
CORS = "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
OAC = "aws:cloudfront/originAccessControl:OriginAccessControl"
CONFIG = {"paas-stacks:b2KeyId": "key-id-1", "paas-stacks:b2ApplicationKey": "app-key-1"}


def aws_mocks() -> RecordingMocks:
    return RecordingMocks(
        extra_outputs={
            BUCKET: lambda name, inputs: {
                "arn": f"arn:aws:s3:::{inputs['bucket']}",
                "bucketRegionalDomainName": f"{inputs['bucket']}.s3.us-east-1.amazonaws.com",
            },
            DISTRIBUTION: lambda name, _inputs: {
                "arn": f"arn:aws:cloudfront::123:distribution/{name}",
                "domainName": f"{name}.cloudfront.net",
            },
        }
    )


def environment(**sections: Any) -> EnvironmentSpec:
    return EnvironmentSpec.model_validate(
        {"name": "mvp", "region": "virginia", **sections}, context={"rules": False}
    )


def compiled_args(env: EnvironmentSpec, name: str, *, program: bool = False) -> ObjectStoreArgs:
    """The ``object_stores.<name>`` entry's args, as the stack loader compiles them; inside a
    ``program`` config secrets are read as ``Environment`` reads them, else placeholders."""
    entry = Entry("object_stores", name, env.object_stores[name])
    secret = pulumi.Config("paas-stacks").require_secret if program else None
    args: ObjectStoreArgs = compile_entry(entry, env, secret=secret).args
    return args


def build_spec(env: EnvironmentSpec, name: str) -> tuple[Any, ObjectStore]:
    holder: dict[str, ObjectStore] = {}

    def program() -> dict[str, Any]:
        store = ObjectStore(name, compiled_args(env, name, program=True))
        holder["store"] = store
        return {
            "env": dict(store.env()),
            "secret": {k: v.is_secret() for k, v in store.env().items()},
        }

    built = build(program, config=CONFIG, mocks=aws_mocks())
    return built, holder["store"]


def mvp(**store: Any) -> EnvironmentSpec:
    """Seed 001: "Amazon S3 + CloudFront for gallery/avatars"."""
    spec = {"provider": "s3", "cdn": True, "cors_origins": ["https://your-domain.com"], **store}
    return environment(object_stores={"assets": spec})


def test_s3_is_a_private_encrypted_owner_enforced_bucket_in_the_stack_region() -> None:
    built, _store = build_spec(mvp(cdn=False, cors_origins=[]), "assets")
    mocks = built.mocks
    bucket = mocks.one(BUCKET, "assets-bucket").inputs
    assert (bucket["bucket"], bucket["region"], bucket["forceDestroy"]) == (
        "mvp-assets",
        "us-east-1",
        True,
    )
    block = mocks.one(ACCESS, "assets-access").inputs
    flags = ("blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets")
    assert all(block[flag] is True for flag in flags)
    ownership = mocks.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    sse = mocks.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs
    assert sse["rules"][0]["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    assert not mocks.of_type(POLICY)
    assert not mocks.of_type(CORS)
    assert not mocks.of_type("aws:s3/bucketVersioning:BucketVersioning")


def test_cdn_serves_https_only_through_origin_access_control_and_only_it_may_read() -> None:
    built, _store = build_spec(mvp(), "assets")
    mocks = built.mocks
    oac = mocks.one(OAC, "assets-oac").inputs
    assert (oac["originAccessControlOriginType"], oac["signingBehavior"]) == ("s3", "always")
    cdn = mocks.one(DISTRIBUTION, "assets-cdn").inputs
    origin = cdn["origins"][0]
    assert origin["originAccessControlId"] == "assets-oac-id"
    assert origin["domainName"] == "mvp-assets.s3.us-east-1.amazonaws.com"
    assert cdn["defaultCacheBehavior"]["viewerProtocolPolicy"] == "redirect-to-https"
    policy = json.loads(mocks.one(POLICY, "assets-policy").inputs["policy"])
    [statement] = policy["Statement"]
    assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert statement["Resource"] == "arn:aws:s3:::mvp-assets/*"
    assert statement["Condition"] == {
        "StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123:distribution/assets-cdn"}
    }


def test_cors_origins_become_bucket_rules_and_a_cloudfront_response_headers_policy() -> None:
    built, _store = build_spec(mvp(), "assets")
    rule = built.mocks.one(CORS, "assets-cors-rules").inputs["corsRules"][0]
    assert rule["allowedOrigins"] == ["https://your-domain.com"]
    assert set(rule["allowedMethods"]) == {"GET", "HEAD", "PUT", "POST"}
    headers = built.mocks.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")
    origins = headers.inputs["corsConfig"]["accessControlAllowOrigins"]["items"]
    assert origins == ["https://your-domain.com"]
    cdn = built.mocks.one(DISTRIBUTION).inputs
    assert cdn["defaultCacheBehavior"]["responseHeadersPolicyId"] == "assets-cors-id"


def test_s3_env_is_exactly_provides_with_the_cdn_url() -> None:
    env = mvp()
    built, _store = build_spec(env, "assets")
    assert tuple(built.value["env"]) == ObjectStore.provides(compiled_args(env, "assets"))
    assert built.value["env"] == {
        "S3_BUCKET": "mvp-assets",
        "S3_REGION": "us-east-1",
        "S3_ENDPOINT": "https://s3.us-east-1.amazonaws.com",
        "CDN_URL": "https://assets-cdn.cloudfront.net",
    }
    assert not any(built.value["secret"].values())


def test_public_opens_the_policy_block_and_grants_anonymous_reads() -> None:
    built, _store = build_spec(mvp(cdn=False, public=True), "assets")
    block = built.mocks.one(ACCESS).inputs
    assert (block["blockPublicPolicy"], block["restrictPublicBuckets"]) == (False, False)
    [statement] = json.loads(built.mocks.one(POLICY).inputs["policy"])["Statement"]
    assert statement["Principal"] == "*"


def test_versioning_and_production_protection() -> None:
    env = environment(
        production=True, object_stores={"assets": {"provider": "s3", "versioning": True}}
    )
    built, store = build_spec(env, "assets")
    versioning = built.mocks.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}
    assert store.bucket._protect is True
    assert built.mocks.one(BUCKET).inputs["forceDestroy"] is False


def realstaging() -> EnvironmentSpec:
    """Seed 004: a private Backblaze B2 bucket with CORS for the frontend."""
    return environment(
        production=True,
        object_stores={
            "media": {
                "provider": "s3_compatible",
                "bucket": "realstaging-prod",
                "region": "us-west-004",
                "endpoint": "https://s3.us-west-004.backblazeb2.com",
                "cors_origins": ["https://real-staging.ai"],
                "access_key_from_config": "b2KeyId",
                "secret_key_from_config": "b2ApplicationKey",
            }
        },
    )


def test_b2_uses_an_explicit_provider_with_its_endpoint_and_secret_key_pair() -> None:
    built, store = build_spec(realstaging(), "media")
    provider = built.mocks.one("pulumi:providers:aws", "media-provider").inputs
    assert json.loads(provider["endpoints"]) == [{"s3": "https://s3.us-west-004.backblazeb2.com"}]
    assert provider["region"] == "us-west-004"
    assert provider["accessKey"] == {SIG: SECRET, "value": "key-id-1"}
    assert provider["secretKey"] == {SIG: SECRET, "value": "app-key-1"}
    for flag in ("s3UsePathStyle", "skipCredentialsValidation", "skipRequestingAccountId"):
        assert provider[flag] == "true"
    bucket = built.mocks.one(BUCKET, "media-bucket")
    assert bucket.inputs["bucket"] == "realstaging-prod"
    assert bucket.provider is not None
    assert "media-provider" in bucket.provider
    assert store.bucket._protect is True


def test_b2_gets_cors_on_its_provider_and_none_of_the_aws_only_resources() -> None:
    built, _store = build_spec(realstaging(), "media")
    cors = built.mocks.one(CORS, "media-cors-rules")
    assert cors.inputs["corsRules"][0]["allowedOrigins"] == ["https://real-staging.ai"]
    assert cors.provider is not None
    assert "media-provider" in cors.provider
    assert built.mocks.types() == sorted(
        ["paas:components:ObjectStore", "pulumi:providers:aws", BUCKET, CORS]
    )


def test_b2_env_is_exactly_provides_with_the_keys_secret() -> None:
    env = realstaging()
    built, _store = build_spec(env, "media")
    assert tuple(built.value["env"]) == ObjectStore.provides(compiled_args(env, "media"))
    assert built.value["env"]["S3_ENDPOINT"] == "https://s3.us-west-004.backblazeb2.com"
    assert built.value["env"]["S3_REGION"] == "us-west-004"
    assert built.value["env"]["S3_ACCESS_KEY"] == "key-id-1"
    assert built.value["secret"] == {
        "S3_BUCKET": False,
        "S3_REGION": False,
        "S3_ENDPOINT": False,
        "S3_ACCESS_KEY": True,
        "S3_SECRET_KEY": True,
    }


def test_the_cdn_policy_statement_is_the_static_sites_with_its_own_sid() -> None:
    built, _store = build_spec(mvp(), "assets")
    [statement] = json.loads(built.mocks.one(POLICY).inputs["policy"])["Statement"]
    assert statement["Sid"] == "CloudFrontReadsThroughOAC"
    assert statement["Action"] == "s3:GetObject"
    oac = built.mocks.one(OAC).inputs
    assert oac["name"] == "mvp-assets-oac"
    assert "description" not in oac


def test_python_gets_the_stack_files_defaults() -> None:
    assert (
        S3()
        == compiled_args(
            environment(region="oregon", object_stores={"a": {"provider": "s3"}}), "a"
        ).provider
    )
    compatible = environment(
        object_stores={
            "a": {
                "provider": "s3_compatible",
                "endpoint": "https://e",
                "access_key_from_config": "k",
                "secret_key_from_config": "s",
            }
        }
    )
    assert (
        compiled_args(compatible, "a").provider.region
        == S3Compatible(endpoint="https://e", access_key="k", secret_key="s").region
        == "auto"
    )


@pytest.mark.parametrize(
    ("provider", "line"),
    [
        (S3(region="US East"), "provider.region: 'US East' is not"),
        (
            S3Compatible(endpoint="http://e", access_key="a", secret_key="s"),
            "provider.endpoint: 'http://e' is not an https:// URL",
        ),
        ("s3", "provider: must be S3(...) or S3Compatible(...); got 's3'"),
    ],
)
def test_invalid_args_are_one_line_before_any_resource(provider: Any, line: str) -> None:
    mocks = RecordingMocks()
    with pytest.raises(ArgsError) as caught:
        build(
            lambda: ObjectStore("store", ObjectStoreArgs(bucket="b", provider=provider)),
            mocks=mocks,
        )
    [only] = str(caught.value).splitlines()
    assert only.startswith(f"ObjectStore 'store': {line}"), only
    assert mocks.resources == []


STACKS = Path(__file__).resolve().parents[3] / "stacks"


@pytest.mark.parametrize(
    ("store", "lines"),
    [
        (
            {"provider": "s3_compatible", "bucket": "media-bucket"},
            [
                f"{key}: is required for provider 's3_compatible'"
                for key in ("endpoint", "access_key_from_config", "secret_key_from_config")
            ],
        ),
        (
            {"provider": "s3", "endpoint": "https://e", "access_key_from_config": "k"},
            [
                "endpoint: is only used with provider 's3_compatible'",
                "access_key_from_config: is only used with provider 's3_compatible'",
            ],
        ),
        (
            {
                "provider": "s3_compatible",
                "endpoint": "https://e",
                "access_key_from_config": "k",
                "secret_key_from_config": "s",
                "cdn": True,
                "versioning": True,
            },
            ["cdn: is only used with provider 's3'", "versioning: is only used with provider 's3'"],
        ),
    ],
)
def test_a_stack_file_key_the_provider_does_not_take_is_refused(
    store: dict[str, Any], lines: list[str]
) -> None:
    with pytest.raises(SpecError) as caught:
        build_environment("shop", {"object_stores": {"media": store}}, STACKS)
    prefix = "stacks/Pulumi.shop.yaml: environment.object_stores.media."
    assert list(caught.value.lines) == [prefix + line for line in lines]
