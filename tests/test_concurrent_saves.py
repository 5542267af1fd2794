"""
Eight people save the same version of one record at the same moment, each through their own
connection: one save wins, the other seven are told someone else changed it, none is a 500.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from tests.factories import DRAFT, add_milestone, add_user, change_url, cite, milestone_form

SAVERS = 8


@pytest.fixture
def staff(transactional_db):
    from ijtech.roles import EDITORS, REVIEWERS

    return [add_user(f"saver{i}", EDITORS if i % 2 else REVIEWERS) for i in range(SAVERS)]


def test_eight_simultaneous_saves_of_one_version_give_one_winner_and_seven_refusals(staff, source):
    milestone = add_milestone(summary="Before.", editorial=DRAFT)
    cite(milestone, source)
    opened = milestone.version
    clients = []
    for user in staff:
        # A 500 comes back as a response, so it is counted instead of raised in a thread.
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(SAVERS)
    results: list = [None] * SAVERS

    def save(i):
        try:
            start.wait(timeout=30)
            data = milestone_form("draft", version=opened, summary=f"Summary by saver {i}.")
            results[i] = clients[i].post(change_url(milestone), data, follow=True)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[i] = exc
        finally:
            # Each thread has its own connection; close it so the test database can go.
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = [getattr(r, "status_code", repr(r)) for r in results]
    assert statuses == [200] * SAVERS, statuses
    pages = [r.content.decode() for r in results]
    saved = [p for p in pages if "was changed successfully" in p]
    refused = [p for p in pages if "after you opened it" in p or "changed by someone else" in p]
    assert len(saved) == 1, statuses
    assert len(refused) == SAVERS - 1
    assert all("Your changes have not been saved" in p for p in refused)
    milestone.refresh_from_db()
    assert milestone.version == opened + 1
    assert milestone.summary.startswith("Summary by saver ")
