"""The worker: runs the sources on their schedules, keeps the search index in step and
delivers webhooks, one job at a time per database (see :mod:`api.worker.lease`)."""
