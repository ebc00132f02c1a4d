"""Background work: surveys' triggers and e-mails, and text analysis of what lands.

On the embedded default the work runs in a thread of ``advocacy serve``; in production it runs
in ``advocacy worker`` processes (``ADVOCACY_WORKER=external``). Every task keeps its state in
the database and claims what it does, so any number of workers may run at once and a restart
picks up where the last one stopped (:mod:`advocacy.services.outbox`).
"""
