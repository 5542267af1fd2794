import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/agreements/no-such-agreement/", "/milestones/no-such/", "/actors/nobody/", "/nowhere/"],
)
def test_an_unknown_address_is_a_404_page_that_helps(client, url):
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page
    assert 'href="/search/"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/agreements/?sector=%00",
        "/agreements/?q=%00",
        "/agreements/?kind=%00",
        "/milestones/?actor=a%00b",
        "/milestones/timeline/?tag=%00",
        "/actors/?sector=x%00",
        "/search/?q=%00",
    ],
)
def test_a_nul_byte_in_a_filter_is_a_400_not_a_500(client, url):
    assert client.get(url).status_code == 400
