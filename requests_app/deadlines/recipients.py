"""Who a deadline notice goes to: the officers of many OPDs in one query, and a list of users without repeats."""

from opd_app.models import Membership


def recipients_by_opd(opd_ids: set[int], roles: tuple[str, ...]) -> dict[tuple[int, str], list]:
    """{(opd_id, role): active users, by id} for all the OPDs at once (officers_of, batched)."""
    found: dict[tuple[int, str], list] = {}
    memberships = (Membership.objects.filter(opd_id__in=opd_ids, role__in=roles, user__is_active=True)
                   .select_related("user").order_by("user_id"))
    for m in memberships:
        users = found.setdefault((m.opd_id, m.role), [])
        if all(u.pk != m.user_id for u in users):
            users.append(m.user)
    return found


def unique_users(*groups) -> list:
    """The users of `groups`, in order, each once (an officer who is also the Atasan is told once)."""
    seen, users = set(), []
    for group in groups:
        for user in group:
            if user.pk not in seen:
                seen.add(user.pk)
                users.append(user)
    return users
