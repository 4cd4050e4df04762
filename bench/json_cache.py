"""The JSON feed behind nginx's micro-cache: requests per second for a race's standings through deploy/nginx.conf (its
one-second cache, TLS) against Daphne alone, and through nginx with the cache switched off, in one run, with wrk.
A benchmark, not a test.

It migrates a fresh database, replays ten pairs of a real race (a 5 KB snapshot), starts one Daphne process and
nginx with deploy/nginx.conf (paths in a temporary folder, a self-signed certificate, as the tests run it), then
runs ``wrk`` (Debian: apt-get install wrk) against each for ``--seconds``.

    .venv/bin/python bench/json_cache.py
    .venv/bin/python bench/json_cache.py --connections 200 --seconds 20

Results and the command that produced them: docs/performance.md ("The JSON feed behind a cache").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench"), str(REPO)]

from servers import (  # noqa: E402  # noqa: E402
    DEFAULT_RACE,
    daphne_argv,
    django_env,
    django_setup,
    free_port,
    fresh_database,
    race_prepare,
    start_server,
)

PAIRS_SAVED = 10


def wrk(url: str, args: argparse.Namespace) -> dict[str, float]:
    """Requests per second and latency percentiles of ``url`` under wrk."""
    command = [
        *("wrk", "--latency", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s"),
        *("-H", "Host: results.example.org", url),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {p: re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out) for p in ("50", "99")}
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    result = {"requests_per_s": rate}
    for p, match in latency.items():
        result[f"p{p}_ms"] = float(match.group(1)) * unit[match.group(2)] if match else float("nan")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["errors"] = float(errors.group(1)) if errors else 0.0
    return result


def nginx_started(directory: Path, backend: int, *, cache: bool) -> tuple[subprocess.Popen[bytes], int]:
    from tests.support.nginx import NGINX, nginx_conf_for_test

    if NGINX is None:
        sys.exit("nginx is not installed (Debian: apt-get install nginx-light)")
    http_port = free_port()
    https_port = free_port()
    conf = nginx_conf_for_test(directory, http_port=http_port, https_port=https_port, backends=[backend])
    if not cache:
        conf.write_text(conf.read_text().replace("proxy_cache skating_json;", "proxy_cache off;"))
    process = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", f"{directory}/", "-g", "daemon off;"], stderr=subprocess.DEVNULL
    )
    time.sleep(1.0)
    return process, https_port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    with fresh_database(None) as database_url:
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        django_setup(database_url, None)
        from results import services
        from results.selectors import race_snapshot_current

        race_id, pairs = race_prepare(DEFAULT_RACE)
        for heat, results in pairs[:PAIRS_SAVED]:
            services.heat_results_record(heat=heat, results=results)
        size = len(race_snapshot_current(race_id).payload.encode())  # type: ignore[union-attr]
        path = f"/api/races/{race_id}/standings"
        port = free_port()
        env = {**django_env(database_url, None), "LOG_LEVEL": "WARNING", "ALLOWED_HOSTS": "*"}
        logs = Path(tempfile.mkdtemp(prefix="bench-json-cache-"))
        argv = daphne_argv("skating.asgi:application", port)
        daphne = start_server("daphne", argv, port=port, env=env, core=None, log_dir=logs)
        runs: dict[str, dict[str, float]] = {}
        try:
            runs["Daphne alone (HTTP)"] = wrk(f"http://127.0.0.1:{port}{path}", args)
            for cache in (False, True):
                with tempfile.TemporaryDirectory(prefix="bench-nginx-") as folder:
                    nginx, https_port = nginx_started(Path(folder), port, cache=cache)
                    try:
                        label = "nginx, 1 s cache (HTTPS)" if cache else "nginx, no cache (HTTPS)"
                        runs[label] = wrk(f"https://127.0.0.1:{https_port}{path}", args)
                    finally:
                        nginx.terminate()
                        nginx.wait()
        finally:
            daphne.stop()
    print(f"\nGET {path} ({size} bytes), wrk {args.threads} threads, {args.connections} connections, {args.seconds} s")
    print(f"{'':<28} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, run in runs.items():
        print(
            f"{label:<28} {run['requests_per_s']:>11.0f} {run['p50_ms']:>8.2f} {run['p99_ms']:>8.2f} "
            f"{run['errors']:>7.0f}"
        )
    base = runs["Daphne alone (HTTP)"]["requests_per_s"]
    print(f"through the cache: {runs['nginx, 1 s cache (HTTPS)']['requests_per_s'] / base:.1f}x Daphne alone")


if __name__ == "__main__":
    main()
