from django.db import migrations


def load_reference_data(apps, schema_editor):
    from partners.reference import load_all

    load_all(
        apps.get_model("partners", "Epci"),
        apps.get_model("partners", "Commune"),
        apps.get_model("partners", "Sector"),
        apps.get_model("partners", "Organisation"),
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
