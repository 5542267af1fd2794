"""The API against its own OpenAPI schema: generated requests, every schemathesis check."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ijtech.wsgi import application
from tests.factories import add_actor, add_agreement, add_milestone, add_sector, cite

# Generating the schema needs no database: each view answers it from its model alone.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def keep_connection():
    """As Django's test client does: the WSGI app must not close the test's connection
    (inside its transaction) at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(db, source, keep_connection):
    space = add_sector("space", name="Space")
    add_sector("satellites", parent=space, name="Satellites")
    isro = add_actor("isro", name="Indian Space Research Organisation", sectors=[space])
    cite(isro, source)
    agreement = add_agreement("2014-space-mou", sectors=[space], parties=[isro], tags=["space"])
    milestone = add_milestone("2023-launch", kind="launch", agreement=agreement, actors=[isro])
    for record in (agreement, milestone):
        cite(record, source)


# A 400 the schema cannot foresee: whether a slug exists, how many pages the results fill,
# and whether year_from comes before year_to depend on the data or on two parameters at once;
# whether a `q` holds a word to search for (not only punctuation or stop words) is more than
# a pattern can say.
DATA_DEPENDENT = (
    "There is no ",  # a slug of the repeatable filters
    "That choice is not one of the available choices",  # a slug of agreement or parent
    " does not exist; there ",  # a page past the last
    " is before the start year ",
    "Type at least one word or number to search for.",
    " too common to search for; add a more specific word.",
)


def positive_data_accepted(ctx, response, case):
    """positive_data_acceptance, except for refusals that only the data can explain."""
    if response.status_code == 400 and case.meta and case.meta.generation.mode.is_positive:
        messages = [m for ms in response.json()["errors"].values() for m in ms]
        if messages and all(any(part in m for part in DATA_DEPENDENT) for m in messages):
            return None
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(records, case):
    # The WSGI transport asks for gzip but hands the body over undecoded; compression has
    # its own tests (test_cors_and_compression.py).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_accepted],
    )
