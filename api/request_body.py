"""JSON request bodies that cannot be read answer 400, not 500.

Litestar turns a syntax error in a JSON body into a bare 400 "Bad Request"; two other
ways a body can fail to decode escape as 500s: bytes that are not UTF-8
(``UnicodeDecodeError``) and nesting deeper than the decoder's stack allows
(``RecursionError``, from a body such as ten thousand ``[``). All are the client's fault,
and all become a problem naming the body and the fault.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import SerializationException

from api.problems import Problem


class ApiRequest(Request):
    """The request class of the app: its ``json()`` refuses undecodable bodies with a 400."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except UnicodeDecodeError as exc:
            raise _unreadable(f"the body is not UTF-8 (byte {exc.start})") from None
        except RecursionError:
            raise _unreadable("the body nests arrays or objects too deeply") from None
        except SerializationException as exc:
            raise _unreadable(f"the body is not JSON ({exc.detail})") from None


def _unreadable(message: str) -> Problem:
    return Problem(
        400,
        "Invalid request",
        f"request body: {message}",
        errors=[{"field": None, "in": "body", "message": message}],
    )
