"""Your own data on a one-input network (static/js/data-panel.js, data-editor.js, charts/fit.js): the
data tools sit under the fitted curve, where a sample is a point (x = its input, y = its target); a
click adds a sample at the place clicked, a drag moves one (x and y), a right-click removes one, CSV
takes `x,label` lines; each edit a PATCH of the same network, after which the curve is drawn again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_data_editor import is_patch, open_tools, paste
from test_network_view import open_page

pytestmark = pytest.mark.browser

LINE = "x,label\n-2,0.5\n0,1\n2,-0.5\n1,0,test\n"  # three training samples, one test sample
CANVAS = "#fit canvas.fit-canvas"


def drawn(page: Page, train: int, test: int | None = None) -> None:
    """Wait until the fitted-curve chart shows `train` training samples (and `test` test samples)."""
    expect(page.locator(CANVAS)).to_have_attribute("data-train-points", str(train))
    if test is not None:
        expect(page.locator(CANVAS)).to_have_attribute("data-test-points", str(test))


def plot(page: Page) -> dict[str, float]:
    """The chart's plot as last drawn: its place in the canvas (CSS pixels) and its x and y ranges."""
    names = ["left", "top", "width", "height", "xlo", "xhi", "ylo", "yhi"]
    return dict(zip(names, map(float, page.locator(CANVAS).get_attribute("data-plot").split()), strict=True))


def at(page: Page, x: float, y: float) -> tuple[float, float]:
    """The client position of the chart's point (x, y), from the plot's place and ranges."""
    canvas = page.locator(CANVAS)
    canvas.scroll_into_view_if_needed()
    box, p = canvas.bounding_box(), plot(page)
    return (box["x"] + p["left"] + (x - p["xlo"]) / (p["xhi"] - p["xlo"]) * p["width"],
            box["y"] + p["top"] + (p["yhi"] - y) / (p["yhi"] - p["ylo"]) * p["height"])


def tolerance(page: Page) -> tuple[float, float]:
    """How far one CSS pixel is on the chart, in x and in y."""
    p = plot(page)
    return (p["xhi"] - p["xlo"]) / p["width"], (p["yhi"] - p["ylo"]) / p["height"]


def use_line(page: Page, server_url: str, hash_: str = "#data=sine&samples=40&hidden=4") -> dict[str, Any]:
    state = open_page(page, server_url, hash_)
    with page.expect_response(is_patch) as patched:
        paste(page, LINE)
    answer = patched.value.json()
    assert answer["id"] == state["id"] and (answer["n_train"], answer["n_test"]) == (3, 1)
    assert answer["weights"] == state["weights"]
    drawn(page, 3, 1)
    return answer


def test_the_tools_sit_under_the_fitted_curve_of_a_one_input_network(page: Page, server_url: str) -> None:
    open_page(page, server_url, "#data=sine&samples=40")
    expect(page.locator("#panel-fit")).to_be_visible()
    expect(page.locator("#data-editor")).to_have_count(1)  # one place on the page at a time
    expect(page.locator("#panel-fit #data-editor #data-edit-toggle")).to_be_visible()
    open_tools(page)
    expect(page.locator("#data-edit-help")).to_contain_text("click the chart")
    expect(page.locator("#data-picker")).to_be_hidden()  # the height clicked is the target
    expect(page.locator(CANVAS)).to_have_class("fit-canvas editable")
    # A 2-input dataset: back under the boundary, the plane taking the edits.
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/networks")):
        page.select_option("#ctl-dataset", "xor")
    expect(page.locator("#panel-boundary #data-editor #data-edit-toggle")).to_be_visible()
    expect(page.locator("#data-editor")).to_have_count(1)
    expect(page.locator("#data-edit-help")).to_contain_text("click the plane")
    expect(page.locator("#boundary canvas.boundary-canvas")).to_have_class("boundary-canvas editable")
    expect(page.locator(CANVAS)).to_have_class("fit-canvas")


def test_pasted_csv_for_one_input_becomes_the_data_and_the_curve_is_drawn_over_it(page: Page,
                                                                                  server_url: str) -> None:
    open_page(page, server_url, "#data=sine&samples=40&hidden=4")
    # The server pads own data by max(10 % of its span, 0.5): here 1 around -5 … 5.
    with page.expect_response(is_patch) as patched, \
            page.expect_response(lambda r: r.url.split("?")[0].endswith("/predict")) as predicted:
        paste(page, "x,label\n-5,1\n5,-1\n0,0.25,test\n")
    assert patched.value.json()["extent"] == [[-6, 6]]
    grid = predicted.value.request.post_data_json["inputs"]
    assert (grid[0], grid[-1]) == ([-6], [6])  # the curve asked for again, over the new data's range
    drawn(page, 2, 1)
    expect(page.locator(CANVAS)).to_have_attribute("data-plot", re.compile(r"^(\S+ ){4}-6 6 "))  # x: -6 … 6


def test_clicking_dragging_and_right_clicking_edit_the_points_through_patch(page: Page, server_url: str) -> None:
    use_line(page, server_url)
    dx, dy = tolerance(page)

    # A click adds a training sample at the place clicked: x its input, y its target.
    with page.expect_response(is_patch) as added, \
            page.expect_response(lambda r: r.url.split("?")[0].endswith("/predict")):
        page.mouse.click(*at(page, 1.5, 0.75))
    data = added.value.request.post_data_json["data"]
    assert len(data["inputs"]) == 4
    assert data["inputs"][-1] == pytest.approx([1.5], abs=dx) and data["targets"][-1] == pytest.approx([0.75], abs=dy)
    assert added.value.json()["n_train"] == 4
    drawn(page, 4, 1)

    # Drag the sample at (0, 1) to (-1, 0.25): the last PATCH has it there (both x and y).
    page.mouse.move(*at(page, 0, 1))
    page.mouse.down()
    for k in range(1, 6):
        page.mouse.move(*at(page, -0.2 * k, 1 - 0.15 * k))
    dx, dy = tolerance(page)

    def moved(r) -> bool:
        d = is_patch(r) and r.request.post_data_json["data"]
        return bool(d) and (d["inputs"][1], d["targets"][1]) == (pytest.approx([-1], abs=dx),
                                                                   pytest.approx([0.25], abs=dy))
    with page.expect_response(moved) as dragged:
        page.mouse.up()
    data = dragged.value.request.post_data_json["data"]
    assert data["inputs"][0] == [-2] and data["targets"][0] == [0.5]  # the others as they were
    drawn(page, 4, 1)

    # Right-click the sample at (2, -0.5): removed.
    three = lambda r: is_patch(r) and len(r.request.post_data_json["data"]["inputs"]) == 3  # noqa: E731
    with page.expect_response(three) as removed:
        page.mouse.click(*at(page, 2, -0.5), button="right")
    assert [2] not in removed.value.request.post_data_json["data"]["inputs"]
    drawn(page, 3, 1)


def test_test_samples_are_edited_while_shown(page: Page, server_url: str) -> None:
    use_line(page, server_url)
    page.uncheck("#fit-show-test")
    drawn(page, 3, 0)
    patches: list[str] = []
    page.on("request", lambda r: patches.append(r.url) if r.method == "PATCH" else None)
    page.mouse.click(*at(page, 1, 0), button="right")  # the hidden test sample: not taken
    page.check("#fit-show-test")
    with page.expect_response(is_patch) as removed:
        page.mouse.click(*at(page, 1, 0), button="right")
    data = removed.value.request.post_data_json["data"]
    assert len(patches) == 1 and "test_inputs" not in data and len(data["inputs"]) == 3
    drawn(page, 3, 0)


def test_an_edit_keeps_the_weights_the_optimizer_state_and_the_step(page: Page, server_url: str) -> None:
    network = use_line(page, server_url)["id"]
    page.click("#whole-step")
    expect(page.locator("#step-count")).to_have_text("1")
    with page.expect_response(lambda r: r.request.method == "GET" and r.url.endswith("/networks/" + network)) as now:
        page.evaluate("(id) => fetch(`/api/v1/networks/${id}`)", network)
    before = now.value.json()
    assert before["step"] == 1
    with page.expect_response(is_patch) as added:
        page.mouse.click(*at(page, -1, 0.2))
    answer = added.value.json()
    assert answer["id"] == network and answer["step"] == 1 and answer["n_train"] == 4
    assert answer["weights"] == before["weights"] and answer["optimizer_state"] == before["optimizer_state"]


def test_a_long_press_on_a_touch_screen_removes_a_point(page: Page, server_url: str) -> None:
    use_line(page, server_url)
    x, y = at(page, -2, 0.5)
    touch = page.context.new_cdp_session(page)
    with page.expect_response(is_patch) as removed:
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert removed.value.request.post_data_json["data"]["inputs"] == [[0], [2]]
    drawn(page, 2, 1)


def test_a_one_input_network_with_classes_adds_the_class_chosen(page: Page, server_url: str) -> None:
    open_page(page, server_url, "#data=sine&samples=40&out=sigmoid&loss=bce")
    with page.expect_response(is_patch):
        paste(page, "x,label\n-2,0\n2,1\n")
    drawn(page, 2)
    expect(page.locator("#data-picker input[type=radio]")).to_have_count(2)
    page.check("#data-class-1")
    dx, _ = tolerance(page)
    with page.expect_response(is_patch) as added:
        page.mouse.click(*at(page, 0.5, 0.3))  # the height is not the target: the class is
    data = added.value.request.post_data_json["data"]
    assert data["inputs"][-1] == pytest.approx([0.5], abs=dx) and data["targets"][-1] == [1.0]
    drawn(page, 3)


def test_a_classroom_link_hiding_the_output_hides_the_tools_under_the_curve_too(page: Page, server_url: str) -> None:
    open_page(page, server_url, "#data=sine&samples=40&hide=output")
    expect(page.locator("#panel-fit #data-editor")).to_have_count(1)
    expect(page.locator("#panel-fit")).to_be_hidden()
    expect(page.locator("#data-edit-toggle")).to_be_hidden()


def test_csv_takes_the_raw_input_when_the_input_units_are_features_of_it(page: Page, server_url: str) -> None:
    state = open_page(page, server_url, "#data=sine&samples=40&feat=x1,x1_squared,sin_x1")
    assert state["spec"]["layer_sizes"][0] == 3  # three input units, one raw input
    with page.expect_response(is_patch) as patched:
        paste(page, "x,label\n-1,0.5\n1,-0.5\n")
    assert patched.value.request.post_data_json["data"]["inputs"] == [[-1], [1]]
    assert patched.value.json()["n_train"] == 2
    drawn(page, 2)
