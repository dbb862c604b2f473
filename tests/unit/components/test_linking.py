"""The link planner: every injected name has one source, and ``only``/``rename`` decide which
names a link injects before any two sources are compared."""

from __future__ import annotations

from paas_stacks.components.linking import Offer, plan_links

REDIS = ("REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD")


def test_two_links_with_disjoint_only_lists_inject_each_its_own_names() -> None:
    offers = [
        Offer("cache", REDIS, only=["REDIS_URL"]),
        Offer("queue", REDIS, only=["REDIS_HOST", "REDIS_PORT"]),
    ]
    plan, problems = plan_links({"LOG_LEVEL"}, offers)
    assert problems == []
    assert plan == {
        "REDIS_URL": (0, "REDIS_URL"),
        "REDIS_HOST": (1, "REDIS_HOST"),
        "REDIS_PORT": (1, "REDIS_PORT"),
    }


def test_two_links_that_pick_the_same_name_are_refused_at_the_second() -> None:
    offers = [Offer("cache", REDIS, only=["REDIS_URL"]), Offer("queue", REDIS, only=["REDIS_URL"])]
    plan, problems = plan_links((), offers)
    assert [(p.loc, p.message) for p in problems] == [
        ((1,), "injects REDIS_URL, which links[0] (cache) also sets; rename one with rename:")
    ]
    assert plan == {"REDIS_URL": (0, "REDIS_URL")}


def test_a_renamed_name_is_the_one_compared() -> None:
    offers = [
        Offer("cache", REDIS, only=["REDIS_URL"]),
        Offer("queue", REDIS, only=["REDIS_URL"], rename={"REDIS_URL": "QUEUE_URL"}),
    ]
    plan, problems = plan_links((), offers)
    assert problems == []
    assert plan == {"REDIS_URL": (0, "REDIS_URL"), "QUEUE_URL": (1, "REDIS_URL")}
