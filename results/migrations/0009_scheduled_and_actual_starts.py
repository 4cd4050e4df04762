"""A race's scheduled start and each pair's actual start: what the expected starts are measured from."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0008_withdrawals_before_the_draw'),
    ]

    operations = [
        migrations.AddField(
            model_name='heat',
            name='started_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='race',
            name='scheduled_start',
            field=models.DateTimeField(blank=True, help_text="When the first pair is due on the ice (the programme's time); the expected start of every pair is measured from it until pairs have started", null=True),
        ),
    ]
