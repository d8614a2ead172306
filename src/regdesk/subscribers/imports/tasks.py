"""Background tasks of subscriber-base imports (django-tasks). Arguments are ids only: no personal data."""

from __future__ import annotations

from django_tasks import task

from regdesk.subscribers.models import ImportJob, ImportStatus


@task()
def run_import(job_id: int) -> str:
    """Run a queued import job uploaded at the desk (the page polls the job's progress)."""
    from regdesk.subscribers.imports.services import import_job_run

    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).first()
    if job is None:
        return "missing"
    return str(import_job_run(job=job).status)
