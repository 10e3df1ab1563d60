"""Command-line arguments the portal's management commands share."""

import argparse
import datetime as dt


def date_argument(value: str) -> dt.date:
    """An argparse type: a WITA calendar date written YYYY-MM-DD (a clear error otherwise)."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date written YYYY-MM-DD") from exc
