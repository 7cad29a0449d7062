from django.urls import reverse

from partners.navigation import NavItem
from partners.permissions import has_role
from partners.roles import Role


def navigation(user):
    """Operations for those who follow contracts; lots for everybody who has some."""
    if not user.is_authenticated or not user.roles:
        return []
    items = []
    if has_role(user, Role.ADMINISTRATOR, Role.FACILITATOR, Role.DEPARTMENT_READER, Role.BUYER):
        items.append((5, NavItem("Opérations", reverse("clauses:operation_list"), "clauses:operation_list")))
    label = "Mes lots" if user.role == Role.EMPLOYER else "Lots"
    items.append((6, NavItem(label, reverse("clauses:lot_list"), "clauses:lot_list")))
    return items
