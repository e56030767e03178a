"""Enterprise numbers of the KBO (Kruispuntbank van Ondernemingen), as every service checks them."""

from __future__ import annotations

import re

__all__ = ["kbo_check_digits_valid", "valid_kbo_format"]

_KBO = re.compile(r"^[01]\d{3}\.\d{3}\.\d{3}$")


def valid_kbo_format(kbo: str) -> bool:
    """`dddd.ddd.ddd`, starting with 0 or 1, as the KBO writes enterprise numbers."""
    return bool(_KBO.match(kbo))


def kbo_check_digits_valid(kbo: str) -> bool:
    """The last two digits equal 97 minus the first eight modulo 97."""
    digits = kbo.replace(".", "")
    return len(digits) == 10 and digits.isdigit() and 97 - int(digits[:8]) % 97 == int(digits[8:])
