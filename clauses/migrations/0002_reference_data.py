from django.db import migrations


def seed(apps, schema_editor):
    from clauses.reference import seed as seed_reference

    seed_reference(
        apps.get_model("clauses", "Trade"),
        apps.get_model("clauses", "HoursSettings"),
        apps.get_model("clauses", "ClauseSheetTemplate"),
    )


class Migration(migrations.Migration):
    dependencies = [("clauses", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
