"""Dates typed into page URLs, read with a friendly error naming the parameter."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request

from api.web.errors import BadInput

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def day_param(
    request: Request[Any, Any, Any],
    name: str,
    default: date,
    earliest: date = EARLIEST,
    latest: date = LATEST,
) -> date:
    """A date parameter (YYYY-MM-DD) within [earliest, latest]; ``default`` when absent."""
    value = request.query_params.get(name) or ""
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadInput(
            name,
            value,
            f"Ngày «{value}» không hợp lệ: hãy nhập theo dạng năm-tháng-ngày, ví dụ 2025-01-01.",
            f"The date {value!r} is not valid: use year-month-day, e.g. 2025-01-01.",
        ) from None
    if not earliest <= day <= latest:
        raise BadInput(
            name,
            value,
            f"Ngày «{value}» nằm ngoài khoảng {earliest:%d/%m/%Y} – {latest:%d/%m/%Y}.",
            f"The date {value} is outside {earliest} – {latest}.",
        )
    return day
