import factory
from factory.django import DjangoModelFactory

from partners.identifiers import build_siren, build_siret
from partners.models import Commune, Membership, Organisation, User
from partners.roles import Role


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.COMPANY
    commune = factory.LazyFunction(lambda: Commune.objects.get(insee_code="01053"))

    class Params:
        with_siret = factory.Trait(
            siren=factory.Sequence(lambda n: build_siren(f"{n + 30000000:08d}")),
            siret=factory.LazyAttribute(lambda o: build_siret(o.siren, "0001")),
        )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    # A synthetic surname: a test that checks a person's name is absent never meets it by chance.
    last_name = factory.Sequence(lambda n: f"Testeur{n}")
    password = factory.django.Password("mot-de-passe-de-test")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.FACILITATOR


ROLE_ORGANISATION_KIND = {
    Role.ADMINISTRATOR: Organisation.Kind.DEPARTMENT,
    Role.FACILITATOR: Organisation.Kind.DEPARTMENT,
    Role.DEPARTMENT_READER: Organisation.Kind.DEPARTMENT,
    Role.EMPLOYER: Organisation.Kind.COMPANY,
    Role.BUYER: Organisation.Kind.CONTRACTING_AUTHORITY,
}


def user_with_role(role, organisation=None, **user_fields):
    """A user holding ``role`` in ``organisation`` (the Département for its own roles)."""
    if organisation is None:
        kind = ROLE_ORGANISATION_KIND[role]
        if kind == Organisation.Kind.DEPARTMENT:
            organisation = Organisation.objects.department().get()
        else:
            organisation = OrganisationFactory(kind=kind)
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user
