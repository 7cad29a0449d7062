"""The roles of Clausier (design.md, Roles) and what follows from them, without the database."""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrateur"
    FACILITATOR = "facilitator", "Facilitateur"
    DEPARTMENT_READER = "department_reader", "Lecteur du Département"
    EMPLOYER = "employer", "Employeur"
    BUYER = "buyer", "Acheteur"


# When a user holds several roles, the first of this list is the one their home page follows.
ROLE_PRIORITY = (
    Role.ADMINISTRATOR,
    Role.FACILITATOR,
    Role.DEPARTMENT_READER,
    Role.EMPLOYER,
    Role.BUYER,
)

# Roles that work for the Département (or a facilitation body) and see across organisations.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.FACILITATOR, Role.DEPARTMENT_READER})


def primary_role(roles):
    """The role that decides a user's home page and navigation, or None."""
    for role in ROLE_PRIORITY:
        if role in roles:
            return role
    return None
