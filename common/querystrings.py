"""Query strings of the list pages."""


def query_without_page(request):
    """The request's filters as a query string, without the page number: the pager's links add
    their own ``page=`` to it."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
