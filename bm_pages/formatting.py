"""Numbers as Dutch readers expect them on the public pages."""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format


def figure(value, max_decimals: int = 2) -> str:
    """A number as people write it: localised, grouped, no trailing zeros (5.796; 68,3)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    number = round(number, int(max_decimals))
    exponent = number.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(
        number, decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
