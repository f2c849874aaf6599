"""Money is integer fen (1/100 yuan) end to end; text in yuan is parsed exactly.

The one rule for text: at most two decimal places. ``2.985`` is refused, never
rounded, because a clerk who typed three decimals typed something wrong. Parsing
goes through :class:`decimal.Decimal`, never a float.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from desk_app.errors import BadInputError
from desk_app.identity.normalize import to_ascii_forms

FEN_PER_YUAN = 100
# A hospital bill can be large; a hundred million yuan is past any counter's amount.
MAX_FEN = 100_000_000 * FEN_PER_YUAN
_AMOUNT = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")


class InvalidAmountError(BadInputError):
    """Text that is not an amount of money the desk accepts."""


def parse_yuan(text: str) -> int:
    """Parse an amount typed in yuan into integer fen.

    Accepts ``60.4``, ``60.40``, ``1,234.50``, ``¥60``, full-width digits, surrounding
    spaces. Refuses negatives, more than two decimals, anything else.

    Args:
        text: the amount as typed.

    Returns:
        The amount in fen.

    Raises:
        InvalidAmountError: with the clerk's message.
    """
    cleaned = to_ascii_forms(text).strip().replace(",", "").replace(" ", "")
    cleaned = cleaned.removeprefix("¥").removeprefix("￥").removesuffix("元")
    if not _AMOUNT.match(cleaned):
        if re.match(r"^[0-9]+\.[0-9]{3,}$", cleaned):
            raise InvalidAmountError(
                f"金额“{text.strip()}”超过两位小数（分）。",
                f"The amount '{text.strip()}' has more than two decimals (fen).",
            )
        raise InvalidAmountError(
            f"“{text.strip()}”不是金额：请输入如 60.40 的元金额。",
            f"'{text.strip()}' is not an amount: type yuan such as 60.40.",
        )
    try:
        fen = int(Decimal(cleaned) * FEN_PER_YUAN)
    except InvalidOperation as exc:  # pragma: no cover - the pattern excludes it
        raise InvalidAmountError("金额无法识别。", "The amount cannot be read.") from exc
    if fen > MAX_FEN:
        raise InvalidAmountError(
            f"金额“{text.strip()}”过大。", f"The amount '{text.strip()}' is too large."
        )
    return fen


def format_fen(fen: int, symbol: bool = True) -> str:
    """Format fen as yuan for display, e.g. ``¥1,234.50``."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{cents:02d}"
