"""Webhooks' I/O: where a webhook may point (:mod:`api.webhooks.addresses`), registering one
(:mod:`api.webhooks.registration`) and sending what is due, with retries
(:mod:`api.webhooks.delivery`). What is sent and how it is signed is :mod:`catalog.webhooks`."""
