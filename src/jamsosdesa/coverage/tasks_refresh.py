from django_tasks import task


@task()
def run_coverage_refresh(job_id: int) -> str:
    """The worker's side of a queued coverage refresh (coverage.refresh.refresh_queue)."""
    from .refresh import refresh_execute

    return refresh_execute(job_id).status
