"""Guards compatibility with clients nobody here wrote: the official Segment SDKs, installed
from their registries (segment-analytics-python from PyPI, @segment/analytics-node from npm,
see scripts/setup_collect_sdk) and pointed at the app with their ``host`` setting, send a
journey (page, identify, Signed In, a custom track, Signed Out, alias); the person it makes is
read back through GraphQL."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from segment.analytics.client import Client
from segment.analytics.request import APIError

from tests.collect.conftest import Collector

NODE_SDK = Path(__file__).resolve().parent / "node_sdk"


def assert_journey(collector: Collector, prefix: str) -> None:
    """The person of ``<prefix>-user`` holds the journey the SDKs were asked to send."""
    person = collector.person_of("ACCOUNT", f"{prefix}-user")
    assert person is not None, f"no person for {prefix}-user"
    assert {(i["type"], i["value"]) for i in person["identifiers"]} == {
        ("ACCOUNT", f"{prefix}-user"),
        ("COOKIE", f"{prefix}-anon"),
        ("COOKIE", f"{prefix}-old"),
        ("EMAIL", f"{prefix}@example.com"),
    }
    events = sorted(
        (e["node"]["at"], e["node"]["type"], e["node"]["attributes"].get("event"))
        for e in person["events"]["edges"]
    )
    assert [(kind, name) for _, kind, name in events] == [
        ("PAGE_VIEW", None),
        ("IDENTIFY", None),
        ("LOGIN", "Signed In"),
        ("TRACK", "Order Completed"),
        ("LOGOUT", "Signed Out"),
        ("IDENTIFY", None),
    ]
    assert all(e["node"]["attributes"]["source"] == "web" for e in person["events"]["edges"])


def test_segment_analytics_python(collector: Collector) -> None:
    errors: list[str] = []
    client = Client(
        write_key=collector.write_keys["web"],
        host=collector.url,
        sync_mode=True,
        max_retries=1,
        on_error=lambda error, batch: errors.append(f"{error}"),
    )
    prefix = f"py-{uuid.uuid4().hex[:10]}"
    anon, user = f"{prefix}-anon", f"{prefix}-user"
    start = datetime.now(UTC) - timedelta(minutes=1)
    at = [start + timedelta(seconds=n) for n in range(6)]
    client.page(anonymous_id=anon, name="Home", properties={"path": "/"}, timestamp=at[0],
                message_id=f"{prefix}-page")  # fmt: skip
    client.identify(user, {"email": f"{prefix}@example.com"}, anonymous_id=anon, timestamp=at[1])
    client.track(user, "Signed In", anonymous_id=anon, timestamp=at[2])
    client.track(user, "Order Completed", {"total": 30}, anonymous_id=anon, timestamp=at[3])
    client.track(user, "Signed Out", anonymous_id=anon, timestamp=at[4])
    client.alias(f"{prefix}-old", user, timestamp=at[5])
    client.flush()  # sync_mode: each call was sent already; flush only checks the queue
    assert errors == []
    assert_journey(collector, prefix)
    page = collector.data('{ event(id: "%s-page") { type } }' % prefix)  # noqa: UP031
    assert page["event"] == {"type": "PAGE_VIEW"}  # messageId is the event id


def test_segment_analytics_node(collector: Collector) -> None:
    node = shutil.which("node")
    assert node, "Node.js 18+ is needed for the Segment Node SDK test"
    assert (NODE_SDK / "node_modules" / "@segment" / "analytics-node").is_dir(), (
        "run scripts/setup (it installs the SDK with scripts/setup_collect_sdk)"
    )
    prefix = f"node-{uuid.uuid4().hex[:10]}"
    run = subprocess.run(
        [node, "send.mjs", collector.url, collector.write_keys["web"], prefix],
        cwd=NODE_SDK,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert_journey(collector, prefix)


def test_the_sdks_see_a_wrong_write_key_refused(collector: Collector) -> None:
    client = Client(write_key="not-a-key", host=collector.url, sync_mode=True, max_retries=0)
    with pytest.raises(APIError) as refused:
        client.track("someone", "Clicked")
    assert (refused.value.status, refused.value.code) == (401, "unauthorized")
