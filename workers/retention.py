"""The retention purge under Celery beat: once a day, every notification past the active
policy's retention schedule (and under no legal hold) loses its personal data; the run is
logged and audited with counts only (governance/retention.py does the work)."""

from __future__ import annotations

import logging

from governance.retention import purge
from workers.celery_app import app, settings_of

log = logging.getLogger("dvscreen.retention")
TASK = "dvscreen.retention_purge"
# Once a day; a missed day is caught up by the next run (nothing depends on the hour).
EVERY_SECONDS = 24 * 3600


@app.task(name=TASK, ignore_result=True)
def retention_purge() -> int:
    report = purge(settings_of(app).database)
    log.info("retention: %d notifications purged, %d held, in %.1f s",
             report.notifications, report.held, report.seconds)
    return report.notifications
