"""Who may look at a case's requester-side pages, and who may act as its requester.

Two rules, kept apart on purpose. Looking at the tracking page (status, timeline, letters) is open to the
requester and, read-only, to those who handle the case. The requester's own acts — withdrawing the request,
filing a keberatan, reporting a dispute to the Komisi Informasi — need proof of being the requester: the
tracking code (or the session it opened) or the requester's own account. An officer's or admin's role never
stands in for that proof: the timeline records these acts as the requester's.
"""

from opd_app.permissions import can_act_on

TRACKED_CASES_SESSION_KEY = "ppid_tracked_cases"
# A session remembers this many tracked cases, the most recent ones.
TRACKED_CASES_KEPT = 50


def grant_requester_access(request, case) -> None:
    """Remember in the session that its holder proved to be the case's requester (tracking code or submission)."""
    tracked = request.session.get(TRACKED_CASES_SESSION_KEY, [])
    if case.pk not in tracked:
        request.session[TRACKED_CASES_SESSION_KEY] = [*tracked[-(TRACKED_CASES_KEPT - 1):], case.pk]


def is_requester(request, case) -> bool:
    """Proof of being the case's requester: a session opened by the tracking code, or the requester's own account."""
    if case.pk in request.session.get(TRACKED_CASES_SESSION_KEY, []):
        return True
    user = request.user
    return bool(user.is_authenticated and case.requester_user_id is not None and case.requester_user_id == user.pk)


def can_view_tracking(request, case) -> bool:
    """The tracking page, the receipt and the case's public letters: the requester, and read-only the staff who
    may handle the case. Acting on those pages is `is_requester` alone."""
    return is_requester(request, case) or (request.user.is_authenticated and can_act_on(request.user, case))
