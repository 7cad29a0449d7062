"""Numbers written the French way, one implementation for the pages, the charts, the PDFs, the
clause sheets and the exported files.

- ``french_number``: « 1 234,5 » — thousands grouped by a no-break space, a decimal comma, rounded
  half up to ``decimals_max`` decimals, trailing zeros dropped down to ``decimals_min``;
- ``plain_number``: « 1234,5 » for a spreadsheet cell — every decimal kept, no grouping, no rounding;
- ``legal_number``: « 1 234,50 » for a text a buyer signs (clause sheets) — whole values without
  decimals, others with two, thousands grouped by a narrow no-break space.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


def as_decimal(value) -> Decimal:
    """Any value as a finite Decimal; None, garbage and non-finite values become zero."""
    if value is None or isinstance(value, bool):
        return Decimal(0)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return Decimal(0)
    return number if number.is_finite() else Decimal(0)


def french_number(value, decimals_max: int = 1, *, decimals_min: int = 0, grouping: str = NBSP) -> str:
    """``1234.5`` → ``"1 234,5"``; ``12`` → ``"12"``; ``0.25`` → ``"0,3"`` (half up).

    ``decimals_min`` keeps that many decimals even when they are zeros; ``grouping`` separates
    the thousands (empty: none)."""
    number = as_decimal(value)
    decimals_max = max(0, int(decimals_max))
    decimals_min = min(max(0, int(decimals_min)), decimals_max)
    with localcontext() as context:
        context.prec = max(60, number.adjusted() + decimals_max + 2)
        rounded = number.quantize(Decimal(1).scaleb(-decimals_max), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0").ljust(decimals_min, "0")
    grouped = f"{int(integer):,}".replace(",", grouping)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def plain_number(value) -> str:
    """``Decimal("1217.00")`` → ``"1217"``; ``Decimal("35.50")`` → ``"35,5"``: no grouping, nothing rounded."""
    number = as_decimal(value)
    return french_number(number, decimals_max=max(0, -number.as_tuple().exponent), grouping="")


def legal_number(value, decimals=None) -> str:
    """``1000000`` → ``"1 000 000"``; ``1234.5`` → ``"1 234,50"`` (narrow no-break spaces)."""
    number = as_decimal(value)
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else 2
    return french_number(number, decimals, decimals_min=decimals, grouping=NARROW_NBSP)
