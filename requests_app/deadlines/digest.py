"""The officers' daily digest (daily_digest_task, 07:00 WITA on working days)."""

import datetime as dt

from opd_app.models import Membership, Role
from ppid_portal.clock import today_wita
from requests_app import rules, workdays
from requests_app.models import Case, Notification
from requests_app.services.notify import notification_queue


def digest_send(today: dt.date | None = None) -> int:
    """Each PPID Pelaksana officer's open cases by urgency, once per officer per working day. Officers with
    no open case in their OPDs get nothing. Returns how many digests were queued."""
    today = today or today_wita()
    cal = workdays.calendar_for(today, today + dt.timedelta(days=30))
    if not cal.is_working_day(today):
        return 0
    soon_until = rules.soon_limit(cal, today)
    prefix = f"digest:{today.isoformat()}:"
    done = {int(k.removeprefix(prefix)) for k in
            Notification.objects.filter(dedupe_key__startswith=prefix).values_list("dedupe_key", flat=True)}
    memberships = (Membership.objects.filter(role=Role.PELAKSANA, user__is_active=True).exclude(user__email="")
                   .exclude(user_id__in=done).select_related("user"))
    opds_of: dict[int, set[int]] = {}
    users = {}
    for m in memberships:
        opds_of.setdefault(m.user_id, set()).add(m.opd_id)
        users[m.user_id] = m.user
    if not users:
        return 0
    all_opds = set().union(*opds_of.values())
    cases = list(Case.objects.open().filter(opd_id__in=all_opds).select_related("opd").order_by("effective_due_date",
                                                                                                "received_at"))
    sent = 0
    for user_id, opd_ids in opds_of.items():
        mine = [c for c in cases if c.opd_id in opd_ids and c.assigned_to_id in (None, user_id)]
        if not mine:
            continue
        groups = {"overdue": [], "soon": [], "normal": []}
        for case in mine:  # open cases only: urgency is never "done" here
            groups[rules.urgency(case.status, case.effective_due_date, today, soon_until)].append(case)
        row = notification_queue(
            dedupe_key=f"{prefix}{user_id}", kind="digest", template="digest",
            context={"recipient": users[user_id], "today": today, "total": len(mine), **groups},
            recipient_user=users[user_id],
        )
        sent += row is not None
    return sent
