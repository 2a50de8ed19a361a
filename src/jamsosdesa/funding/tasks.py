from django_tasks import task


@task()
def run_enrolment_batch(batch_id: int) -> str:
    from .services import enrol_run

    return enrol_run(batch_id).status
