"""Skaters who withdrew before the draw (Withdrawal); timing officials and referees keep them like the draw
(results/roles.py)."""

from functools import partial

import django.db.models.deletion
from django.db import migrations, models

from results.roles import roles_given

KEEP_WITHDRAWALS = [f"{action}_withdrawal" for action in ("view", "add", "change", "delete")]


roles_keep_withdrawals = partial(roles_given, codenames=KEEP_WITHDRAWALS)
roles_no_longer_keep_withdrawals = partial(roles_given, codenames=KEEP_WITHDRAWALS, given=False)


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0007_standings_edits'),
    ]

    operations = [
        migrations.CreateModel(
            name='Withdrawal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('bib', models.PositiveIntegerField()),
                ('race', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='withdrawals', to='results.race')),
                ('skater', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='withdrawals', to='results.skater')),
            ],
            options={
                'verbose_name': 'withdrawal before the draw',
                'verbose_name_plural': 'withdrawals before the draw',
                'ordering': ['race', 'bib'],
                'constraints': [models.UniqueConstraint(fields=('race', 'skater'), name='withdrawal_unique_skater'), models.UniqueConstraint(fields=('race', 'bib'), name='withdrawal_unique_bib')],
            },
        ),
        migrations.RunPython(roles_keep_withdrawals, roles_no_longer_keep_withdrawals),
    ]
