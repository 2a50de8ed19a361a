from django_tasks import task


@task()
def run_enrolment_batch(batch_id: int) -> str:
    from .services import enrolment_batch_run_job

    return enrolment_batch_run_job(batch_id).status
