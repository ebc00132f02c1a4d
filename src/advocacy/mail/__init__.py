"""Outgoing e-mail: composing the survey e-mails (:mod:`.survey_mail`) and sending them over
SMTP (:mod:`.smtp`). Senders are injected, so tests use a real SMTP server on loopback."""
