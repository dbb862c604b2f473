"""Every published price is pinned here, row by row: changing one (a price the vendor changed,
or a slip) is a change to this file too, so it is reviewed with the page it cites beside it.

``test_cost.py`` checks that each row cites its page and date and prices the stacks; this file
only holds the figures, all of them.
"""

from __future__ import annotations

from typing import Any

from paas_stacks.components.spec import prices, prices_fly
from paas_stacks.components.spec.prices import Price, PriceTable

PINNED: dict[str, Any] = {
    "RENDER_COMPUTE": {
        "free": 0,
        "starter": 7,
        "standard": 25,
        "pro": 85,
        "pro_plus": 175,
        "pro_max": 225,
        "pro_ultra": 450,
    },
    "RENDER_POSTGRES": {
        "free": 0,
        "basic_256mb": 6,
        "basic_1gb": 19,
        "basic_4gb": 75,
        "pro_4gb": 55,
        "pro_8gb": 100,
        "pro_16gb": 200,
        "pro_32gb": 400,
        "pro_64gb": 800,
        "pro_128gb": 1700,
        "pro_192gb": 2500,
        "pro_256gb": 3000,
        "pro_384gb": 4600,
        "pro_512gb": 6200,
        "accelerated_16gb": 160,
        "accelerated_32gb": 350,
        "accelerated_64gb": 750,
        "accelerated_128gb": 1500,
        "accelerated_256gb": 2500,
        "accelerated_384gb": 4500,
        "accelerated_512gb": 6000,
        "accelerated_768gb": 9000,
        "accelerated_1024gb": 11000,
        "starter": 7,
        "standard": 20,
        "pro": 95,
        "pro_plus": 185,
    },
    "RENDER_POSTGRES_STORAGE": 0.30,
    "RENDER_DISK": 0.25,
    "RENDER_KEY_VALUE": {"free": 0, "starter": 10, "standard": 32, "pro": 135, "pro_plus": 250},
    "RENDER_WORKSPACE": {"hobby": 0, "pro": 25},
    "SUPABASE_PLANS": {"free": 0, "pro": 25, "team": 599},
    "SUPABASE_COMPUTE_CREDIT": 10,
    "SUPABASE_BRANCH": {
        "micro": 0.01344,
        "small": 0.0206,
        "medium": 0.0822,
        "large": 0.1517,
        "xlarge": 0.2877,
        "2xlarge": 0.562,
    },
    "SUPABASE_COMPUTE": {
        "nano": 0,
        "micro": 10,
        "small": 15,
        "medium": 60,
        "large": 110,
        "xlarge": 210,
        "2xlarge": 410,
        "4xlarge": 960,
        "8xlarge": 1870,
        "12xlarge": 2800,
        "16xlarge": 3730,
    },
    "SUPABASE_PITR": {"7": 100, "14": 200, "28": 400},
    "SUPABASE_USAGE": {"disk": 0.125},
    "UPSTASH_REDIS": {
        "free": 0,
        "payg": 0,
        "fixed_250mb": 10,
        "fixed_1gb": 20,
        "fixed_5gb": 100,
        "fixed_10gb": 200,
        "fixed_50gb": 400,
        "fixed_100gb": 800,
        "fixed_500gb": 1500,
    },
    "UPSTASH_USAGE": {"commands": 0.20, "storage": 0.25},
    "STATIC_HOSTING": {
        "vercel:hobby": 0,
        "vercel:pro": 20,
        "cloudflare_pages:free": 0,
        "render_static:free": 0,
    },
    "USAGE": {"s3": 0.023, "cloudfront": 0, "s3_compatible": 6.95},
    "FLY_MACHINES": {"shared": 1.94, "performance": 31.00, "memory_per_gb": 5.00},
    "FLY_USAGE": {"stopped_rootfs": 0.15, "volume": 0.15, "egress_na_eu": 0.02},
    "FLY_REGIONS": {
        "ams": 1.038461538,
        "arn": 1.038461538,
        "bom": 1.076923077,
        "cdg": 1.134615385,
        "dfw": 1.25,
        "ewr": 1.0,
        "fra": 1.153846154,
        "gru": 1.615384615,
        "iad": 1.0,
        "jnb": 1.302884615,
        "lax": 1.199519231,
        "lhr": 1.134615385,
        "nrt": 1.307692308,
        "ord": 1.25,
        "sin": 1.269230769,
        "sjc": 1.192307692,
        "syd": 1.269230769,
        "yyz": 1.115384615,
    },
    "FLY_LISTED": {
        ("*", "shared-cpu-1x", 256): 1.94,
        ("*", "shared-cpu-1x", 512): 3.19,
        ("*", "shared-cpu-1x", 1024): 5.70,
        ("*", "shared-cpu-1x", 2048): 10.70,
        ("ams", "shared-cpu-1x", 256): 2.02,
        ("ams", "shared-cpu-1x", 1024): 5.92,
        ("sjc", "shared-cpu-1x", 256): 2.32,
        ("sjc", "shared-cpu-1x", 1024): 6.79,
        ("lax", "shared-cpu-1x", 256): 2.33,
    },
}


def published() -> dict[str, Any]:
    """Every table, loose price and listed preset of the two price modules, by name."""
    found: dict[str, Any] = {}
    for module in (prices, prices_fly):
        for name, value in vars(module).items():
            if isinstance(value, PriceTable):
                found[name] = {key: row.usd for key, row in value.rows.items()}
            elif isinstance(value, Price):
                found[name] = value.usd
    found["FLY_LISTED"] = {key: row.usd for key, row in prices_fly.FLY_LISTED.items()}
    return found


def test_every_price_row_is_pinned_to_the_figure_its_page_printed() -> None:
    actual = published()
    assert set(actual) == set(PINNED), "a price table was added or removed: pin it here"
    for name, pinned in PINNED.items():
        assert actual[name] == pinned, name
