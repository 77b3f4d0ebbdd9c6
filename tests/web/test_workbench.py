"""web/workbench.py: what every HTML page shares (favicon, header links, skip link)."""

from __future__ import annotations


def test_favicon_and_the_header_links_the_map(client):
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/?lang=en").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">Skip to content</a>' in page
    assert 'href="/map?lang=en">Map</a>' in page and 'rel="icon"' in page
