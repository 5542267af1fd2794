"""A record's alternative names are the versions sources give of its disputed name."""

import pytest

from ijtech.models import Disagreement, DisagreementAspect
from tests.factories import add_actor, cite

pytestmark = pytest.mark.django_db


def disputed(record, aspect):
    return Disagreement.objects.create(target=record, aspect=aspect, explanation="They differ.")


def test_it_lists_each_other_name_once_in_citation_order(source):
    actor = add_actor("jaxa", name="Japan Aerospace Exploration Agency", acronym="JAXA")
    name = disputed(actor, DisagreementAspect.NAME)
    cite(actor, source, position="Japan Aerospace Exploration Agency", disagreement=name)
    cite(actor, source, position="Japan Space Exploration Agency", disagreement=name)
    cite(actor, source, position="japan space exploration agency", disagreement=name)
    assert actor.alternative_names() == ["Japan Space Exploration Agency"]


def test_it_ignores_the_versions_of_other_disputed_points(source):
    actor = add_actor("nec", name="NEC Corporation")
    cite(actor, source, position="a company", disagreement=disputed(actor, "kind"))
    cite(actor, source)
    assert actor.alternative_names() == []
