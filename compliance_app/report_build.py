"""The annual report's background build, recorded step by step in a ReportBuild: the dashboard shows it waiting,
under way (which step), done with its file, or failed with a reason the admin can read and a way to try again,
instead of a flag that silently expires.

A failure's reason is one of BuildFailure's, shown in the reader's language; the traceback goes to the server log,
never to the page.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from compliance_app import reports
from compliance_app.models import BuildFailure, BuildState, BuildStep, ReportBuild
from ppid_portal.clock import now, today_wita
from ppid_portal.queueing import enqueue_on_commit

log = logging.getLogger(__name__)

TOTAL_STEPS = len(BuildStep)
# The parts of the report's context gathered by each step before the PDF is rendered (functions of
# compliance_app.reports, looked up when the step runs).
CONTEXT_STEPS = (
    (BuildStep.FIGURES, "report_figures_part"),
    (BuildStep.NARRATIVE, "report_narrative_part"),
    (BuildStep.CHARTS, "report_trends_part"),
)
# A build still running this long past the task's hard time limit had its worker ended (the limit, a crash, a
# restart): it will not finish.
RUNNING_MARGIN = dt.timedelta(minutes=1)
# A build still waiting for a worker this long past the hard limit lost its message; long enough for a queue
# backlog of other work.
QUEUED_MARGIN = dt.timedelta(minutes=30)
ACTIVE = (BuildState.QUEUED, BuildState.RUNNING)


def report_build_request(*, year: int, actor) -> tuple[ReportBuild, bool]:
    """Record a build of the year's report and queue it once the current transaction commits. While the year's
    latest build is still under way that one is returned (False) and nothing more is queued. With the broker
    down the new build is failed at once, with that reason."""
    latest = report_build_latest(year)
    if latest is not None and latest.is_active:
        return latest, False
    build = ReportBuild.objects.create(year=year, requested_by=actor, requested_at=now())
    enqueue_on_commit(reports.BUILD_REPORT_TASK, (year,), {"build_id": build.pk},
                      on_failure=lambda: _fail(build.pk, BuildFailure.BROKER))
    return build, True


def report_build_run(*, year: int, build_id: int | None = None) -> ReportBuild | None:
    """The worker's side: take the build (queued, or running when its message came again after a worker was
    lost), go through the steps recording each, store the PDF. None when the build has already ended (done,
    failed, or given up as stuck): a late or repeated message does nothing."""
    if build_id is None:  # a message queued before builds were recorded: it gets its own record
        build_id = ReportBuild.objects.create(year=year, requested_at=now()).pk
    taken = ReportBuild.objects.filter(pk=build_id, state__in=ACTIVE).update(
        state=BuildState.RUNNING, started_at=now(), step=BuildStep.FIGURES)
    if not taken:
        log.info("annual report %s: build %s already ended; nothing to do", year, build_id)
        return None
    context = {"year": year}
    try:
        for step, part in CONTEXT_STEPS:
            _progress(build_id, step)
            context.update(getattr(reports, part)(year))
        _progress(build_id, BuildStep.PDF)
        pdf = reports.annual_report_render({**context, "generated_at": now(), "as_of": today_wita()})
    except SoftTimeLimitExceeded:
        log.warning("annual report %s: build %s passed its soft time limit", year, build_id)
        return _fail(build_id, BuildFailure.TIMEOUT)
    except Exception:
        log.exception("annual report %s: build %s failed", year, build_id)
        return _fail(build_id, BuildFailure.ERROR)
    try:
        reports.annual_report_store(year=year, pdf=pdf)
    except SoftTimeLimitExceeded:
        log.warning("annual report %s: build %s passed its soft time limit while storing", year, build_id)
        return _fail(build_id, BuildFailure.TIMEOUT)
    except Exception:
        log.exception("annual report %s: build %s could not store its PDF", year, build_id)
        return _fail(build_id, BuildFailure.STORAGE)
    ReportBuild.objects.filter(pk=build_id).update(state=BuildState.DONE, finished_at=now(), error="")
    return ReportBuild.objects.get(pk=build_id)


def _progress(build_id: int, step: BuildStep) -> None:
    ReportBuild.objects.filter(pk=build_id).update(step=step)


def _fail(build_id: int, reason: BuildFailure) -> ReportBuild:
    """The build ends failed with `reason`; its step stays the one it failed in."""
    ReportBuild.objects.filter(pk=build_id).update(state=BuildState.FAILED, finished_at=now(), error=reason)
    return ReportBuild.objects.get(pk=build_id)


def report_build_give_up_if_stuck(build: ReportBuild, *, at: dt.datetime | None = None) -> ReportBuild:
    """A build still waiting or running long past the task's hard time limit will never finish: it is recorded
    as failed ("tidak selesai") so the admin sees it and tries again. Checked on the row, so a build that moved on
    meanwhile is left as it is."""
    if not build.is_active:
        return build
    at = at or now()
    hard_limit = dt.timedelta(seconds=settings.PPID_REPORT_TASK_TIME_LIMIT)
    if build.state == BuildState.RUNNING:
        stuck = build.started_at is not None and build.started_at < at - hard_limit - RUNNING_MARGIN
    else:
        stuck = build.requested_at < at - hard_limit - QUEUED_MARGIN
    if stuck and ReportBuild.objects.filter(pk=build.pk, state=build.state, step=build.step).update(
            state=BuildState.FAILED, finished_at=at, error=BuildFailure.STUCK):
        log.warning("annual report %s: build %s stuck %s at step %s; recorded as failed", build.year, build.pk,
                    build.state, build.step)
        build.refresh_from_db()
    return build


def report_build_latest(year: int) -> ReportBuild | None:
    """The year's most recent build, a stuck one already recorded as failed."""
    build = ReportBuild.objects.filter(year=year).order_by("-requested_at", "-pk").first()
    return report_build_give_up_if_stuck(build) if build is not None else None


def annual_report_status(year: int) -> dict:
    """What the dashboard shows of the year's report: the stored file (if any) and the latest build."""
    build = report_build_latest(year)
    return {**reports.annual_report_file(year), "build": build, "pending": bool(build and build.is_active),
            "total_steps": TOTAL_STEPS}
