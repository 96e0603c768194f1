# Coordinates are shown to readers from this release on. Until now they never
# were, so a record that already has them starts with them withheld, in its row
# and in every revision (a draft or a restored revision must not bring them
# out): the desk releases them record by record (see the CHANGELOG).

from django.db import migrations, models


def withhold_existing_coordinates(apps, schema_editor):
    Evidence = apps.get_model("wagtail_evidence", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    located = Evidence.objects.filter(latitude__isnull=False)
    located.update(withhold_coordinates=True)
    content_type = ContentType.objects.filter(
        app_label="wagtail_evidence", model="evidence"
    ).first()
    if content_type is None:
        return
    revisions = Revision.objects.filter(base_content_type=content_type)
    for revision in revisions.iterator():
        content = revision.content or {}
        if content.get("latitude") is not None and not content.get(
            "withhold_coordinates"
        ):
            content["withhold_coordinates"] = True
            revision.content = content
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_evidence', '0006_create_form_keys_for_pages'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),  # in Wagtail 7.4 and 8.0
    ]

    operations = [
        migrations.AddField(
            model_name='evidence',
            name='withhold_coordinates',
            field=models.BooleanField(default=False, help_text='Readers, the API and the structured data get the place and its precision, never the latitude and longitude: for people on the ground whom an exact spot could put at risk.', verbose_name='withhold the coordinates'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='location_precision',
            field=models.CharField(choices=[('exact', 'Exact spot (within about 10 m)'), ('vicinity', 'Vicinity (within a few hundred metres, ±500 m)'), ('locality', 'Locality (the village, town or area, ±5 km)')], default='locality', max_length=16, verbose_name='precision of the location'),
        ),
        migrations.RunPython(withhold_existing_coordinates, migrations.RunPython.noop),
    ]
