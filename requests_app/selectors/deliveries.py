"""Permission-scoped reads of the letters to deliver: the officers' list (page and API)."""

import datetime as dt

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When

from ppid_portal.clock import today_wita
from requests_app import rules
from requests_app.permissions import deliveries_visible_to

WAITING, DELIVERED = "waiting", "delivered"
DELIVERY_STATUSES = (WAITING, DELIVERED)


def delivery_list_for(user, *, status: str = WAITING, opd: str = "", today: dt.date | None = None) -> QuerySet:
    """The letters of the user's OPDs (every OPD for PPID Utama; `opd` narrows to one code). Waiting ones: those
    past their due day first, then by age, the oldest first. Delivered ones: the latest handover first."""
    today = today or today_wita()
    qs = deliveries_visible_to(user).select_related("case", "objection", "opd", "attachment")
    if opd:
        qs = qs.filter(opd__code=opd.strip().upper())
    if status == DELIVERED:
        return qs.delivered().select_related("delivered_by").order_by("-delivered_at", "-id")
    overdue_first = SqlCase(When(rules.delivery_overdue_filter(today), then=Value(0)), default=Value(1),
                         output_field=IntegerField())
    return qs.waiting().order_by(overdue_first, "issued_at", "id")


def delivery_counts_for(user, *, opd: str = "", today: dt.date | None = None) -> dict:
    """{"waiting": n, "overdue": n} of the user's letters still to deliver (one query)."""
    today = today or today_wita()
    qs = deliveries_visible_to(user).waiting()
    if opd:
        qs = qs.filter(opd__code=opd.strip().upper())
    return qs.aggregate(waiting=Count("id"), overdue=Count("id", filter=Q(rules.delivery_overdue_filter(today))))
