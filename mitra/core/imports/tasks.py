from django_tasks import task


@task()
def run_import(job_id):
    """Import one file; `mitra worker` runs it. Safe to run twice: a finished job is left alone
    and an interrupted one resumes after its last committed chunk."""
    from .models import ImportJob
    from .runner import run_job

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    job = run_job(job)
    return {"status": job.status, "rows": job.rows_done}
