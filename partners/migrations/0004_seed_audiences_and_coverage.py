from django.db import migrations


def seed(apps, schema_editor):
    from partners.reference import DEPARTMENT_SIREN, seed_audiences, seed_department_coverage
    from common.text import search_key

    Organisation = apps.get_model("partners", "Organisation")
    seed_audiences(apps.get_model("partners", "Audience"))
    for organisation in Organisation.objects.select_related("commune"):
        if organisation.siren == DEPARTMENT_SIREN and organisation.kind == "department":
            organisation.buyer_kind = "department"
        commune = organisation.commune.name if organisation.commune else ""
        organisation.search_text = search_key(organisation.name, organisation.siret, organisation.naf_code, commune)
        organisation.save()
    seed_department_coverage(
        apps.get_model("partners", "CoverageRule"), Organisation, apps.get_model("partners", "Epci")
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_directory_coverage_actions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
