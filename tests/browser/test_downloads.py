"""The page's download links for the step shown: the server's whole trace, as JSON and as CSV."""

from __future__ import annotations

import csv
import io
import math

import pytest
from test_network_view import next_phase, open_page, take_step

pytestmark = pytest.mark.browser


def test_the_step_shown_downloads_as_the_servers_json_and_csv(page, server_url):
    open_page(page, server_url, "#hidden=3")
    assert page.locator("#timeline-downloads").count() == 0  # no step shown, nothing to download
    trace = take_step(page)
    links = page.locator("#timeline-downloads a")
    assert links.count() == 2
    json_link, csv_link = links.nth(0), links.nth(1)
    assert json_link.get_attribute("download") == f"step-{trace['step']}.json"
    assert csv_link.get_attribute("download") == f"step-{trace['step']}.csv"
    # What the links fetch is the step the page shows, exactly as /step returned it.
    assert page.request.get(server_url + json_link.get_attribute("href")).json() == trace
    rows = list(csv.DictReader(io.StringIO(page.request.get(server_url + csv_link.get_attribute("href")).text())))
    deltas = [r for r in rows if r["quantity"] == "weight_deltas" and r["layer"] == "0"]
    assert len(deltas) == 2 * 3
    for row in deltas:
        want = trace["update"][0]["weight_deltas"][int(row["i"])][int(row["j"])]
        assert math.isclose(float(row["value"]), want, rel_tol=0, abs_tol=0)
    next_phase(page, "forward-1")  # the links follow the step shown through its phases
    assert page.locator("#timeline-downloads a").count() == 2
