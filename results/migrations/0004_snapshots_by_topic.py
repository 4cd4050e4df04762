"""Published snapshots by topic (``race.12``, ``classification.3``) instead of by race: one table for every board."""

from django.db import migrations, models


def snapshots_to_topics(apps, schema_editor):
    RaceSnapshot = apps.get_model("results", "RaceSnapshot")
    Snapshot = apps.get_model("results", "Snapshot")
    Snapshot.objects.bulk_create(
        Snapshot(topic=f"race.{old.race_id}", version=old.version, committed_at=old.committed_at, payload=old.payload)
        for old in RaceSnapshot.objects.all()
    )


def topics_to_snapshots(apps, schema_editor):
    RaceSnapshot = apps.get_model("results", "RaceSnapshot")
    Snapshot = apps.get_model("results", "Snapshot")
    RaceSnapshot.objects.bulk_create(
        RaceSnapshot(race_id=int(new.topic[5:]), version=new.version, committed_at=new.committed_at,
                     payload=new.payload)
        for new in Snapshot.objects.filter(topic__startswith="race.")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0003_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="Snapshot",
            fields=[
                ("topic", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("version", models.PositiveIntegerField(default=0)),
                ("committed_at", models.DateTimeField()),
                ("payload", models.TextField()),
            ],
        ),
        migrations.RunPython(snapshots_to_topics, topics_to_snapshots),
        migrations.DeleteModel(
            name="RaceSnapshot",
        ),
    ]
