"""One place that answers « may this user see / change this object », and fetches it for a view.

The healthchecks way: an object a user may not see does not exist for them (404, never a hint that
it exists); one they may see but not change is forbidden to change (403). Each app declares its
object kinds once, in its ``access.py``::

    LOTS = register(Lot, visible=Lot.objects.for_user, may_change=lambda user, lot: ...)

and every view fetches through it::

    lot = LOTS.to_view(request, pk)                       # 404 for an outsider
    lot = LOTS.to_change(request, pk, refine=with_panels)  # and 403 for a read-only user

Templates and services ask the same question with ``may_see(user, obj)`` / ``may_change(user,
obj)``, answered by the kind registered for the object's model. The access matrix test
(``tests/test_access_matrix.py``) stays the judge of who gets what.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

_KINDS: dict[type[Model], "ObjectAccess"] = {}


def _never(user, obj):
    return False


@dataclass(frozen=True)
class ObjectAccess:
    """The access rules of one kind of object.

    ``visible(user)`` is the QuerySet of the objects the user may see; ``may_change(user, obj)``
    says whether they may change one they see (nobody, when the kind is read-only in the app)."""

    model: type[Model]
    visible: Callable[..., QuerySet]
    may_change: Callable[..., bool] = _never

    def queryset(self, user, refine=None):
        objects = self.visible(user)
        return refine(objects) if refine is not None else objects

    def to_view(self, request, pk, refine=None):
        """The object ``pk`` if the request's user may see it, else 404. ``refine`` adds the
        ``select_related`` / annotations the view needs (it may narrow, never widen)."""
        value = str(pk)
        if not value.isdigit():
            raise Http404
        try:
            return self.queryset(request.user, refine).get(pk=int(value))
        except self.model.DoesNotExist:
            raise Http404 from None

    def to_change(self, request, pk, refine=None):
        """The object ``pk`` if the user may change it; 404 if they may not see it, 403 if they
        may only read it."""
        obj = self.to_view(request, pk, refine)
        self.require_change(request.user, obj)
        return obj

    def require_change(self, user, obj):
        if not self.may_change(user, obj):
            raise PermissionDenied

    def may_see(self, user, obj):
        return self.visible(user).filter(pk=obj.pk).exists()


def register(model, *, visible, may_change=_never):
    """Declare the access rules of ``model`` (once, in the app's ``access.py``)."""
    kind = ObjectAccess(model=model, visible=visible, may_change=may_change)
    _KINDS[model] = kind
    return kind


def access_for(model_or_obj):
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    model = getattr(model._meta, "concrete_model", model)
    try:
        return _KINDS[model]
    except KeyError:
        raise LookupError(f"Aucune règle d'accès déclarée pour {model.__name__}.") from None


def may_see(user, obj):
    return access_for(obj).may_see(user, obj)


def may_change(user, obj):
    return access_for(obj).may_change(user, obj)
