"""Writing the participants, offers, placements, follow-ups, outcomes, declarations, actions."""

from datetime import timedelta

from partners.models import AwarenessAction
from placements import declaration_rules
from placements.models import (
    Candidacy,
    DeclarationLine,
    EligibilityCriterion,
    FollowUp,
    JobOffer,
    MonthlyDeclaration,
    Outcome,
    Participant,
    Placement,
)

from .config import BATCH_SIZE, LINE, MARKER
from .distributions import HALF_HOURS, PROOFS, _aware


class PeopleWriter:
    """Part of ``Generator`` (``build.py``)."""

    def _write_people(self, counts):
        counts["participants"] = self._insert(
            Participant,
            self.participants,
            lambda p: Participant(
                first_name=p.first_name,
                last_name=p.last_name,
                birth_date=p.birth_date,
                sex=p.sex,
                commune_id=p.place.ref.pk,
                education_level=p.education,
                mobility=p.mobility,
                availability="Immédiate",
                prescriber_id=p.prescriber.pk if p.prescriber else None,
                referent="Référent RSA du Département" if p.rsa else "",
                rsa_at_entry=p.rsa,
                data_information_date=p.first_start - timedelta(days=30),
                facilitation_body_id=p.body.pk,
                notes=MARKER,
            ),
            "participants",
        )
        criteria = [(p, code) for p in self.participants for code in p.criteria]

        def criterion(row):
            person, code = row
            prescriber = person.prescriber if code == "DEROGATION" or not PROOFS[code] else None
            if code == "DEROGATION" and prescriber is None:
                prescriber = self.territories[person.territory].services["france_travail"][0]
            return EligibilityCriterion(
                participant_id=person.pk,
                criterion=code,
                assessed_on=person.first_start - timedelta(days=15),
                proof=PROOFS[code],
                confirming_prescriber_id=prescriber.pk if prescriber else None,
                validated_by_id=self.facilitator(person.body).pk,
            )

        counts["criteria"] = self._insert(EligibilityCriterion, criteria, criterion, "critères", keep_pks=False)
        self._through(
            Participant.wished_trades.through,
            [{"participant_id": p.pk, "trade_id": trade} for p in self.participants for trade in p.trades],
        )
        counts["job_offers"] = self._insert(
            JobOffer,
            self.offers,
            lambda o: JobOffer(
                employer_id=o.employer.pk,
                lot_id=o.lot.pk,
                position=o.position,
                rome_code=o.rome,
                tasks="Travaux du lot sous la conduite du chef d'équipe ; respect des consignes de sécurité.",
                skills="Ponctualité, travail en équipe.",
                contract_type=o.contract_type,
                positions=o.positions,
                weekly_hours=o.weekly,
                start_date=o.start,
                place_id=o.lot.contract.operation.place.ref.pk,
                status=o.status,
            ),
            "offres",
        )
        counts["candidacies"] = self._insert(
            Candidacy,
            self.candidacies,
            lambda c: Candidacy(
                offer_id=c.offer.pk,
                participant_id=c.participant.pk,
                status=c.status,
                refusal_reason=c.refusal,
                comment=c.comment,
                interview_date=c.interview,
                proposed_by_id=c.proposed_by.pk if c.proposed_by else None,
            ),
            "candidatures",
        )
        counts["placements"] = self._insert(
            Placement,
            self.placements,
            lambda p: Placement(
                participant_id=p.participant.pk,
                lot_id=p.lot.pk,
                employer_id=p.employer.pk,
                candidacy_id=p.candidacy.pk if p.candidacy else None,
                mode=p.mode,
                contract_type=p.contract_type,
                start_date=p.start,
                end_date=p.end,
                weekly_hours=p.weekly,
                contract_signed=p.start <= self.today + timedelta(days=15),
                eligibility_proof_filed=True,
                start_confirmed=p.start <= self.today,
                created_by_id=self.facilitator(p.participant.body).pk,
            ),
            "mises à l'emploi",
        )
        counts["follow_ups"] = self._insert(
            FollowUp,
            self.follow_ups,
            lambda f: FollowUp(
                placement_id=f[0].pk,
                kind=f[1],
                due_date=f[2],
                done_on=f[3],
                notes=f[4],
                done_by_id=f[5].pk if f[3] else None,
            ),
            "suivis",
            keep_pks=False,
        )
        counts["outcomes"] = self._insert(
            Outcome,
            self.outcomes,
            lambda o: Outcome(
                placement_id=o[0].pk,
                moment=o[1],
                due_date=o[2],
                recorded_on=o[3],
                situation=o[4],
                rsa_status=o[5],
                recorded_by_id=o[6].pk if o[6] else None,
            ),
            "sorties",
            keep_pks=False,
        )

    def _write_declarations(self, counts):
        declarations = list(self.declarations.values())

        def declaration(d):
            status = declaration_rules.declaration_status(d.statuses)
            user = self.employer_user.get(d.employer)
            submitted = None
            if status != "draft":
                month_end = declaration_rules.last_day(d.month)
                submitted = _aware(min(self.today, month_end + timedelta(days=3 + d.month.month % 7)))
            return MonthlyDeclaration(
                employer_id=d.employer.pk,
                month=d.month,
                status=status,
                revision=2 if d.corrected else 1,
                submitted_at=submitted,
                submitted_by_id=user.pk if user and submitted else None,
            )

        counts["declarations"] = self._insert(MonthlyDeclaration, declarations, declaration, "déclarations mensuelles")
        comment = "Le bulletin de paie ne correspond pas aux heures déclarées : corrigez la ligne."
        total = 0
        for start in range(0, len(self.lines), BATCH_SIZE):
            objects = []
            for placement, decl, version, current, half, counted, status, reviewer in self.lines[
                start : start + BATCH_SIZE
            ]:
                reviewed_at = None
                if reviewer is not None:
                    month_end = declaration_rules.last_day(decl.month)
                    reviewed_at = _aware(min(self.today, month_end + timedelta(days=8 + version * 5)), 14)
                user = self.employer_user.get(decl.employer)
                objects.append(
                    DeclarationLine(
                        declaration_id=decl.pk,
                        placement_id=placement.pk,
                        version=version,
                        is_current=current,
                        hours=HALF_HOURS[half],
                        counted=counted,
                        status=status,
                        review_comment=comment if status == LINE.REJECTED else "",
                        reviewed_by_id=reviewer.pk if reviewer else None,
                        reviewed_at=reviewed_at,
                        created_by_id=user.pk if user else None,
                    )
                )
            DeclarationLine.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            total += len(objects)
            if (start // BATCH_SIZE) % 20 == 19:
                self.say(f"  lignes de déclaration : {total} / {len(self.lines)}")
        self.say(f"  lignes de déclaration : {total}")
        counts["declaration_lines"] = total
        counts["current_lines"] = sum(1 for line in self.lines if line[3])

    def _write_actions(self, counts):
        pks = []
        counts["awareness_actions"] = self._insert(
            AwarenessAction,
            self.actions,
            lambda a: AwarenessAction(
                date=a[0],
                kind=a[1],
                title=a[2],
                people_reached=a[3],
                epci_id=a[4].pk if a[4] is not None else None,
                sector_id=a[5].pk if a[5] is not None else None,
                notes=MARKER,
                created_by_id=a[8].pk,
            ),
            "actions de sensibilisation",
            keep_pks=False,
            pks=pks,
        )
        self._through(
            AwarenessAction.audiences.through,
            [
                {"awarenessaction_id": pk, "audience_id": a}
                for pk, action in zip(pks, self.actions, strict=True)
                for a in action[6]
            ],
        )
        self._through(
            AwarenessAction.organisations.through,
            [
                {"awarenessaction_id": pk, "organisation_id": o.pk}
                for pk, action in zip(pks, self.actions, strict=True)
                for o in action[7]
            ],
        )
