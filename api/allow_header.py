"""``Allow`` on OPTIONS answers names every method of the path.

Litestar (2.25) gives a path its OPTIONS handler when the path's first handler is
registered; handlers registered after it at the same path (``GET /products`` after
``POST /products``) build a new route that keeps that handler, whose ``Allow`` still reads
the first route's methods (``Allow: OPTIONS, POST`` where GET is served too). After the app
is built, every such handler is pointed at the route that finally serves its path.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.routes import HTTPRoute


def point_options_at_their_routes(app: Litestar) -> None:
    """Make each automatic OPTIONS handler answer its final route's methods."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.handler_name != "options_handler" or handler.include_in_schema:
                continue
            cells = [
                cell
                for cell in handler.fn.__closure__ or ()
                if isinstance(cell.cell_contents, HTTPRoute)
            ]
            if len(cells) != 1:
                raise RuntimeError(
                    f"Litestar's OPTIONS handler of {route.path} no longer reads its route's "
                    "methods as api.allow_header expects: check the Allow header"
                )
            cells[0].cell_contents = route
