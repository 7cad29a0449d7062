"""Who may see and change the objects of the company portal (``common.access``): every view fetches
a declaration or a proof through one of these.

A declaration is seen by its employer, the facilitators who follow one of its placements and the
administrators (``MonthlyDeclaration.objects.for_user``); it is changed (hours, proofs) by who
declares hours for an employer (``declaration_scope.can_declare``). Validating it is another right,
the reviewers' (``validation_views``), checked after the same fetch."""

from common.access import register
from placements.models import DeclarationProof, MonthlyDeclaration

from .declaration_scope import can_declare


def _proofs(user):
    return DeclarationProof.objects.filter(declaration__in=MonthlyDeclaration.objects.for_user(user))


DECLARATIONS = register(
    MonthlyDeclaration,
    visible=MonthlyDeclaration.objects.for_user,
    may_change=lambda user, declaration: can_declare(user),
)
PROOFS = register(DeclarationProof, visible=_proofs, may_change=lambda user, proof: can_declare(user))
