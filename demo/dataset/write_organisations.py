"""Writing the territories, organisations, accounts, operations, contracts and lots."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password

from clauses.models import Clause, Contract, InvoicedAmount, Lot, LotAward, Operation
from common.text import search_key
from partners.models import (
    Commune,
    CoverageRule,
    Epci,
    Membership,
    Organisation,
    Sector,
    User,
)

from .config import MARKER, PASSWORD, K


class OrganisationsWriter:
    """Part of ``Generator`` (``build.py``)."""

    def write(self):
        counts = {}
        self.say("Écriture dans la base…")
        counts["epci"] = self._insert(
            Epci,
            self.epcis,
            lambda e: Epci(
                siren=e.siren,
                name=e.name,
                kind=e.kind,
                communes_in_ain=0,
                communes_total=e.communes,
                departments=e.department,
                population=e.population,
            ),
            "EPCI synthétiques",
        )
        counts["communes"] = self._insert(
            Commune,
            self.communes,
            lambda c: Commune(
                insee_code=c.insee,
                name=c.name,
                siren=c.siren,
                postal_codes=c.postal_code,
                population=c.population,
                epci_id=c.epci.pk,
            ),
            "communes synthétiques",
        )
        counts["sectors"] = self._insert(
            Sector, self.sectors, lambda s: Sector(name=s.name, description=f"{MARKER} {s.name}"), "secteurs"
        )
        self._through(
            Sector.epcis.through, [{"sector_id": s.pk, "epci_id": e.pk} for s in self.sectors for e in s.epcis]
        )
        self._write_organisations(counts)
        self._write_users(counts)
        self._write_contracts(counts)
        self._write_people(counts)
        self._write_declarations(counts)
        self._write_actions(counts)
        return counts

    def _organisation(self, org):
        commune_name = org.place.name if org.place else ""
        return Organisation(
            name=org.name,
            kind=org.kind,
            siret=org.siret,
            siren=org.siret[:9],
            commune_id=org.place.ref.pk if org.place else None,
            buyer_kind=org.buyer_kind,
            epci_id=org.epci.pk if org.epci is not None else None,
            engineering_agency_member=org.agency,
            naf_code=org.naf,
            size_band=org.size,
            federation_id=org.federation.pk if org.federation else None,
            structure_kind=org.structure_kind,
            provides_staff=org.provides_staff,
            subcontracts=org.subcontracts,
            service_kind=org.service_kind,
            notes=MARKER,
            search_text=search_key(org.name, org.siret, org.naf, commune_name),
        )

    def _write_organisations(self, counts):
        federations = [o for o in self.orgs if o.kind == K.FEDERATION]
        others = [o for o in self.orgs if o.kind != K.FEDERATION]
        counts["organisations"] = self._insert(Organisation, federations, self._organisation, "")
        counts["organisations"] += self._insert(Organisation, others, self._organisation, "organisations")
        self._through(
            Organisation.served_epcis.through,
            [{"organisation_id": o.pk, "epci_id": e.pk} for o in others for e in o.served_epcis],
        )
        bodies = [o for o in others if o.kind == K.FACILITATION_BODY]
        rules = []
        self._insert(
            CoverageRule,
            bodies,
            lambda o: CoverageRule(
                facilitation_body_id=o.pk, notes=f"{MARKER} Tous les donneurs d'ordre du territoire."
            ),
            "",
            keep_pks=False,
            pks=rules,
        )
        self._through(
            CoverageRule.sectors.through,
            [
                {"coveragerule_id": rule, "sector_id": ref.pk}
                for o, rule in zip(bodies, rules, strict=True)
                for _, ref in o.coverage
            ],
        )

    def _write_users(self, counts):
        password = make_password(PASSWORD)
        counts["users"] = self._insert(
            User,
            self.users,
            lambda u: User(email=u.email, first_name=u.first_name, last_name=u.last_name, password=password),
            "comptes",
        )
        self._insert(
            Membership,
            self.users,
            lambda u: Membership(user_id=u.pk, organisation_id=u.organisation.pk, role=u.role),
            "",
            keep_pks=False,
        )

    def _write_contracts(self, counts):
        counts["operations"] = self._insert(
            Operation,
            self.operations,
            lambda o: Operation(
                buyer_id=o.buyer.pk,
                title=o.title,
                commune_id=o.place.ref.pk,
                project_manager=o.manager,
                start_date=o.start,
                end_date=o.end,
                description=f"{MARKER} Opération synthétique.",
                facilitation_body_id=o.body.pk if o.body else None,
            ),
            "opérations",
        )
        counts["contracts"] = self._insert(
            Contract,
            self.contracts,
            lambda c: Contract(
                operation_id=c.operation.pk,
                reference=c.reference,
                title=c.title,
                procedure=c.procedure,
                is_purchase_order_framework=c.framework,
                notification_date=c.start - timedelta(days=30),
                start_date=c.start,
                end_date=c.end,
            ),
            "marchés",
        )
        counts["lots"] = self._insert(
            Lot,
            self.lots,
            lambda lot: Lot(
                contract_id=lot.contract.pk,
                number=lot.number,
                title=lot.title,
                trade_id=lot.trade["pk"],
                sector=lot.sector,
                amount_excl_tax=lot.amount,
                start_date=lot.start,
                end_date=lot.end,
            ),
            "lots",
        )
        with_clause = [lot for lot in self.lots if lot.basis]
        counts["clauses"] = self._insert(
            Clause,
            with_clause,
            lambda lot: Clause(
                lot_id=lot.pk,
                legal_basis=lot.basis,
                method=lot.method,
                computed_hours=lot.computed,
                contractual_hours=lot.contractual,
                adjustment_reason=lot.reason,
                **lot.inputs,
            ),
            "clauses",
            keep_pks=False,
        )
        awards = [(lot, company, role) for lot in self.lots for company, role in lot.awards]
        counts["awards"] = self._insert(
            LotAward,
            awards,
            lambda a: LotAward(lot_id=a[0].pk, company_id=a[1].pk, role=a[2]),
            "attributions",
            keep_pks=False,
        )
        invoices = [(lot, *invoice) for lot in self.lots for invoice in lot.invoices]
        counts["invoiced_amounts"] = self._insert(
            InvoicedAmount,
            invoices,
            lambda i: InvoicedAmount(lot_id=i[0].pk, period_start=i[1], period_end=i[2], amount=i[3]),
            "montants facturés",
            keep_pks=False,
        )
