"""The worker: every few seconds, make the invitations triggers owe, send what is due, analyse
the items not analysed yet, run the case rules (new cases, escalations), re-survey the
customers of cases resolved long enough ago, tell webhooks and people what happened to cases,
and e-mail the replies written to customers.

``run_once`` does one round and says what it did; ``start`` runs rounds in a thread until
``stop``, which lets the message being sent finish and leaves the rest queued for the next
worker. An error in a round is logged and the next round tries again: the worker never dies of
a bad row or an unreachable mail server.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from advocacy.config import Settings
from advocacy.mail.smtp import Mailer, SmtpMailer
from advocacy.services import customer_messages, notifications
from advocacy.services.advocate_programme import remind_due_tasks, run_programme
from advocacy.services.analysis import analyse_feedback, analyzer_for
from advocacy.services.cases import run_rules
from advocacy.services.invitations import run_triggers
from advocacy.services.outbox import deliver_due
from advocacy.services.resurveys import resurvey_resolved
from advocacy.text.pipeline import Analyzer

log = logging.getLogger("advocacy.worker")

#: Items analysed at most per round, so a round stays short and a stop is quick.
ANALYSIS_PER_ROUND = 2_048


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Worker:
    """Background work on ``engine`` with the installation's ``settings``.

    ``mailer`` defaults to the SMTP server of the settings (none: invitations wait);
    ``clock`` gives "now" (tests move it); ``analyse`` turns text analysis of new items off.
    """

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        mailer: Mailer | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        analyse: bool = True,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.mailer = mailer if mailer is not None else SmtpMailer.from_settings(settings)
        self.clock = clock
        self.analyse = analyse
        self._analyzer: Analyzer | None = None
        #: When each rule that reads a long history last ran (``run_rules``'s ``last_runs``).
        self._rules_last_run: dict[str, dt.datetime] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _analyzer_now(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = analyzer_for(
                self.settings.text_mode,
                languages=self.settings.language_codes,
                themes_file=self.settings.themes_file,
                engine=self.engine,
            )
        return self._analyzer

    def run_once(self) -> dict[str, Any]:
        """One round of every task; returns what each did (or the error that stopped it)."""
        done: dict[str, Any] = {}
        now = self.clock()
        try:
            done["triggers"] = [
                r.as_dict() for r in run_triggers(self.engine, self.settings, now=now)
            ]
        except Exception as exc:
            log.exception("survey triggers failed")
            done["triggers"] = {"error": str(exc)}
        try:
            done["delivery"] = deliver_due(
                self.engine, self.settings, self.mailer, now=now, should_stop=self._stop.is_set
            ).as_dict()
        except Exception as exc:
            log.exception("sending survey e-mail failed")
            done["delivery"] = {"error": str(exc)}
        if self.analyse and not self._stop.is_set():
            try:
                summary = analyse_feedback(
                    self.engine, self._analyzer_now(), limit=ANALYSIS_PER_ROUND
                )
                done["analysis"] = {
                    "analysed": summary.analysed,
                    "without_text": summary.without_text,
                }
            except Exception as exc:
                log.exception("text analysis failed")
                done["analysis"] = {"error": str(exc)}
        try:  # after the analysis: urgent tickets are known then
            done["cases"] = run_rules(
                self.engine, now=now, last_runs=self._rules_last_run
            ).as_dict()
        except Exception as exc:
            log.exception("the case rules failed")
            done["cases"] = {"error": str(exc)}
        try:
            done["resurveys"] = resurvey_resolved(self.engine, self.settings, now=now)
        except Exception as exc:
            log.exception("re-surveying resolved cases failed")
            done["resurveys"] = {"error": str(exc)}
        try:
            done["advocates"] = run_programme(self.engine, self.settings, now=now).as_dict()
        except Exception as exc:
            log.exception("the advocate programme failed")
            done["advocates"] = {"error": str(exc)}
        self._notify(now, done)
        return done

    def _notify(self, now: dt.datetime, done: dict[str, Any]) -> None:
        """After the rules: tell webhooks and people of the case events; e-mail the replies."""
        engine, settings, stop = self.engine, self.settings, self._stop.is_set
        if stop():
            return
        try:
            queued = notifications.queue_notifications(engine, settings, now=now)
            delivered = notifications.deliver_notifications(
                engine, settings, self.mailer, now=now, should_stop=stop
            )
            done["notifications"] = {"queued": queued, **delivered.as_dict()}
        except Exception as exc:
            log.exception("notifying of case events failed")
            done["notifications"] = {"error": str(exc)}
        if stop():
            return
        try:
            done["replies"] = notifications.send_due_replies(
                engine, settings, self.mailer, now=now, should_stop=stop
            ).as_dict()
        except Exception as exc:
            log.exception("sending case replies failed")
            done["replies"] = {"error": str(exc)}
        if stop():
            return
        try:
            done["messages"] = customer_messages.send_due_messages(
                engine, settings, self.mailer, now=now, should_stop=stop
            ).as_dict()
        except Exception as exc:
            log.exception("sending the programme's messages failed")
            done["messages"] = {"error": str(exc)}
        try:
            done["reminders"] = remind_due_tasks(engine, settings, self.mailer, now=now).as_dict()
        except Exception as exc:
            log.exception("reminding of advocate tasks failed")
            done["reminders"] = {"error": str(exc)}

    def run_forever(self, interval: float | None = None) -> None:
        """Rounds every ``interval`` seconds (the settings' by default) until :meth:`stop`."""
        pause = interval if interval is not None else self.settings.worker_interval_seconds
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(pause)

    def start(self, interval: float | None = None) -> threading.Thread:
        """Run in a background thread of this process."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run_forever, args=(interval,), name="advocacy-worker", daemon=True
        )
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 60.0) -> None:
        """Stop after the message being sent (or the batch being analysed); waits ``timeout``."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
