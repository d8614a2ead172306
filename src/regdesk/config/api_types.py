"""Parameter types of the JSON API that take exactly what the OpenAPI document promises, nothing looser."""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from django.utils.translation import gettext
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _iso_date_text(value: object) -> object:
    # Left alone, pydantic also reads "0" as 1970-01-01 (seconds since the epoch) and takes midnight date-times:
    # a caller who sent those meant something else, and would silently get an answer about the wrong day.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_format", gettext("Give a date as YYYY-MM-DD."))
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_text)]
"""A calendar date written YYYY-MM-DD (ASCII digits), as in the document's ``format: date``."""

_INTEGER = re.compile(r"-?\d{1,18}", re.ASCII)


def _integer_text(value: object) -> object:
    # Left alone, pydantic also reads "+0.0" and "1e3" as whole numbers: the document promises an integer.
    if isinstance(value, str) and not _INTEGER.fullmatch(value):
        raise PydanticCustomError("int_format", gettext("Give a whole number in digits."))
    return value


QueryInteger = Annotated[int, BeforeValidator(_integer_text)]
"""A whole number written in ASCII digits with an optional minus sign, as in the document's ``type: integer``."""
