"""The public pages after their restructuring: menu sections, generic core pages."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/milestones/timeline/", "timeline"),
        ("/milestones/timeline/?year=abc", "timeline"),
        ("/milestones/", "milestones"),
        ("/agreements/", "agreements"),
        ("/disagreements/", "disagreements"),
    ],
)
def test_each_page_marks_its_menu_section(client, url, section):
    response = client.get(url)
    assert response.context["nav_section"] == section
