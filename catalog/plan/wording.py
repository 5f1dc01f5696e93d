"""Numbers and dates as a Vietnamese administrative text writes them: 1.234 and 52,5 (a dot
groups thousands, a comma marks decimals), 30/11/2026, "ngày 30 tháng 11 năm 2026"."""

from __future__ import annotations

from datetime import date


def vi_number(value: float | int | None, decimals: int = 1) -> str:
    """``1234`` → ``1.234``; ``52.5`` → ``52,5``; ``40.0`` → ``40``; ``None`` → ``—``."""
    if value is None:
        return "—"
    rounded = round(float(value), decimals)
    whole, _, fraction = f"{abs(rounded):,.{decimals}f}".partition(".")
    fraction = fraction.rstrip("0")
    text = whole.replace(",", ".") + (f",{fraction}" if fraction else "")
    return f"-{text}" if rounded < 0 else text


def en_number(value: float | int | None, decimals: int = 1) -> str:
    """``1234`` → ``1,234``; ``52.5`` → ``52.5``; ``None`` → ``—``."""
    if value is None:
        return "—"
    text = f"{round(float(value), decimals):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def vi_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def vi_date_long(day: date) -> str:
    """``ngày 05 tháng 3 năm 2026``, as Decree 30/2020/NĐ-CP writes the date of a document:
    a day below 10 and the months 1 and 2 take a leading zero (ngày 09 tháng 02)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
