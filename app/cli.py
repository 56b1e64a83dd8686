"""`backprop-playground`: serve the playground (127.0.0.1:8000 unless told otherwise), believing
forwarded headers only from the proxies BACKPROP_TRUSTED_PROXIES names (none by default), and say
the memory bounds it serves with."""

from __future__ import annotations

import argparse

import uvicorn

from .config import AppSettings, get_settings


def memory_bounds(settings: AppSettings, workers: int) -> str:
    """The bounds in bytes a teacher sets, as the server starts (README: sizing the bounds)."""
    mib = 2**20
    return (f"Memory bounds: a network up to {settings.max_network_bytes / mib:g} MiB, an answer up to "
            f"{settings.max_answer_bytes / mib:g} MiB, networks cached up to {settings.session_cache_bytes / mib:g} "
            f"MiB a worker × {workers} (BACKPROP_MAX_NETWORK_BYTES, BACKPROP_MAX_ANSWER_BYTES, "
            "BACKPROP_SESSION_CACHE_BYTES)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="backprop-playground", description="Serve Backprop Playground.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes sharing the sessions (default 1; see the README for a class)")
    parser.add_argument("--access-log", action="store_true",
                        help="log every request (off by default: play mode makes dozens a second)")
    args = parser.parse_args(argv)
    settings = get_settings()
    proxies = settings.trusted_proxies  # BACKPROP_TRUSTED_PROXIES
    print(f"Backprop Playground: open http://{args.host}:{args.port}/ (API docs at /docs)")
    print(memory_bounds(settings, args.workers))
    uvicorn.run("app.main:app", host=args.host, port=args.port, workers=args.workers, log_level="info",
                access_log=args.access_log, proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)


if __name__ == "__main__":
    main()
