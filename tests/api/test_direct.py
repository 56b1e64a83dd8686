"""DirectRoute (/step, /forward): every form of the request takes the ordinary route, through every
middleware, and answers as FastAPI's own handler would, refusals word for word."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.direct import DirectRoute

from .conftest import API, Api, strict_json

SEEDED = {"layer_sizes": [2, 3, 1], "dataset": {"name": "xor", "n_samples": 40, "seed": 3}, "init": {"seed": 4}}
JSON = {"content-type": "application/json"}
# The ways a client asks for the next mini-batch: no body at all, `{}` (the page), both fields null, null.
NEXT_BATCH: list[dict[str, Any]] = [{"content": b""}, {"json": {}}, {"json": {"inputs": None, "targets": None}},
                                    {"content": b"{}", "headers": {"content-type": "application/json; charset=utf-8"}},
                                    {"content": b"null", "headers": JSON}]


@pytest.mark.parametrize("path", ["/step", "/forward"])
def test_every_form_of_next_batch_gets_the_same_answer(api, client, path):
    answers = []
    for form in NEXT_BATCH:
        sid = api.create(**SEEDED)["id"]
        response = client.post(f"{API}/networks/{sid}{path}", **form)
        assert response.status_code == 200, (form, response.text)
        assert response.headers["content-type"] == "application/json"
        answers.append(strict_json(response.content))
    assert all(answer == answers[0] for answer in answers)


@pytest.mark.parametrize("query", ["?precision=float64", "?precision=float32", "?precision=compact",
                                   "?precision=compact&extra=1", "?extra=1&precision=compact"])
def test_every_precision_is_honoured_with_or_without_a_body(api, client, query):
    for form in NEXT_BATCH[:2]:
        sid = api.create(**SEEDED)["id"]
        answer = strict_json(client.post(f"{API}/networks/{sid}/step{query}", **form).content)
        assert ("encoding" in answer) == ("compact" in query)


def test_given_inputs_and_targets_are_used(api):
    sid = api.create(**SEEDED)["id"]

    trace = api.step(sid, inputs=[[0.25, 0.75]], targets=[[1.0]])

    assert trace["inputs"] == [[0.25, 0.75]] and trace["targets"] == [[1.0]]


def test_an_unknown_network_gets_the_same_404_with_or_without_a_body(client):
    bare = client.post(f"{API}/networks/no-such-network/step", content=b"")
    empty = client.post(f"{API}/networks/no-such-network/step?precision=compact", json={})

    assert bare.status_code == empty.status_code == 404
    assert strict_json(bare.content) == strict_json(empty.content)
    assert strict_json(bare.content)["field"] == "network_id"


@pytest.mark.parametrize("raw", [b'{"inputs": [[0.5, 0.5]', b"not json", b"\xff\xfe", b"[1, 2]", b"7",
                                 b'{"extra": 1}'])
def test_a_refused_body_is_refused_as_fastapi_refuses_it_on_other_routes(api, raw):
    sid = api.create(**SEEDED)["id"]

    on_step = api.post_raw(f"/networks/{sid}/step", raw, 422)
    on_train = api.post_raw(f"/networks/{sid}/train", raw, 422)  # FastAPI's own handler reads this one
    # (non-finite and out-of-range inputs on /step: test_errors.py)

    assert on_step["detail"] == on_train["detail"]
    assert on_step["field"] == on_train["field"]
    assert api.get(sid)["step"] == 0


def test_a_body_that_is_not_json_by_its_content_type_is_refused(api, client):
    sid = api.create(**SEEDED)["id"]

    response = client.post(f"{API}/networks/{sid}/step", content=b"{}", headers={"content-type": "text/plain"})

    assert response.status_code == 422
    assert api.get(sid)["step"] == 0


@pytest.mark.parametrize(("query", "field"), [("?precision=float16", "precision"), ("?precision=", "precision")])
def test_an_unknown_precision_is_refused_naming_it(api, client, query, field):
    sid = api.create(**SEEDED)["id"]

    response = client.post(f"{API}/networks/{sid}/step{query}", json={})

    assert response.status_code == 422
    assert strict_json(response.content)["field"] == field
    assert api.get(sid)["step"] == 0


def test_an_id_over_64_characters_is_refused_as_the_other_routes_refuse_it(client):
    long_id = "x" * 65

    on_step = client.post(f"{API}/networks/{long_id}/step", json={})
    on_get = client.get(f"{API}/networks/{long_id}")

    assert on_step.status_code == on_get.status_code == 422
    assert strict_json(on_step.content)["field"] == strict_json(on_get.content)["field"] == "network_id"


class Counting:
    """A middleware added later, as any other: it must see every request."""

    seen: list[str] = []

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            Counting.seen.append(scope["path"])
        await self.app(scope, receive, send)


def test_a_middleware_added_later_sees_every_step(make_client):
    client = make_client()
    client.app.add_middleware(Counting)
    Counting.seen.clear()
    sid = Api(client).create(**SEEDED)["id"]

    client.post(f"{API}/networks/{sid}/step", content=b"")
    client.post(f"{API}/networks/{sid}/step", json={})
    client.post(f"{API}/networks/{sid}/step?precision=compact", json={})
    client.post(f"{API}/networks/{sid}/forward", content=b"")

    assert Counting.seen.count(f"{API}/networks/{sid}/step") == 3
    assert Counting.seen.count(f"{API}/networks/{sid}/forward") == 1


@pytest.mark.parametrize(("path", "trace"), [("/step", "StepTrace"), ("/forward", "ForwardTrace")])
def test_the_openapi_document_describes_the_route_in_full(client, path, trace):
    operation = client.get("/openapi.json").json()["paths"][f"{API}/networks/{{network_id}}{path}"]["post"]

    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "#/components/schemas/BatchIn" in str(body)
    assert not operation["requestBody"].get("required", False)
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["network_id"]["in"] == "path"
    assert parameters["precision"]["in"] == "query"
    assert parameters["precision"]["schema"]["enum"] == ["float64", "float32", "compact"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(trace)
    assert set(operation["responses"]) >= {"200", "404", "422"}


def test_an_endpoint_of_another_shape_is_refused_when_the_route_is_made():
    router = APIRouter()

    async def other(network_id: str, body: dict | None = None) -> None: ...

    with pytest.raises(TypeError, match="DirectRoute"):
        router.add_api_route("/x/{network_id}", other, methods=["POST"], route_class_override=DirectRoute)
