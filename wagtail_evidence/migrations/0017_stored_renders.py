"""Rendered evidence blocks kept in the database behind the render cache
(reader.stored_renders); the table starts empty and fills as readers read."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_evidence', '0016_badge_index_covers_its_inputs'),
    ]

    operations = [
        migrations.CreateModel(
            name='StoredRender',
            fields=[
                ('key', models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name='key')),
                ('render_token', models.CharField(max_length=32, verbose_name='render token')),
                ('html', models.TextField(verbose_name='HTML')),
                ('rendered_at', models.DateTimeField(verbose_name='rendered at')),
                ('evidence', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtail_evidence.evidence', verbose_name='evidence')),
            ],
            options={
                'verbose_name': 'stored render',
                'verbose_name_plural': 'stored renders',
            },
        ),
    ]
