"""What a race has published, as the tests read it: the snapshot every spectator gets, and its version."""

from __future__ import annotations

import json
from typing import Any

from results.models import Race, Snapshot
from results.selectors import race_snapshot_current
from results.topics import race_topic


def snapshot(race: Race) -> dict[str, Any]:
    return json.loads(race_snapshot_current(race.pk).payload)


def version(race: Race) -> int:
    return Snapshot.objects.get(topic=race_topic(race.pk)).version
