""""Lupa kata sandi?": a link by e-mail to every active account with the address, the same answer whether or not
there is one, a link that works once, nothing for a deactivated account, and a limit per client."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

NEW_PASSWORD = "Mahakam-Tenggarong-58"


def link_in(message) -> str:
    [link] = re.findall(r"https?://\S+/akun/sandi/\S+/", message.body)
    return link


def ask(client, email):
    return client.post("/akun/lupa-sandi/", {"email": email})


def set_password(client, link, password=NEW_PASSWORD):
    """Follow the e-mailed link as a browser does (Django moves the token into the session and redirects)."""
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 302, response.content[:300]
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()
    return client.post(form_url, {"new_password1": password, "new_password2": password})


@pytest.fixture
def citizen(db):
    return get_user_model().objects.create_user(username="warga", email="warga@example.org", first_name="Siti",
                                                password="Lama-Sandi-Warga-1")


def test_login_page_links_to_the_reset_page(db):
    page = Client().get("/masuk/").content.decode()
    assert 'href="/akun/lupa-sandi/"' in page and "Lupa kata sandi?" in page


def test_a_citizen_resets_the_password_end_to_end(citizen, settings):
    settings.PPID_SITE_URL = "https://ppid.kukarkab.go.id"
    client = Client()
    response = ask(client, "WARGA@example.org")
    assert response.status_code == 302 and response["Location"] == "/akun/lupa-sandi/terkirim/"
    assert "Periksa e-mail Anda" in client.get(response["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["warga@example.org"]
    assert "Atur ulang kata sandi" in message.subject
    assert "Yth. Siti" in message.body and "warga" in message.body
    link = link_in(message)
    assert link.startswith("https://ppid.kukarkab.go.id/akun/sandi/")

    done = set_password(client, link)
    assert done.status_code == 302 and done["Location"] == "/akun/sandi/selesai/"
    assert "Kata sandi disimpan" in client.get("/akun/sandi/selesai/").content.decode()
    assert Client().login(username="warga", password=NEW_PASSWORD)
    assert not Client().login(username="warga", password="Lama-Sandi-Warga-1")

    # The link works once.
    again = Client().get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    assert "tidak berlaku lagi" in again.content.decode()


def test_a_weak_new_password_is_refused_beside_the_field(citizen):
    client = Client()
    ask(client, "warga@example.org")
    response = set_password(client, link_in(mail.outbox[0]), password="12345678")
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert get_user_model().objects.get(pk=citizen.pk).check_password("Lama-Sandi-Warga-1")


def test_an_officer_can_reset_too(officer):
    client = Client()
    ask(client, "petugas@example.org")
    assert set_password(client, link_in(mail.outbox[0])).status_code == 302
    assert Client().login(username="petugas.dinkes", password=NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(citizen):
    known, unknown = ask(Client(), "warga@example.org"), ask(Client(), "tidak.ada@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["warga@example.org"]]


def test_a_deactivated_account_gets_nothing_and_its_old_link_is_dead(citizen):
    client = Client()
    ask(client, "warga@example.org")
    link = link_in(mail.outbox[0])
    get_user_model().objects.filter(pk=citizen.pk).update(is_active=False)
    mail.outbox.clear()
    response = ask(Client(), "warga@example.org")
    assert response.status_code == 302 and mail.outbox == []
    page = Client().get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True).content.decode()
    assert "tidak berlaku lagi" in page and 'name="new_password1"' not in page


def test_requests_are_throttled_per_client(citizen, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ppid_password_reset": "2/hour"}}
    client = Client()
    assert [ask(client, "warga@example.org").status_code for _ in range(2)] == [302, 302]
    mail.outbox.clear()
    response = ask(client, "warga@example.org")
    assert response.status_code == 429 and mail.outbox == []
    # Another client is not held back.
    assert ask(Client(REMOTE_ADDR="10.0.0.9"), "warga@example.org").status_code == 302


def test_the_default_rate_is_five_an_hour(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["ppid_password_reset"] == "5/hour"


def test_an_overlong_or_malformed_address_is_a_400_beside_the_field(db):
    for value in ("a" * 250 + "@example.org", "bukan-email"):
        response = ask(Client(), value)
        assert response.status_code == 400
        assert 'class="field-error"' in response.content.decode()
    assert mail.outbox == []


def test_the_mail_is_in_english_for_an_english_reader(citizen):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    ask(client, "warga@example.org")
    assert "password" in mail.outbox[0].subject.lower()


def test_the_page_only_queues_the_link_and_a_worker_sends_it(citizen, monkeypatch):
    """The page does no mail work itself, so its answer takes the same time with or without an account: the
    broker receives one message for the account (here held back, as if no worker had taken it yet) and nothing is
    sent until the worker runs the task; a broker that is down still gets the same answer."""
    from opd_app.tasks import send_password_link_task

    held = []
    monkeypatch.setattr(send_password_link_task, "delay", lambda *args: held.append(args))
    response = ask(Client(), "warga@example.org")
    assert response.status_code == 302 and response["Location"] == "/akun/lupa-sandi/terkirim/"
    assert mail.outbox == [] and held == [(citizen.pk, "id")]
    assert ask(Client(), "nobody@example.org")["Location"] == "/akun/lupa-sandi/terkirim/" and len(held) == 1

    assert send_password_link_task(*held[0]) is True
    [sent] = mail.outbox
    assert sent.to == ["warga@example.org"] and "/akun/sandi/" in sent.body

    def down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(send_password_link_task, "delay", down)
    assert ask(Client(), "warga@example.org")["Location"] == "/akun/lupa-sandi/terkirim/"
