"""Put back the reference data that migrations load, after a transactional test emptied the tables."""


def restore_reference_data():
    from clauses import reference as clauses_reference
    from clauses.models import ClauseSheetTemplate, HoursSettings, Trade
    from partners import reference as partners_reference
    from partners.models import Audience, Commune, CoverageRule, Epci, Organisation, Sector

    if not Organisation.objects.department().exists():
        partners_reference.load_all(Epci, Commune, Sector, Organisation)
        Organisation.objects.department().update(buyer_kind="department")
        for organisation in Organisation.objects.department():
            organisation.save()  # search text
    partners_reference.seed_audiences(Audience)
    partners_reference.seed_department_coverage(CoverageRule, Organisation, Epci)
    clauses_reference.seed(Trade, HoursSettings, ClauseSheetTemplate)
