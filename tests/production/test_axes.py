"""Admin protection: login throttling with a cooloff (django-axes), logged attempts, idle sessions end."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import F
from django.urls import reverse

PASSWORD = "correct horse battery staple"
STAFF_ADDRESS = "203.0.113.10"
OTHER_ADDRESS = "198.51.100.20"


@pytest.fixture(autouse=True)
def axes_on(settings):
    """The test settings turn axes off (client.login() passes no request); here it runs as in production."""
    settings.AXES_ENABLED = True


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def log_in(client, password, address=STAFF_ADDRESS, username="editor", headers=None):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        headers=headers,
    )


def is_logged_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_the_settings_are_those_asked_for():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_right_password_logs_in(client, staff):
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, staff):
    for _ in range(4):
        assert log_in(client, "wrong password").status_code == 200  # the form again, with its error
    assert log_in(client, "wrong password").status_code == 429  # the fifth failure locks
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "too many login attempts" in response.content.decode().lower()
    assert not is_logged_in(client)


def test_the_account_works_again_after_the_cooloff(client, staff):
    for _ in range(5):
        log_in(client, "wrong password")
    assert log_in(client, PASSWORD).status_code == 429
    # Fifteen minutes and a second pass (the lock lifts 15 minutes after the last failure).
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert log_in(client, PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_lockout_from_one_address_does_not_lock_staff_out_elsewhere(client, staff):
    """The lock is on the account and address together: an attacker cannot lock staff out of their account."""
    for _ in range(5):
        log_in(client, "wrong password", address=OTHER_ADDRESS)
    assert log_in(client, PASSWORD, address=OTHER_ADDRESS).status_code == 429
    assert log_in(client, PASSWORD, address=STAFF_ADDRESS).status_code == 302


def test_failures_below_the_limit_are_forgiven_by_a_success(client, staff):
    for _ in range(4):
        log_in(client, "wrong password")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "wrong password")
    assert log_in(client, PASSWORD).status_code == 302


def test_every_attempt_is_logged(client, staff, caplog):
    caplog.set_level("INFO", logger="axes")
    log_in(client, "wrong password")
    log_in(client, PASSWORD)
    assert AccessFailureLog.objects.filter(username="editor", ip_address=STAFF_ADDRESS).count() == 1
    assert AccessLog.objects.filter(username="editor", ip_address=STAFF_ADDRESS).count() == 1
    # The log says what happened; who and from where are masked there (AXES_SENSITIVE_PARAMETERS) and
    # kept in the two tables above, which staff with the right permission see in the admin.
    messages = [record.getMessage() for record in caplog.records if record.name.startswith("axes")]
    assert any("login failure" in message for message in messages), messages
    assert any("Successful login" in message for message in messages), messages


def test_behind_a_load_balancer_the_address_is_the_one_it_saw(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "wrong password"},
        REMOTE_ADDR="10.0.0.2",  # the load balancer
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OTHER_ADDRESS}",  # what the client claimed, then what the balancer saw
    )
    assert AccessFailureLog.objects.get().ip_address == OTHER_ADDRESS


def test_a_session_ends_after_thirty_idle_minutes_and_each_request_extends_it(client, staff, settings):
    settings.SESSION_SAVE_EVERY_REQUEST = True  # as in production; off in the test settings (see there)
    assert log_in(client, PASSWORD).status_code == 302
    session = Session.objects.get()
    Session.objects.update(expire_date=session.expire_date - datetime.timedelta(minutes=20))
    assert is_logged_in(client)  # ten minutes left: this request pushes the expiry back to thirty
    assert Session.objects.get().expire_date > session.expire_date - datetime.timedelta(seconds=5)
    Session.objects.update(expire_date=F("expire_date") - datetime.timedelta(minutes=31))
    assert not is_logged_in(client)


def lock_out(client):
    for _ in range(5):
        log_in(client, "wrong password")


LOCKOUT_TEXT = {
    "en": ("Too many login attempts", "Try again in 15 minutes"),
    "ko": ("로그인 시도가 너무 많습니다", "15분 후에 다시 시도하거나"),
}


@pytest.mark.parametrize(("language", "other"), [("en", "ko"), ("ko", "en")])
def test_the_lockout_is_a_429_page_in_the_site_design_and_both_languages(client, staff, language, other):
    """The admin's addresses have no language: the browser's comes first, then the other."""
    lock_out(client)
    response = log_in(client, PASSWORD, headers={"Accept-Language": f"{language},{other};q=0.5"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    title, when = LOCKOUT_TEXT[language]
    assert f'<h1 class="page-title">{title}</h1>' in html and when in html
    other_title, other_when = LOCKOUT_TEXT[other]
    assert re.search(f'<div lang="{other}"[^>]*>\\s*<h2>{other_title}</h2>.*{other_when}', html, re.S)
    assert 'id="krds-header"' in html and "/static/css/site.css" in html  # the site's header and style
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
    assert not is_logged_in(client)
