"""The reports API: gaps and overlaps, draft QCĐP impact, the change feed (JSON and Atom),
watch lists with webhooks, the declarations registry and the plan's indicators.

Register :data:`REPORT_HANDLERS` under ``/api/v1``.
"""

from api.reports.controllers import REPORT_HANDLERS

__all__ = ["REPORT_HANDLERS"]
