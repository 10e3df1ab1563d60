"""The officer-account pages of PPID Utama admins (/petugas/pengguna/): thin, the rules are in officers.py.
Everything that changes an account is confirmed on a page of its own first (a GET, or a POST without confirm=1)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ppid_portal.errors import DomainError

from . import officers
from .decorators import officer_admin_required
from .forms import OfficerCreateForm, OfficerSearchForm, RoleAddForm
from .models import Membership

PAGE_SIZE = 50


def _account_or_404(pk):
    account = officers.officer_account(pk)
    if account is None:
        raise Http404
    return account


def _refused(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@officer_admin_required
@require_http_methods(["GET"])
def officer_list(request):
    form = OfficerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    page = Paginator(officers.officer_accounts(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "opd_app/officer_list.html", {
        "form": form, "page": page, "query": urlencode({"q": query}) if query else "",
    }, status=400 if form.errors else 200)


@officer_admin_required
@require_http_methods(["GET", "POST"])
def officer_new(request):
    form = OfficerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, sent = officers.officer_invite(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            if sent:
                messages.success(request, _("Akun %(u)s dibuat. Tautan untuk membuat kata sandi dikirim ke %(e)s.")
                                 % {"u": account.username, "e": account.email})
            else:
                messages.error(request, _("Akun %(u)s dibuat, tetapi e-mail tautan kata sandi gagal dikirim. "
                                            "Kirim ulang dengan “Kirim tautan kata sandi”.") % {"u": account.username})
            return redirect("officer-detail", pk=account.pk)
    return render(request, "opd_app/officer_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, account, role_form=None, status=200):
    return render(request, "opd_app/officer_detail.html", {
        "account": account, "roles": list(account.ppid_roles.all()), "role_form": role_form or RoleAddForm(),
        "is_self": account.pk == request.user.pk,
    }, status=status)


@officer_admin_required
@require_http_methods(["GET"])
def officer_detail(request, pk):
    return _detail(request, _account_or_404(pk))


@officer_admin_required
@require_POST
def officer_role_add(request, pk):
    account = _account_or_404(pk)
    form = RoleAddForm(request.POST)
    if form.is_valid():
        try:
            membership = officers.role_add(actor=request.user, user=account, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Peran %(r)s di %(o)s ditambahkan.") % {
                "r": membership.get_role_display(), "o": membership.opd.name})
            return redirect("officer-detail", pk=account.pk)
    return _detail(request, account, role_form=form, status=400)


def _confirmed(request, account, *, act, done: str, page: dict):
    """The confirmation page, or the act when confirmed; a refusal is shown on the same page (400)."""
    error = None
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            result = act()
        except DomainError as exc:
            error = exc.message
        else:
            if result is False:
                messages.error(request, _("E-mail gagal dikirim. Coba lagi nanti."))
            else:
                messages.success(request, done)
            return redirect("officer-detail", pk=account.pk)
    return render(request, "opd_app/officer_confirm.html", {
        "account": account, "error": error, "action_url": request.path, **page}, status=400 if error else 200)


@officer_admin_required
@require_http_methods(["GET", "POST"])
def officer_role_remove(request, pk, membership_pk):
    account = _account_or_404(pk)
    membership = get_object_or_404(Membership.objects.select_related("opd"), pk=membership_pk, user=account)
    return _confirmed(
        request, account, act=lambda: officers.role_remove(actor=request.user, membership=membership),
        done=_("Peran %(r)s di %(o)s dicabut.") % {"r": membership.get_role_display(), "o": membership.opd.name},
        page={"title": _("Cabut peran?"), "button": _("Cabut peran"), "danger": True,
              "text": _("%(name)s tidak lagi memegang peran %(r)s di %(o)s: kasus dan tugas OPD itu tidak lagi "
                        "terlihat olehnya.") % {"name": account.get_full_name() or account.username,
                                                "r": membership.get_role_display(), "o": membership.opd.name}})


@officer_admin_required
@require_http_methods(["GET", "POST"])
def officer_deactivate(request, pk):
    account = _account_or_404(pk)
    return _confirmed(
        request, account, act=lambda: officers.officer_deactivate(actor=request.user, user=account),
        done=_("Akun %(u)s dinonaktifkan.") % {"u": account.username},
        page={"title": _("Nonaktifkan akun?"), "button": _("Nonaktifkan"), "danger": True,
              "text": _("%(name)s tidak dapat masuk lagi, dan sesi serta token API-nya berhenti berlaku. Peran dan "
                        "riwayatnya tetap tersimpan; akun dapat diaktifkan kembali.") % {
                  "name": account.get_full_name() or account.username}})


@officer_admin_required
@require_http_methods(["GET", "POST"])
def officer_reactivate(request, pk):
    account = _account_or_404(pk)
    return _confirmed(
        request, account, act=lambda: officers.officer_reactivate(actor=request.user, user=account),
        done=_("Akun %(u)s diaktifkan kembali.") % {"u": account.username},
        page={"title": _("Aktifkan kembali akun?"), "button": _("Aktifkan kembali"), "danger": False,
              "text": _("%(name)s dapat masuk lagi dengan kata sandinya dan kembali memegang perannya.") % {
                  "name": account.get_full_name() or account.username}})


@officer_admin_required
@require_http_methods(["GET", "POST"])
def officer_password(request, pk):
    account = _account_or_404(pk)
    return _confirmed(
        request, account, act=lambda: officers.officer_password_link(actor=request.user, user=account),
        done=_("Tautan kata sandi dikirim ke %(e)s.") % {"e": account.email},
        page={"title": _("Kirim tautan kata sandi?"), "button": _("Kirim tautan"), "danger": False,
              "text": _("Tautan untuk membuat kata sandi baru dikirim ke %(e)s. Kata sandi yang sekarang tetap "
                        "berlaku sampai petugas membuat yang baru; Anda tidak mengetahui kata sandinya.") % {
                  "e": account.email or "—"}})
