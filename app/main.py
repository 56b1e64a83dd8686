"""create_app(): the ASGI app — REST API under /api/v1, the page at /, offline docs at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from .api import errors, openapi
from .api.encoding import JSONBytes
from .api.middleware.answer_limit import AnswerLimit
from .api.middleware.body_limit import BodyLimit
from .api.middleware.cors import allow_origins
from .api.middleware.head import HeadAsGet
from .api.middleware.json_bodies import JsonBodies
from .api.middleware.security_headers import SecurityHeaders
from .api.ratelimit import make_limiter
from .api.routes import explain, networks, options, pages, races, surfaces, training
from .config import AppSettings, get_settings
from .schemas import ErrorBody, Health, Readiness
from .sessions import SessionStore, make_store

ROOT = Path(__file__).resolve().parent.parent
API_PREFIX = "/api/v1"
# The API's version, in the OpenAPI document: the major is the path's; the minor counts additions
# (README, "Versioning: what /api/v1 promises").
API_VERSION = "1.1.0"

DESCRIPTION = """Watch backpropagation one step at a time: every number of a step as JSON.

**Conventions.** `weights[l][i][j]` joins unit *i* of layer *l* to unit *j* of layer *l+1* (each matrix
is n_in × n_out; a layer computes z = a_prev · W + b). Per-layer lists have one entry per non-input
layer, in forward order. Per-sample arrays are (batch, units). `grad_a` and `grad_z` (δ) are per-sample
derivatives of that sample's loss E_b; `grad_weights` and `grad_biases` are derivatives of the batch
loss E = mean E_b (plus regularization). Overflowed numbers are `null`. Errors carry a stable `code` with
its `params`, a plain `detail` and the `field` at fault (ErrorBody).

**Versioning.** Within /api/v1 only additions: new endpoints, new optional request fields, new response
fields, new error codes. Never within v1: removing or renaming a path, field, operation id or error code,
or changing a meaning or a default.
"""


TAGS = [
    {"name": "networks", "description": "Create, read, change, reset, export and import networks."},
    {"name": "training", "description": "Run a network: forward previews, steps with their whole trace, "
                                        "training, predictions, its data and pictures."},
    {"name": "explanations", "description": "Why each number of a kept step is what it is (the chain rule term "
                                            "by term), its trace again, the loss along a weight, and the "
                                            "gradient check."},
    {"name": "races", "description": "Optimizers side by side: several networks from one spec, advanced in "
                                     "lockstep by one request."},
    {"name": "surfaces", "description": "The loss over a plane of weight space, and paths projected onto it."},
    {"name": "options", "description": "What the server offers, for building controls."},
    {"name": "health", "description": "Liveness, and readiness (whether the session store answers)."},
]


def create_app(settings: AppSettings | None = None, store: SessionStore | None = None) -> FastAPI:
    """The app; without a store, the one the settings choose (closed when the app shuts down)."""
    settings = settings or get_settings()
    owned = store is None
    # `is None`, not `or`: an empty MemoryStore is falsy (it has a length).
    sessions = store if store is not None else make_store(settings)  # opens nothing until first used

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            sessions.close()

    app = FastAPI(title="Backprop Playground", version=API_VERSION, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan, openapi_tags=TAGS)
    app.state.settings = settings
    app.state.store = sessions
    app.state.create_limiter = make_limiter(settings.create_rate_per_minute, settings.create_burst, sessions)
    errors.install(app)
    openapi.install(app)

    # The training routes first: /step is the hottest path, and routes are matched in order.
    app.include_router(training.router, prefix=API_PREFIX)
    app.include_router(networks.router, prefix=API_PREFIX)
    app.include_router(explain.router, prefix=API_PREFIX)
    app.include_router(races.router, prefix=API_PREFIX)
    app.include_router(surfaces.router, prefix=API_PREFIX)
    app.include_router(options.router, prefix=API_PREFIX)
    app.include_router(pages.router)

    @app.get("/healthz", operation_id="health", response_model=Health, tags=["health"])
    async def healthz() -> dict[str, str]:
        """Liveness: the server answers (the session store is never asked)."""
        return {"status": "ok"}

    @app.get("/readyz", response_model=Readiness, tags=["health"], operation_id="readiness",
             responses={503: {"model": ErrorBody, "description": "The session store does not answer "
                                                                 "(code store_unavailable)."}})
    async def readyz() -> Response:
        """Readiness: whether the session store answers now (503 store_unavailable while it does not)."""
        await run_in_threadpool(sessions.ping)  # within the store's deadline; StoreUnavailable: the 503
        return JSONBytes({"status": "ready", "store": sessions.kind})

    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    docs_assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs-assets", StaticFiles(directory=docs_assets), name="docs-assets")

    # Every request, /step included, passes through all of these (the last added runs first).
    app.add_middleware(AnswerLimit, max_bytes=settings.max_answer_bytes)
    allow_origins(app, settings.cors_origins)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes,
                       larger={f"{API_PREFIX}/networks/import": (settings.max_import_bytes, "max_import_bytes")})
    app.add_middleware(JsonBodies, declare=frozenset((f"{API_PREFIX}/networks", f"{API_PREFIX}/networks/import")))
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    return app


app = create_app()
