from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    return {"nav_items": items_for(user), "nav_current": current}
