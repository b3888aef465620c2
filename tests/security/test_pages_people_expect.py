import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("privacy", "Privacy notice"),
        ("accessibility", "Accessibility statement for Encompass"),
        ("agreement", "Information sharing agreement"),
    ],
)
def test_anybody_can_read_the_pages_people_expect(client, db, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_every_page_links_to_them(client, db):
    page = client.get(reverse("two_factor:login")).content.decode()
    for name in ("privacy", "accessibility", "agreement"):
        assert f'href="{reverse(name)}"' in page
