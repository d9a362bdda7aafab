"""Scheduled publication: a publisher sets a draft's "go live at"; ``publish_scheduled``, run from a timer,
publishes it then, with the publication dates and a history entry; an editor can neither set a schedule nor
keep one by changing the draft afterwards."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.content import Status
from projects.models import Case
from rankings.models import HostedOrganization
from tests.core.test_admin_publishing import case_form
from tests.core.test_review import editor, publisher  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("publish_scheduled", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def schedule(make_case, make_organization):
    now = timezone.now()
    due = make_case("due", title="Due case", status=Status.DRAFT, go_live_at=now - datetime.timedelta(minutes=3))
    later = make_case("later", status=Status.DRAFT, go_live_at=now + datetime.timedelta(days=1))
    unscheduled = make_case("unscheduled", status=Status.DRAFT)
    organization = make_organization("due-org", status=Status.DRAFT, go_live_at=now - datetime.timedelta(hours=1))
    return due, later, unscheduled, organization


def test_due_drafts_go_live_with_their_dates_and_a_history_entry(client, schedule):
    due, later, unscheduled, organization = schedule
    assert client.get(due.get_absolute_url()).status_code == 404

    output = run()

    assert "2 scheduled rows published." in output and "Due case" in output
    due.refresh_from_db()
    assert due.status == Status.PUBLISHED and due.go_live_at is None
    assert due.first_published_at is not None and due.last_published_at == due.first_published_at
    assert due.history.first().history_change_reason == "Scheduled publication"
    assert HostedOrganization.objects.get(pk=organization.pk).status == Status.PUBLISHED
    assert client.get(due.get_absolute_url()).status_code == 200
    assert "Due case" in client.get(reverse("projects:case_list")).content.decode()
    assert Case.objects.get(slug="later").status == Status.DRAFT  # its time has not come
    assert Case.objects.get(slug="unscheduled").status == Status.DRAFT
    assert "0 scheduled rows published." in run()  # a second run finds nothing left


def test_a_dry_run_names_the_rows_and_writes_nothing(schedule):
    due, *_ = schedule
    output = run("--dry-run")
    assert "Due case" in output and "2 scheduled rows would be published." in output
    due.refresh_from_db()
    assert due.status == Status.DRAFT and due.go_live_at is not None


def test_the_admin_history_labels_a_scheduled_publication(client, schedule, publisher):  # noqa: F811
    due, *_ = schedule
    run()
    client.force_login(publisher)
    history = client.get(reverse("admin:projects_case_history", args=[due.pk])).content.decode()
    assert "Published as scheduled" in history


def test_a_publisher_schedules_a_draft_in_the_admin(client, publisher, make_case):  # noqa: F811
    draft = make_case("draft", status=Status.DRAFT)
    client.force_login(publisher)
    form = case_form(draft, go_live_at_0="2030-03-02", go_live_at_1="09:00:00", change_reason="Launch day")
    response = client.post(reverse("admin:projects_case_change", args=[draft.pk]), form)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.go_live_at is not None
    assert timezone.localtime(draft.go_live_at).strftime("%Y-%m-%d %H:%M") == "2030-03-02 09:00"


def test_an_editor_cannot_set_a_schedule(client, editor, make_case):  # noqa: F811
    draft = make_case("draft", status=Status.DRAFT)
    client.force_login(editor)
    page = client.get(reverse("admin:projects_case_change", args=[draft.pk])).content.decode()
    assert 'name="go_live_at_0"' not in page  # shown read-only
    form = case_form(draft, go_live_at_0="2020-01-01", go_live_at_1="09:00:00", change_reason="Sneaky")
    client.post(reverse("admin:projects_case_change", args=[draft.pk]), form)
    draft.refresh_from_db()
    assert draft.go_live_at is None
    run()
    assert Case.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_editors_later_change_cancels_the_schedule(client, editor, make_case):  # noqa: F811
    scheduled = timezone.now() + datetime.timedelta(hours=2)
    draft = make_case("draft", title="Reviewed title", status=Status.DRAFT, go_live_at=scheduled)
    client.force_login(editor)
    form = case_form(draft, title="Unreviewed title", change_reason="Second thoughts")
    response = client.post(reverse("admin:projects_case_change", args=[draft.pk]), form, follow=True)
    assert "cancels the scheduled publication" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Unreviewed title" and draft.go_live_at is None


def test_publishing_a_scheduled_draft_by_hand_clears_its_schedule(make_case):
    draft = make_case("draft", status=Status.DRAFT, go_live_at=timezone.now() + datetime.timedelta(days=3))
    draft.status = Status.PUBLISHED
    draft.save(update_fields=["status"])  # as the admin's bulk action does
    draft.refresh_from_db()
    assert draft.go_live_at is None and draft.last_published_at is not None


def test_a_schedule_survives_an_export_and_import(make_case, tmp_path):
    scheduled = datetime.datetime(2030, 3, 2, 0, 0, tzinfo=datetime.UTC)
    make_case("draft", status=Status.DRAFT, go_live_at=scheduled)
    call_command("export_fixtures", output=tmp_path, verbosity=0)
    Case.objects.filter(slug="draft").update(go_live_at=None)
    call_command("import_fixtures", str(tmp_path), verbosity=0)
    assert Case.objects.get(slug="draft").go_live_at == scheduled
