"""The pledges table."""

import pytest
from pytest_django.asserts import assertContains

from tests.factories import UNPUBLISHED, add_milestone, assert_bad_request, times

pytestmark = pytest.mark.django_db


PLEDGES = "/pledges/"


class TestPledges:
    def test_it_lists_published_pledges(self, client, milestone_world):
        response = client.get(PLEDGES)
        html = response.content.decode()
        assert [m.slug for m in response.context["page_obj"]] == ["hydrogen-pledge"]
        assert "<caption>1 pledge and target</caption>" in html
        assert "<td>5 trillion JPY</td>" in html
        assert "<td>2027</td>" in html
        assert "<td>Half delivered by 2024.</td>" in html
        assert "Review Pledge" not in html
        # The pledge's agreement is a draft: no link, no title.
        assert "Secret Deal" not in html
        assert times(response) == {"about 2022": "2022"}

    def test_it_links_a_published_agreement(self, client, milestone_world):
        add_milestone("mou-pledge", kind="pledge", agreement=milestone_world.mou, year=2021)
        assertContains(
            client.get(PLEDGES),
            '<td><a href="/agreements/space-mou/">Space Cooperation MoU</a></td>',
        )

    def test_it_names_the_summit_a_pledge_was_announced_at(self, client, milestone_world):
        add_milestone("summit-pledge", kind="pledge", occasion=milestone_world.summit, year=2021)
        add_milestone("hidden-summit", UNPUBLISHED[0], kind="summit", title="Secret Summit")
        add_milestone(
            "orphan-pledge",
            kind="pledge",
            occasion=type(milestone_world.summit).objects.get(slug="hidden-summit"),
            year=2021,
        )
        html = client.get(PLEDGES).content.decode()
        summit = milestone_world.summit
        assert f'<td><a href="{summit.get_absolute_url()}">{summit.title}</a></td>' in html
        assert "Secret Summit" not in html

    def test_pledges_are_in_date_order(self, client, milestone_world):
        add_milestone("early-pledge", kind="pledge", year=2010)
        add_milestone("late-pledge", kind="pledge", year=2024, month=1)
        response = client.get(PLEDGES)
        assert [m.slug for m in response.context["page_obj"]] == [
            "early-pledge",
            "hydrogen-pledge",
            "late-pledge",
        ]

    def test_with_no_pledges_it_says_so(self, client, db):
        response = client.get(PLEDGES)
        assert response.status_code == 200
        assertContains(response, "No pledges or targets are recorded yet.")

    def test_it_pages_by_50(self, client, milestone_world):
        for i in range(50):
            add_milestone(f"p-{i:02}", kind="pledge", year=2000)
        response = client.get(PLEDGES)
        assert len(response.context["page_obj"]) == 50
        assertContains(response, 'rel="next" href="?page=2"')
        assert len(client.get(PLEDGES, {"page": "2"}).context["page_obj"]) == 1

    @pytest.mark.parametrize(
        ("page", "message"),
        [
            ("abc", "“abc” is not a page number."),
            ("2", "Page 2 does not exist; there is 1 page of results."),
        ],
    )
    def test_a_bad_page_is_a_400(self, client, milestone_world, page, message):
        assert_bad_request(client.get(PLEDGES, {"page": page}), message)


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_pledges(
        self, client, milestone_crowd, warm_content_types, django_assert_num_queries, n
    ):
        milestone_crowd(n)
        # 1 count, 2 rows with their agreements, 3 sectors, 4 citations, 5 disagreements.
        with django_assert_num_queries(5):
            client.get(PLEDGES)
        # The count is kept until the next public change: 1 rows, 2 sectors, 3 citations,
        # 4 disagreements.
        with django_assert_num_queries(4):
            response = client.get(PLEDGES)
        assert len(response.context["page_obj"]) == n
