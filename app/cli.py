"""`backprop-playground`: serve the playground (127.0.0.1:8000 unless told otherwise), believing
forwarded headers only from the proxies BACKPROP_TRUSTED_PROXIES names (none by default)."""

from __future__ import annotations

import argparse

import uvicorn

from .config import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="backprop-playground", description="Serve Backprop Playground.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes sharing the sessions (default 1; see the README for a class)")
    parser.add_argument("--access-log", action="store_true",
                        help="log every request (off by default: play mode makes dozens a second)")
    args = parser.parse_args(argv)
    proxies = get_settings().trusted_proxies  # BACKPROP_TRUSTED_PROXIES
    print(f"Backprop Playground: open http://{args.host}:{args.port}/ (API docs at /docs)")
    uvicorn.run("app.main:app", host=args.host, port=args.port, workers=args.workers, log_level="info",
                access_log=args.access_log, proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)


if __name__ == "__main__":
    main()
