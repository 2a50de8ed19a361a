from django_tasks import task


@task()
def run_incentives(run_id: int) -> str:
    """The worker's side of a queued incentive run (agents.incentives.incentive_run_queue)."""
    from .incentives import incentive_run_execute

    return incentive_run_execute(run_id).status
