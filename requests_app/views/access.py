"""Who may see a case's requester-side pages: the requester (by tracking code, kept in the session) or staff."""

from opd_app.permissions import can_act_on

SESSION_KEY = "ppid_tracked_cases"


def grant_requester_access(request, case) -> None:
    tracked = request.session.get(SESSION_KEY, [])
    if case.pk not in tracked:
        request.session[SESSION_KEY] = [*tracked[-49:], case.pk]


def requester_may_view(request, case) -> bool:
    return case.pk in request.session.get(SESSION_KEY, []) or (
        request.user.is_authenticated and (case.requester_user_id == request.user.pk or can_act_on(request.user, case))
    )
