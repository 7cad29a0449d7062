"""The first rows of a long table of figures (buyers, employers, EPCI... of a whole region run into
thousands): pages and PDFs show those, and say how many more the exports hold in full."""

from dataclasses import dataclass

LEADING_ROWS = 20


@dataclass(frozen=True)
class Leading:
    """``rows``: the first rows, in their order; ``hidden``: how many follow them, not shown."""

    rows: list
    hidden: int


def leading(rows, limit=LEADING_ROWS):
    """The first ``limit`` of ``rows`` (already sorted, the largest first) and how many are left.

    The rows left are not summed into an "others" row: a lot counts in every sector that covers
    its commune and a person in every group they worked for, so such a sum would count them twice."""
    rows = list(rows)
    if limit < 1:
        raise ValueError("At least one row is shown.")
    return Leading(rows=rows[:limit], hidden=max(len(rows) - limit, 0))
