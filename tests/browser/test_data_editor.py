"""Your own data on the page (static/js/data-panel.js, data-editor.js, csv.js): CSV pasted in, samples
added, moved and removed on the plane, each edit a PATCH of the same network that the picture then
shows; a bad CSV line named; the samples downloaded; the notice that a link cannot carry them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_network_view import open_page

pytestmark = pytest.mark.browser

SQUARE = "x1,x2,label\n-2,-2,0\n2,2,1\n-2,2,0\n2,-2,1\n0,0,1,test\n"
EXTENT = (-2.5, 2.5)  # the server pads own data by max(10 % of its span, 0.5): here 0.5 around ±2
AXIS = 18  # CSS pixels left of the boundary's plane (charts/boundary.js)


def is_patch(response) -> bool:
    return response.request.method == "PATCH" and response.request.post_data_json.get("data") is not None


def drawn_points(page: Page, train: int, test: int | None = None) -> None:
    """Wait until the boundary shows `train` training samples (and `test` test samples)."""
    canvas = page.locator("#boundary canvas.boundary-canvas")
    expect(canvas).to_have_attribute("data-train-points", str(train))
    if test is not None:
        expect(canvas).to_have_attribute("data-test-points", str(test))


def at(page: Page, x: float, y: float) -> tuple[float, float]:
    """The client position of the plane's point (x, y) on the boundary picture."""
    canvas = page.locator("#boundary canvas.boundary-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    size = box["width"] - AXIS
    lo, hi = EXTENT
    return box["x"] + AXIS + (x - lo) / (hi - lo) * size, box["y"] + size - (y - lo) / (hi - lo) * size


def open_tools(page: Page) -> None:
    if page.locator("#data-edit-toggle").get_attribute("aria-expanded") != "true":
        page.click("#data-edit-toggle")


def paste(page: Page, text: str) -> None:
    open_tools(page)
    if page.locator("#data-csv").is_hidden():
        page.click("#data-csv-toggle")
    page.fill("#data-csv-text", text)
    page.click("#data-csv-use")


def use_square(page: Page, server_url: str) -> dict[str, Any]:
    state = open_page(page, server_url, "#data=xor&samples=40&hidden=3")
    with page.expect_response(is_patch) as patched:
        paste(page, SQUARE)
    answer = patched.value.json()
    assert answer["id"] == state["id"] and (answer["n_train"], answer["n_test"]) == (4, 1)
    assert answer["weights"] == state["weights"]  # the same network, weights kept
    drawn_points(page, 4, 1)
    return answer


def test_pasted_csv_becomes_the_networks_data_in_place(page: Page, server_url: str) -> None:
    state = use_square(page, server_url)
    assert state["spec"]["dataset"] is None and state["task"] == "custom"
    expect(page.locator("#data-csv-error")).to_be_hidden()
    expect(page.locator("#timeline-step-value")).to_have_text("0")


def test_the_plane_takes_edits_only_while_the_tools_are_open(page: Page, server_url: str) -> None:
    use_square(page, server_url)
    page.click("#data-edit-toggle")  # closed
    expect(page.locator("#data-body")).to_be_hidden()
    patches: list[str] = []
    page.on("request", lambda r: patches.append(r.url) if r.method == "PATCH" else None)
    page.mouse.click(*at(page, 1.0, -1.0))
    page.mouse.click(*at(page, 2.0, 2.0), button="right")
    page.click("#data-edit-toggle")  # open again: the next click is sent (so the two above were not)
    with page.expect_response(is_patch) as added:
        page.mouse.click(*at(page, 1.0, -1.0))
    assert len(added.value.request.post_data_json["data"]["inputs"]) == 5
    assert len(patches) == 1


def test_clicking_dragging_and_right_clicking_edit_the_samples_through_patch(page: Page, server_url: str) -> None:
    use_square(page, server_url)

    with page.expect_response(is_patch) as added:
        page.mouse.click(*at(page, 1.0, -1.0))
    data = added.value.request.post_data_json["data"]
    assert len(data["inputs"]) == 5 and data["inputs"][-1] == pytest.approx([1.0, -1.0], abs=0.05)
    assert data["targets"][-1] == [0.0]  # the picker's first class (sigmoid output: class 0 is 0)
    drawn_points(page, 5)

    page.check("#data-class-1")
    with page.expect_response(is_patch) as added:
        page.mouse.click(*at(page, -1.0, 1.0))
    assert added.value.request.post_data_json["data"]["targets"][-1] == [1.0]
    drawn_points(page, 6)

    # Drag the sample at (2, 2) to (1, 1.5): the last PATCH has it there, the rest unchanged.
    page.mouse.move(*at(page, 2.0, 2.0))
    page.mouse.down()
    for k in range(1, 6):
        page.mouse.move(*at(page, 2.0 - k * 0.2, 2.0 - k * 0.1))
    with page.expect_response(lambda r: is_patch(r) and r.request.post_data_json["data"]["inputs"][1]
                              == pytest.approx([1.0, 1.5], abs=0.05)):
        page.mouse.up()
    drawn_points(page, 6)

    # Right-click the sample at (-2, -2): removed.
    five = lambda r: is_patch(r) and len(r.request.post_data_json["data"]["inputs"]) == 5  # noqa: E731
    with page.expect_response(five) as removed:
        page.mouse.click(*at(page, -2.0, -2.0), button="right")
    inputs = removed.value.request.post_data_json["data"]["inputs"]
    assert len(inputs) == 5 and all(x != pytest.approx([-2.0, -2.0], abs=0.05) for x in inputs)
    drawn_points(page, 5, 1)


def test_a_long_press_on_a_touch_screen_removes_a_sample(page: Page, server_url: str) -> None:
    use_square(page, server_url)
    x, y = at(page, 2.0, -2.0)
    touch = page.context.new_cdp_session(page)  # a real touch, held: Playwright's touchscreen only taps
    with page.expect_response(is_patch) as removed:
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    inputs = removed.value.request.post_data_json["data"]["inputs"]
    assert inputs == [[-2, -2], [2, 2], [-2, 2]]
    drawn_points(page, 3, 1)


def test_a_bad_csv_line_is_named_and_nothing_is_sent(page: Page, server_url: str) -> None:
    open_page(page, server_url, "#data=xor&samples=40")
    patches: list[str] = []
    page.on("request", lambda r: patches.append(r.url) if r.method == "PATCH" else None)
    paste(page, "x1,x2,label\n1,2,1\n\n3,abc,0\n")
    expect(page.locator("#data-csv-error")).to_have_text("Line 4: “abc” is not a number.")
    paste(page, "1,2,1\n3,4\n")
    expect(page.locator("#data-csv-error")).to_contain_text("Line 2: 2 values")
    paste(page, "1,2,1,validation\n")
    expect(page.locator("#data-csv-error")).to_contain_text("Line 1: the last value must be train or test")
    assert patches == []
    expect(page.locator("#data-link-notice")).to_be_hidden()  # still the generated dataset


def test_an_uploaded_csv_file_becomes_the_data(page: Page, server_url: str, tmp_path: Path) -> None:
    open_page(page, server_url, "#data=xor&samples=40")
    open_tools(page)
    (tmp_path / "points.csv").write_text(SQUARE)
    with page.expect_response(is_patch) as patched:
        page.set_input_files("#data-csv-file", str(tmp_path / "points.csv"))
    assert (patched.value.json()["n_train"], patched.value.json()["n_test"]) == (4, 1)
    drawn_points(page, 4, 1)
    expect(page.locator("#data-csv-text")).to_have_value(SQUARE)  # shown, to correct and use again


def test_a_refused_value_is_the_servers_and_changes_nothing(page: Page, server_url: str, problems) -> None:
    problems.allow("HTTP 422")
    problems.allow("status of 422")
    open_page(page, server_url, "#data=xor&samples=40")
    with page.expect_response(is_patch) as refused:
        paste(page, "1,2,3\n")  # a target of 3 for a sigmoid output (binary cross-entropy wants 0 … 1)
    assert refused.value.status == 422 and refused.value.json()["field"] == "data.targets"
    expect(page.locator("#banner")).to_be_visible()
    drawn_points(page, 20)  # the server's samples, as before


def test_the_samples_download_as_json_and_csv(page: Page, server_url: str, tmp_path: Path) -> None:
    use_square(page, server_url)
    with page.expect_download() as download:
        page.click("#data-downloads a[data-format=json]")
    download.value.save_as(tmp_path / "data.json")
    assert download.value.suggested_filename == "data.json"
    doc = json.loads((tmp_path / "data.json").read_text())
    assert doc == {"inputs": [[-2, -2], [2, 2], [-2, 2], [2, -2]], "targets": [[0], [1], [0], [1]],
                   "test_inputs": [[0, 0]], "test_targets": [[1]]}
    with page.expect_download() as download:
        page.click("#data-downloads a[data-format=csv]")
    download.value.save_as(tmp_path / "data.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "data.csv").read_text())))
    assert [(float(r["x1"]), float(r["x2"]), float(r["label"]), r["set"]) for r in rows] == [
        (-2, -2, 0, "train"), (2, 2, 1, "train"), (-2, 2, 0, "train"), (2, -2, 1, "train"), (0, 0, 1, "test")]


def test_own_data_says_the_link_cannot_carry_it_and_offers_the_export(page: Page, server_url: str,
                                                                      tmp_path: Path) -> None:
    use_square(page, server_url)
    expect(page.locator("#data-link-notice")).to_be_visible()
    expect(page.locator("#data-link-notice")).to_contain_text("the page's link cannot carry")
    with page.expect_download() as download:
        page.click("#data-export")
    download.value.save_as(tmp_path / "export.json")
    doc = json.loads((tmp_path / "export.json").read_text())
    assert doc["spec"]["dataset"] is None
    assert doc["data"]["inputs"] == [[-2, -2], [2, 2], [-2, 2], [2, -2]]
    assert doc["data"]["test_inputs"] == [[0, 0]]


def test_own_data_goes_on_when_the_network_is_rebuilt_and_after_a_reload(page: Page, server_url: str) -> None:
    use_square(page, server_url)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/networks")) as created:
        page.select_option("#ctl-activation", "relu")
    body = created.value.request.post_data_json
    assert body["dataset"] is None and body["data"]["inputs"] == [[-2, -2], [2, 2], [-2, 2], [2, -2]]
    drawn_points(page, 4, 1)
    expect(page.locator("#ctl-dataset")).to_have_value("xor")  # the dataset the data was made from
    page.wait_for_function("""() => {  // the copy kept in this browser is written a moment after a change
        const doc = JSON.parse(localStorage.getItem("backprop-playground/latest") ?? "null")?.export;
        return doc?.spec.activation === "relu" && doc?.data?.inputs.length === 4;
    }""")
    page.reload()
    page.wait_for_selector("html[data-ready=true]")
    drawn_points(page, 4, 1)
    expect(page.locator("#data-link-notice")).to_be_visible()


def test_a_regression_adds_samples_of_the_value_typed(page: Page, server_url: str) -> None:
    open_page(page, server_url, "#data=plane&samples=20&seed=1&out=linear&loss=mse")
    open_tools(page)
    expect(page.locator("#data-picker input[type=radio]")).to_have_count(0)
    page.fill("#data-value", "-0.75")
    drawn_points(page, 10)
    box = page.locator("#boundary canvas.boundary-canvas").bounding_box()
    with page.expect_response(is_patch) as added:
        page.mouse.click(box["x"] + box["width"] - 4, box["y"] + 4)  # the plane's top right corner
    data = added.value.request.post_data_json["data"]
    assert len(data["inputs"]) == 11 and data["targets"][-1] == [-0.75]
    assert added.value.json()["n_train"] == 11
    drawn_points(page, 11)
