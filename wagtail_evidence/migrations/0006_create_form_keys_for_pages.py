# One create form makes one page too: the key records the page its first save
# made, and the ids of the rows that save made, which a later post must not add again.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_evidence', '0005_create_form_keys'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),  # in Wagtail 7.4 and 8.0
    ]

    operations = [
        migrations.AddField(
            model_name='createformkey',
            name='page',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.page', verbose_name='page'),
        ),
        migrations.AddField(
            model_name='createformkey',
            name='field_updates',
            field=models.JSONField(default=dict, verbose_name='field updates'),
        ),
    ]
