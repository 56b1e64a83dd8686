"""The page at /, its modules under /static/js, the offline API docs at /docs and the OpenAPI document."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ..conftest import API


class Assets(HTMLParser):
    """Collects the src/href of <script>, <link> and <img>, and counts inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.urls.append(a["href"])
        if tag == "script" and not a.get("src"):
            self._in_inline_script = True

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False


def assets_of(html: str) -> Assets:
    parser = Assets()
    parser.feed(html)
    return parser


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


# ---- GET / ----------------------------------------------------------------------------------
def test_index_serves_html(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Backprop Playground</title>" in response.text


def test_index_has_a_strict_content_security_policy(client):
    csp = csp_directives(client.get("/").headers["content-security-policy"])

    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert not any("unsafe-inline" in v or "unsafe-eval" in v for values in csp.values() for v in values)


def test_index_has_no_inline_scripts(client):
    assets = assets_of(client.get("/").text)

    assert assets.inline_scripts == 0
    assert not re.search(r"\son[a-z]+\s*=", client.get("/").text)  # no onclick= and the like


def test_index_assets_are_local_and_load(client):
    urls = [u for u in assets_of(client.get("/").text).urls if not u.startswith("data:")]

    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    for url in urls:
        assert client.get(url).status_code == 200, url


# ---- GET /docs --------------------------------------------------------------------------------
def test_docs_serves_html_with_the_same_strict_policy(client):
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert csp_directives(response.headers["content-security-policy"])["script-src"] == ["'self'"]
    assert assets_of(response.text).inline_scripts == 0


def test_docs_references_only_local_assets(client):
    html = client.get("/docs").text

    assert not re.search(r"https?://", html)
    urls = assets_of(html).urls
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert any(u.endswith("swagger-ui.css") for u in urls)
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls


def test_docs_assets_load_from_the_app(client):
    for url in assets_of(client.get("/docs").text).urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 0, url


def test_docs_points_swagger_at_the_local_openapi_document(client):
    html = client.get("/docs").text

    assert 'data-openapi-url="/openapi.json"' in html


def test_docs_script_turns_off_the_online_validator(client):
    script = client.get("/static/js/docs-init.js").text

    assert re.search(r"validatorUrl\s*:\s*null", script)


# ---- GET /openapi.json ---------------------------------------------------------------------
ENDPOINTS = {
    ("post", f"{API}/networks"),
    ("get", f"{API}/networks/{{network_id}}"),
    ("patch", f"{API}/networks/{{network_id}}"),
    ("delete", f"{API}/networks/{{network_id}}"),
    ("post", f"{API}/networks/{{network_id}}/reset"),
    ("get", f"{API}/networks/{{network_id}}/export"),
    ("post", f"{API}/networks/import"),
    ("post", f"{API}/networks/{{network_id}}/forward"),
    ("post", f"{API}/networks/{{network_id}}/step"),
    ("post", f"{API}/networks/{{network_id}}/train"),
    ("post", f"{API}/networks/{{network_id}}/predict"),
    ("get", f"{API}/networks/{{network_id}}/boundary"),
    ("get", f"{API}/networks/{{network_id}}/data"),
    ("get", f"{API}/networks/{{network_id}}/evaluation"),
    ("get", f"{API}/options"),
    ("get", "/healthz"),
    # explanations of kept steps (issue 11)
    ("get", f"{API}/networks/{{network_id}}/explain/unit"),
    ("get", f"{API}/networks/{{network_id}}/explain/weight"),
    ("get", f"{API}/networks/{{network_id}}/explain/loss-curve"),
    ("get", f"{API}/networks/{{network_id}}/steps/{{n}}/trace"),
    ("post", f"{API}/networks/{{network_id}}/gradcheck"),
}


def test_openapi_lists_every_endpoint(client):
    response = client.get("/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    listed = {(method, path) for path, ops in paths.items() for method in ops}
    assert listed == ENDPOINTS


def test_openapi_documents_the_request_bodies_with_their_limits(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]

    create = schemas["NetworkCreate"]["properties"]
    assert {"layer_sizes", "activation", "output_activation", "loss", "use_bias", "init", "weights", "biases",
            "optimizer", "regularization", "dataset", "data", "batch_size"} <= set(create)
    # The limits are the app's settings (not fixed in the schema): the descriptions name them.
    assert "`max_train_steps` (10000" in schemas["TrainIn"]["properties"]["steps"]["description"]
    assert "`max_samples` (5000" in schemas["DatasetIn"]["properties"]["n_samples"]["description"]
    assert set(schemas["OptimizerIn"]["properties"]) == {"name", "learning_rate", "momentum", "rho", "beta1",
                                                         "beta2", "epsilon"}
    beta2 = schemas["OptimizerIn"]["properties"]["beta2"]
    assert (beta2["type"], beta2["minimum"], beta2["exclusiveMaximum"]) == ("number", 0.0, 1.0)


def test_openapi_documents_the_step_trace(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]

    assert {"step", "applied", "diverged", "forward", "backward", "update", "loss", "data_loss",
            "loss_per_sample", "sample_indices"} <= set(schemas["StepTrace"]["properties"])
    assert set(schemas["LayerBackward"]["properties"]) == {"grad_a", "grad_z", "grad_weights", "grad_biases"}


# ---- the page's modules (static/js) ------------------------------------------------------------
STATIC_JS = Path(__file__).resolve().parents[3] / "static" / "js"
MODULES = sorted(STATIC_JS.rglob("*.js"))
LANGUAGE_TABLE = re.compile(r"[a-z]{2,3}(?:-[A-Z]{2})?\.js")  # static/js/i18n/<code>.js: UI text, not code
IMPORT = re.compile(r'^import\s+(?:\{([^}]*)\}|\*\s+as\s+\w+)\s+from\s+"([^"]+)";', re.MULTILINE)
EXPORT = re.compile(r"^export\s+(?:async\s+)?(?:function|class|const|let)\s+(\w+)", re.MULTILINE)


def test_the_page_has_its_modules():
    assert {"main.js", "url-config.js", "banner.js", "keeper.js", "colours.js", "elements.js", "options.js",
            "render/network.js", "render/network-model.js"} <= {str(m.relative_to(STATIC_JS)) for m in MODULES}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: str(m.relative_to(STATIC_JS)))
def test_each_module_is_short_and_opens_with_what_it_does(module):
    text = module.read_text()
    if not (module.parent.name == "i18n" and LANGUAGE_TABLE.fullmatch(module.name)):
        assert len(text.splitlines()) <= 350
    assert text.startswith("// ") and len(text.split("\n\n")[0]) > 40  # a sentence, not a stray remark


@pytest.mark.parametrize("module", MODULES, ids=lambda m: str(m.relative_to(STATIC_JS)))
def test_each_import_names_a_module_and_exports_that_exist(module):
    for names, path in IMPORT.findall(module.read_text()):
        target = (module.parent / path).resolve()
        assert target.is_file(), f"{module.name} imports {path}"
        exported = set(EXPORT.findall(target.read_text()))
        wanted = {n.strip() for n in names.split(",") if n.strip()}
        assert wanted <= exported, f"{module.name} imports {sorted(wanted - exported)} from {path}"


def test_the_template_loads_the_entry_module_that_exists(client):
    scripts = [u for u in assets_of(client.get("/").text).urls if u.endswith(".js")]
    assert scripts and all((STATIC_JS / u.removeprefix("/static/js/")).is_file() for u in scripts)
