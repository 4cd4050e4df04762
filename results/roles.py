"""The officials' roles as groups. The migration creates them; the demo puts one user in each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

TIMING_OFFICIAL = "Timing official"
REFEREE = "Referee"
COMMENTATOR = "Commentator"

_SEE_EVERYTHING = [
    f"view_{model}"
    for model in (
        "venue",
        "competition",
        "race",
        "skater",
        "heat",
        "start",
        "record",
        "resultchange",
        "racestatuschange",
        "standingsedit",
        "withdrawal",
    )
]
_KEEP_NOTES = [f"{action}_skaternote" for action in ("add", "change", "delete", "view")]
_KEEP_THE_START_LIST = [
    f"{action}_{model}" for model in ("heat", "start", "skater", "withdrawal") for action in ("add", "change", "delete")
]

# Codenames of the ``results`` app's permissions per group.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Enter and correct results of races that are not yet official; keep the draw (start lists, re-skates).
    # Both officials' roles keep the notes commentators read about skaters.
    TIMING_OFFICIAL: ["enter_results", *_SEE_EVERYTHING, *_KEEP_THE_START_LIST, *_KEEP_NOTES],
    # Also confirm races, put them under review, reopen them, and correct official results (with a reason).
    REFEREE: ["enter_results", "referee_race", "change_race", *_SEE_EVERYTHING, *_KEEP_THE_START_LIST, *_KEEP_NOTES],
    # Accredited commentators: the commentator's screen, read-only (docs/commentators.md).
    COMMENTATOR: ["commentate"],
}


def role_group(role: str) -> Group:
    """The role's group with its permissions, created if it is missing (the migration creates both; a database
    emptied since, as between transactional tests, lost them)."""
    group, created = Group.objects.get_or_create(name=role)
    if created:
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="results", codename__in=ROLE_PERMISSIONS[role])
        )
    return group


def roles_given(apps: Any, schema_editor: Any, *, codenames: Sequence[str], given: bool = True) -> None:
    """For a migration that adds a model: both roles get (``given``) or lose its permissions named in
    ``codenames``, as ROLE_PERMISSIONS lists them for each. Permissions are normally created after all migrations
    ran; these are created now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    groups = apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS)
    permissions = apps.get_model("auth", "Permission").objects.filter(content_type__app_label="results")
    for group in groups:
        wanted = permissions.filter(codename__in=[c for c in codenames if c in ROLE_PERMISSIONS[group.name]])
        if given:
            group.permissions.add(*wanted)
        else:
            group.permissions.remove(*wanted)
