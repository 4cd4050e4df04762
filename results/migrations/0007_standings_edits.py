"""The history of changes to what a board's standings are computed from (StandingsEdit), and both roles may read it
(results/roles.py)."""

from functools import partial

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from results.roles import roles_given

SEE_EDITS = ["view_standingsedit"]


roles_see_edits = partial(roles_given, codenames=SEE_EDITS)
roles_no_longer_see_edits = partial(roles_given, codenames=SEE_EDITS, given=False)


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0006_mass_start_sprint_placings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StandingsEdit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(help_text='What changed, e.g. “pair 3, bib 281 Jutta LEERDAM: lane”', max_length=200)),
                ('old', models.CharField(blank=True, max_length=500)),
                ('new', models.CharField(blank=True, max_length=500)),
                ('heat_number', models.PositiveIntegerField(blank=True, null=True)),
                ('bib', models.PositiveIntegerField(blank=True, null=True)),
                ('reason', models.CharField(blank=True, max_length=300)),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('version', models.PositiveIntegerField(blank=True, help_text='The snapshot version that published it', null=True)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                ('classification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='edits', to='results.classification')),
                ('race', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='edits', to='results.race')),
            ],
            options={
                'verbose_name': 'change to a draw, settings or record',
                'verbose_name_plural': 'changes to draws, settings and records',
                'ordering': ['-at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('classification__isnull', True), ('race__isnull', False)), models.Q(('classification__isnull', False), ('race__isnull', True)), _connector='OR'), name='standings_edit_of_one_board')],
            },
        ),
        migrations.RunPython(roles_see_edits, roles_no_longer_see_edits),
    ]
