"""Providers that talk to the outside world, one package per provider
(`smtp/`, `sms_http/`, `webhook/`, …). An outbox provider subclasses
`mitra.core.outbox.Provider` and is chosen per channel by `settings.OUTBOX_PROVIDERS`."""
