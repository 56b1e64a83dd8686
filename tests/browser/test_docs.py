"""/docs: Swagger UI served by the app itself, under the strict CSP, with no outside request."""

from __future__ import annotations

from urllib.parse import urlparse


def test_docs_render_every_operation_offline_under_the_csp(page, server_url, shot):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))

    page.goto(f"{server_url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/networks/{network_id}/step" in paths
    assert "/api/v1/networks" in paths
    assert len(paths) >= 16
    hosts = {urlparse(url).netloc for url in requested if url.startswith("http")}
    assert hosts == {urlparse(server_url).netloc}  # nothing from a CDN or a validator
    shot("docs")
