"""Who may see and change what in clauses."""

from partners.permissions import can_use_directory, has_role, is_administrator, is_facilitator
from partners.roles import Role


def can_create_operations(user):
    return is_facilitator(user)


def can_edit_operation(user, operation):
    """Administrators change everything; facilitators the operations their body follows."""
    if is_administrator(user):
        return True
    if not has_role(user, Role.FACILITATOR):
        return False
    bodies = {m.organisation_id for m in user.memberships.all() if m.is_active and m.role == Role.FACILITATOR}
    return operation.facilitation_body_id in bodies


def can_see_hours_inputs(user):
    """The inputs of the computation are working data of the facilitators and buyers' advisers."""
    return is_facilitator(user) or has_role(user, Role.DEPARTMENT_READER, Role.BUYER)


def can_download_clause_sheet(user):
    return is_facilitator(user) or has_role(user, Role.BUYER, Role.DEPARTMENT_READER)


def can_see_sourcing(user):
    """The inclusion structures near a lot: facilitators' work, read by the Département's readers."""
    return is_facilitator(user) or has_role(user, Role.DEPARTMENT_READER)


def can_import_structures(user, operation):
    """Adding a structure to the directory from a lot: who uses the directory and edits the operation."""
    return can_use_directory(user) and can_edit_operation(user, operation)
