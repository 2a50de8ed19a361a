from django_tasks import task


@task()
def run_billing(run_id: int) -> str:
    """The worker's side of a queued billing run (billing.services.run.billing_run_queue)."""
    from .services.run import billing_run_execute

    return billing_run_execute(run_id).status
