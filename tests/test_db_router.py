"""
Where reads and writes go with a read replica (ijtech/db_router.py).

`replica1` is the test database itself under another connection (settings_test), so each
test sees which connection ran a query. The tests are transactional: a replica only ever
sees committed rows, and the test case's own transaction would send every read to the
primary.
"""

from contextlib import ExitStack, contextmanager

import pytest
from django.core.signals import request_finished
from django.db import connections, router, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Milestone
from ijtech.db_router import ReplicaMiddleware
from ijtech.roles import EDITORS, REVIEWERS
from tests.factories import add_agreement, add_milestone, add_user

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica1"])


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]


@contextmanager
def queries():
    """The SQL each connection ran inside the block: {"default": [...], "replica1": [...]}."""
    ran = {}
    with ExitStack() as stack:
        captured = {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in ("default", "replica1")
        }
        yield ran
    ran.update({alias: [q["sql"] for q in c.captured_queries] for alias, c in captured.items()})


def tables_read(sqls: list[str]) -> list[str]:
    return [sql.split(" FROM ")[1].split()[0].strip('"') for sql in sqls if " FROM " in sql]


def through_the_middleware(request, view):
    """What `view` returns, called as Django's handler would: ended by request_finished."""
    try:
        return ReplicaMiddleware(view)(request)
    finally:
        request_finished.send(sender=None)


def test_a_public_page_is_read_from_the_replica(replica, client):
    add_milestone("2024-moon-lander", title="Moon lander agreed")
    with queries() as ran:
        response = client.get(reverse("milestones:list"))
    assert response.status_code == 200
    assert "Moon lander agreed" in response.content.decode()
    assert ran["replica1"]
    assert ran["default"] == []


def test_the_api_is_read_from_the_replica(replica, client):
    add_agreement("2018-space-mou", title="Space MoU")
    with queries() as ran:
        response = client.get("/api/agreements/")
    assert response.status_code == 200
    assert "Space MoU" in response.content.decode()
    assert ran["replica1"]
    assert ran["default"] == []


def test_the_admin_is_read_from_the_primary(replica, client):
    client.force_login(add_user("rex", REVIEWERS))
    add_milestone("2024-moon-lander", title="Moon lander agreed")
    with queries() as ran:
        response = client.get(reverse("admin:agreements_milestone_changelist"))
    assert response.status_code == 200
    assert "Moon lander agreed" in response.content.decode()
    assert ran["default"]
    assert ran["replica1"] == []


def test_the_admin_sign_in_page_is_read_from_the_primary_without_a_session(replica, client):
    with queries() as ran:
        response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert ran["replica1"] == []


def test_a_signed_in_editor_reads_the_public_site_from_the_primary(replica, client):
    client.force_login(add_user("eda", EDITORS))
    add_milestone("2024-moon-lander", title="Moon lander agreed")
    with queries() as ran:
        response = client.get(reverse("milestones:list"))
    assert "Moon lander agreed" in response.content.decode()
    assert ran["default"]
    assert ran["replica1"] == []


def test_a_post_is_read_from_the_primary(replica):
    def view(request):
        return Milestone.objects.all().db

    assert through_the_middleware(RequestFactory().post("/search/"), view) == "default"
    assert through_the_middleware(RequestFactory().get("/search/"), view) == "replica1"


def test_a_request_with_credentials_in_a_header_is_read_from_the_primary(replica):
    request = RequestFactory().get("/api/agreements/", HTTP_AUTHORIZATION="Basic ZWRhOnB3")
    assert through_the_middleware(request, lambda r: Milestone.objects.all().db) == "default"


def test_reads_inside_a_transaction_go_to_the_primary(replica):
    add_milestone()

    def view(request):
        with transaction.atomic():
            Milestone.objects.count()
        Agreement.objects.count()

    with queries() as ran:
        through_the_middleware(RequestFactory().get("/milestones/"), view)
    assert tables_read(ran["default"]) == ["agreements_milestone"]
    assert tables_read(ran["replica1"]) == ["agreements_agreement"]


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replica):
    milestone = add_milestone()

    def view(request):
        before = Milestone.objects.get(pk=milestone.pk)
        read_from = before._state.db
        before.title = "Renamed"
        before.save()  # to the primary, though the record was read from the replica
        return read_from, Milestone.objects.get(pk=milestone.pk)

    with queries() as ran:
        read_from, after = through_the_middleware(RequestFactory().get("/milestones/"), view)
    assert read_from == "replica1"
    assert after.title == "Renamed"
    assert after._state.db == "default"
    assert len(ran["replica1"]) == 1  # the read before the write; none after it
    # The next request starts afresh, on the replica.
    assert (
        through_the_middleware(
            RequestFactory().get("/milestones/"), lambda r: Milestone.objects.all().db
        )
        == "replica1"
    )


def test_outside_a_request_everything_reads_the_primary(replica, client):
    assert Milestone.objects.all().db == "default"
    client.get(reverse("milestones:list"))  # a public request, then no longer in one
    assert Milestone.objects.all().db == "default"


def test_with_no_replicas_nothing_is_routed(client):
    assert router.db_for_read(Milestone) == "default"
    with queries() as ran:
        response = client.get(reverse("milestones:list"))
    assert response.status_code == 200
    assert ran["default"]
    assert ran["replica1"] == []


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate("default", "agreements", model_name="milestone")
    assert not router.allow_migrate("replica1", "agreements", model_name="milestone")


def test_a_record_read_from_the_replica_may_point_at_one_from_the_primary(replica):
    add_agreement("2018-space-mou")
    add_milestone("2019-launch")
    agreement = Agreement.objects.using("replica1").get(slug="2018-space-mou")
    milestone = Milestone.objects.using("default").get(slug="2019-launch")
    milestone.agreement = agreement  # refused across databases unless the router allows it
    milestone.save()
    assert Milestone.objects.get(slug="2019-launch").agreement_id == agreement.pk
