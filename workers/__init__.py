"""The Celery app and its tasks: triage, outbox relay, sweep, retention, governance jobs."""
