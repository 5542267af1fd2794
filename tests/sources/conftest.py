import pytest

from ijtech.models import Source
from tests.factories import add_actor, add_agreement, add_milestone, cite


@pytest.fixture
def world(db):
    w = type("World", (), {})()
    w.mofa = Source.objects.create(
        slug="mofa",
        title="Joint Statement",
        authors="MOFA",
        publisher="Government of Japan",
        kind="official",
        year=2020,
        month=10,
        day=8,
        url="https://www.mofa.go.jp/",
        note="The Japanese text is dated a day later.",
    )
    w.anon = Source.objects.create(slug="anon", title="Undated Notes", kind="report")
    w.report = Source.objects.create(
        slug="report", title="Annual Report", authors="ISRO", kind="report", year=2019, month=3
    )
    w.deal = add_agreement("space-deal", title="Space Deal")
    w.summit = add_milestone("summit", title="The Summit")
    w.jaxa = add_actor("jaxa", name="JAXA")
    w.draft = add_agreement("draft-deal", "draft", title="Draft Deal")
    w.pending = add_actor("pending-body", "in_review", name="Pending Body")
    cite(w.deal, w.mofa, locator="Para 3")
    cite(w.deal, w.mofa, locator="Para 7")
    cite(w.summit, w.mofa, locator="Section 2")
    cite(w.jaxa, w.mofa, locator="Annex")
    cite(w.draft, w.mofa, locator="Secret para")
    cite(w.pending, w.mofa, locator="Pending para")
    cite(w.draft, w.report, locator="p. 9")
    return w
