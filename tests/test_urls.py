"""The project's URLs (nalirifox_screen/urls.py) that are not the application's pages."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static


@pytest.mark.django_db
def test_favicon_ico_is_the_sites_icon_for_anyone(client):
    """Chromium may ask for /favicon.ico before it reads <link rel="icon">; a 404 there is a console error."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    assert finders.find("img/favicon.svg")
