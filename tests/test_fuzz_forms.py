"""Fuzzing of the forms (issue 8, point 5): hostile values in every field — huge numbers, negative
hours, impossible dates, formulas, HTML, very long text, NUL bytes. No form may raise, and what a
valid form saves must pass the model's own checks and fit the database.

Each form starts from good data (so that some examples go as far as the save) and gets hostile values
in a random part of its fields."""

from datetime import date

import pytest
from django.db import transaction
from django.forms import ModelForm
from django.forms.models import model_to_dict
from hypothesis import given
from hypothesis import strategies as st

from clauses import forms as clause_forms
from compliance import forms as oeth_forms
from compliance.models import OethYear, TihSupplier
from partners import action_forms, directory_forms
from partners.models import Organisation
from placements import offer_forms, participant_forms, placement_forms
from placements.models import FollowUp, Outcome
from reporting import export_forms, report_forms
from tests.clauses.factories import ClauseFactory, award
from tests.fuzz import FUZZ, form_value
from tests.partners.action_factories import AwarenessActionFactory
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import JobOfferFactory, ParticipantFactory, PlacementFactory


class Rollback(Exception):
    pass


def as_post(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(getattr(item, "pk", item)) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "on" if value else ""
    return str(getattr(value, "pk", value))


def baseline(instance, fields):
    data = {name: as_post(value) for name, value in model_to_dict(instance, fields=fields).items()}
    return {name: value for name, value in data.items() if value not in ("", [])}


@pytest.fixture
def world(administrator, facilitator):
    clause = ClauseFactory()
    lot = clause.lot
    company = OrganisationFactory(kind=Organisation.Kind.COMPANY, with_siret=True)
    award(lot, company)
    placement = PlacementFactory(lot=lot, employer=company)
    return {
        "admin": administrator,
        "facilitator": facilitator,
        "clause": clause,
        "lot": lot,
        "company": company,
        "placement": placement,
        "offer": JobOfferFactory(lot=lot, employer=company),
        "participant": ParticipantFactory(),
        "action": AwarenessActionFactory(),
    }


def _model_form(form_class, instance_key, **kwargs_keys):
    def build(world, data):
        kwargs = {name: world[key] for name, key in kwargs_keys.items()}
        instance = world[instance_key] if instance_key else None
        return form_class(data=data, instance=instance, **kwargs), instance

    return build


def _plain_form(factory):
    def build(world, data):
        return factory(world, data), None

    return build


def _organisation_form(kind):
    return lambda world, data: (
        directory_forms.organisation_form_class(kind)(data=data, instance=world["company"]),
        world["company"],
    )


def _follow_up(world, data):
    instance = FollowUp(placement=world["placement"])
    return placement_forms.FollowUpForm(data=data, instance=instance), instance


def _kept(world, key, create):
    """One row of the world per key, created on the first (unbound) build, outside the rolled-back saves."""
    if key not in world:
        world[key] = create()
    return world[key]


def _oeth_year(world, data):
    instance = _kept(
        world, "oeth_year", lambda: OethYear.objects.create(year=2026, contribution=1000, employment_rate=2)
    )
    return oeth_forms.OethYearForm(data=data, instance=instance), instance


def _tih(world, data):
    instance = _kept(world, "tih", lambda: TihSupplier.objects.create(name="Lou Martin", siret="12345678200010"))
    return oeth_forms.TihSupplierForm(data=data, instance=instance), instance


def _outcome(world, data):
    instance = Outcome(placement=world["placement"], moment=Outcome.Moment.choices[0][0], due_date=date(2026, 9, 1))
    return placement_forms.OutcomeForm(data=data, instance=instance), instance


FORMS = {
    "operation": _model_form(clause_forms.OperationForm, None, user="admin"),
    "operation_change": lambda world, data: (
        clause_forms.OperationForm(data=data, instance=world["lot"].contract.operation, user=world["admin"]),
        world["lot"].contract.operation,
    ),
    "contract": lambda world, data: (
        clause_forms.ContractForm(data=data, instance=world["lot"].contract, operation=world["lot"].contract.operation),
        world["lot"].contract,
    ),
    "lot": lambda world, data: (
        clause_forms.LotForm(data=data, instance=world["lot"], contract=world["lot"].contract),
        world["lot"],
    ),
    "clause": lambda world, data: (
        clause_forms.ClauseForm(data=data, instance=world["clause"], contract=world["lot"].contract),
        world["clause"],
    ),
    "award": _plain_form(lambda world, data: clause_forms.AwardForm(data=data, lot=world["lot"])),
    "participant": _model_form(participant_forms.ParticipantForm, "participant", user="facilitator"),
    "offer": _model_form(offer_forms.JobOfferForm, "offer", lot="lot"),
    "placement": _model_form(placement_forms.PlacementForm, "placement", user="facilitator"),
    "follow_up": _follow_up,
    "outcome": _outcome,
    "company": _organisation_form(Organisation.Kind.COMPANY),
    "contact": lambda world, data: (directory_forms.ContactForm(data=data), None),
    "action": _model_form(action_forms.AwarenessActionForm, "action"),
    "action_filter": _plain_form(lambda world, data: action_forms.ActionFilterForm(data)),
    "report_request": _plain_form(lambda world, data: report_forms.ReportRequestForm(data=data, user=world["admin"])),
    "oeth_year": _oeth_year,
    "tih": _tih,
    "export": _plain_form(lambda world, data: export_forms.ExportForm(world["admin"], data=data)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMS)
def test_forms_survive_hostile_values(name, world, request):
    build = FORMS[name]
    form, instance = build(world, None)
    fields = list(form.fields)
    good = baseline(instance, fields) if instance is not None and isinstance(form, ModelForm) else {}

    @FUZZ
    @given(st.data())
    def run(data):
        chosen = data.draw(st.lists(st.sampled_from(fields), unique=True, min_size=1, max_size=len(fields)))
        posted = dict(good)
        for field_name in chosen:
            posted[field_name] = data.draw(form_value, label=field_name)
        try:
            with transaction.atomic():
                bound, bound_instance = build(world, posted)
                if bound.is_valid() and isinstance(bound, ModelForm):
                    saved = bound.save()
                    saved.refresh_from_db()
                    others = [f.name for f in saved._meta.fields if f.name not in bound.fields]
                    saved.full_clean(exclude=others, validate_unique=False)
                    _check_dates(saved)
                raise Rollback
        except Rollback:
            pass

    run()


def _check_dates(obj):
    """Dates of a saved object stay in order (start before end)."""
    for start, end in (("start_date", "end_date"), ("period_start", "period_end")):
        first, last = getattr(obj, start, None), getattr(obj, end, None)
        if first and last:
            assert first <= last, (start, first, end, last)
