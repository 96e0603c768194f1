# Captions for the self-hosted video: a WebVTT document and its language. Records
# that exist get the site's LANGUAGE_CODE as their captions' language, which
# means nothing until the desk adds captions.

import django.db.models.deletion
from django.db import migrations, models
from wagtail.documents import get_document_model_string

import wagtail_evidence.validators


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_evidence', '0007_withhold_coordinates'),
        ('wagtaildocs', '0014_alter_document_file_size'),
        migrations.swappable_dependency(get_document_model_string()),
    ]

    operations = [
        migrations.AddField(
            model_name='evidence',
            name='captions_file',
            field=models.ForeignKey(blank=True, help_text="Captions of the self-hosted video, as a WebVTT file (.vtt). Readers see them in the video's own player.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=get_document_model_string(), verbose_name='captions file'),
        ),
        migrations.AddField(
            model_name='evidence',
            name='captions_language',
            field=models.CharField(default=wagtail_evidence.validators.default_language_code, help_text='The language of the captions, as a code: en, fr, ar…', max_length=16, validators=[wagtail_evidence.validators.validate_language_code], verbose_name='captions language'),
        ),
    ]
