"""How the desk states a figure, the same wherever it shows."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> int | None:
    """`part` of `whole` in whole percent, half rounded up (1 of 8 is 13%); None
    when there is no whole."""
    if not whole:
        return None
    return int((Decimal(part * 100) / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))
