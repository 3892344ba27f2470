"""A small HTTP load generator for the benchmark harness; it only ever targets 127.0.0.1.

    .venv/bin/python bench/load.py --port 8123 --requests 2000 --seconds 10 --concurrency 4 \\
        /bench/bare/ /en/states/

For each path, in turn: a short warm-up (not recorded), then ``--concurrency`` worker
*processes* (so that the client does not compete with itself for the GIL) send GET requests
over ``http.client`` connections until ``--requests`` requests in total have been answered or
``--seconds`` have passed, whichever comes first. Connections are kept alive when the server
allows it; gunicorn's sync workers close every connection after the response, in which case
``http.client`` opens a new one for the next request (counted as ``connections``).

Prints one JSON document to standard output: a list with one result per path. Progress goes to
standard error. ``bench/run.py`` starts this as a separate process.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import math
import multiprocessing
import os
import signal
import statistics
import sys
import time
from collections import Counter
from typing import Any

HOST = "127.0.0.1"  # never anything else
REQUEST_TIMEOUT = 30.0
CACHE_HEADER = "X-Palermo-Page-Cache"  # "hit" or "miss" where Palermo's page cache applies


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def worker(
    port: int, path: str, headers: dict[str, str], seconds: float,
    total: int, counter: Any, go: Any, results: Any,
) -> None:
    """Send requests until the shared budget or the time limit is used up; report once."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    sizes: Counter[int] = Counter()
    encodings: Counter[str] = Counter()
    types: Counter[str] = Counter()
    cache: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    connections = 0
    sample = b""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    go.wait()
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        with counter.get_lock():
            if counter.value >= total:
                break
            counter.value += 1
        if conn.sock is None:
            connections += 1
        t0 = time.perf_counter_ns()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            errors[type(exc).__name__] += 1
            conn.close()
            continue
        latencies.append((time.perf_counter_ns() - t0) / 1e6)
        statuses[response.status] += 1
        sizes[len(body)] += 1
        encodings[response.getheader("Content-Encoding", "identity")] += 1
        types[(response.getheader("Content-Type") or "").split(";")[0]] += 1
        cache[response.getheader(CACHE_HEADER) or "none"] += 1
        if not sample:
            sample = body
    finished = time.perf_counter()
    conn.close()
    results.put({
        "latencies": latencies, "statuses": dict(statuses), "sizes": dict(sizes),
        "encodings": dict(encodings), "types": dict(types), "cache": dict(cache),
        "errors": dict(errors), "connections": connections,
        "started": started, "finished": finished, "sample": sample.hex(),
    })


def run_one(
    port: int, path: str, *, requests: int, seconds: float, concurrency: int, use_gzip: bool,
    cookies: list[str] | None = None,
) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    headers = {"Host": HOST, "User-Agent": "palermo-bench"}
    if use_gzip:
        headers["Accept-Encoding"] = "gzip"
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    counter = ctx.Value("i", 0)
    go = ctx.Event()
    results = ctx.Queue()
    processes = [
        ctx.Process(target=worker, daemon=True,
                    args=(port, path, headers, seconds, requests, counter, go, results))
        for _ in range(concurrency)
    ]
    for process in processes:
        process.start()
    go.set()
    parts = [results.get() for _ in processes]
    for process in processes:
        process.join()

    latencies = sorted(x for part in parts for x in part["latencies"])
    statuses: Counter[int] = Counter()
    sizes: Counter[int] = Counter()
    encodings: Counter[str] = Counter()
    types: Counter[str] = Counter()
    cache: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for part in parts:
        statuses.update({int(k): v for k, v in part["statuses"].items()})
        sizes.update({int(k): v for k, v in part["sizes"].items()})
        encodings.update(part["encodings"])
        types.update(part["types"])
        cache.update(part["cache"])
        errors.update(part["errors"])
    elapsed = max(p["finished"] for p in parts) - min(p["started"] for p in parts)
    sample = next((bytes.fromhex(p["sample"]) for p in parts if p["sample"]), b"")
    wire = sizes.most_common(1)[0][0] if sizes else 0
    plain = gzip.decompress(sample) if sample and encodings.get("gzip") else sample
    return {
        "path": path,
        "gzip_requested": use_gzip,
        "requests": len(latencies),
        "errors": dict(errors),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
        "max_ms": latencies[-1] if latencies else float("nan"),
        "wire_bytes": wire,  # most common response body size as sent (compressed if gzip)
        "wire_sizes_seen": len(sizes),
        "body_bytes": len(plain),  # uncompressed body size
        "gzip6_bytes": len(gzip.compress(plain, 6)),  # what gzip level 6 would make of it
        "content_encodings": dict(encodings),
        "content_type": types.most_common(1)[0][0] if types else "",
        "page_cache": dict(cache),  # values of the X-Palermo-Page-Cache header, "none" if absent
        "connections": sum(p["connections"] for p in parts),
        "concurrency": concurrency,
    }


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # daemonic client processes end with us


def main(argv: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="paths to request, e.g. /en/states/")
    parser.add_argument("--port", type=int, required=True, help="port on 127.0.0.1")
    parser.add_argument("--requests", type=int, default=2000, help="requests per path")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per path")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--warmup", type=int, default=40, help="unrecorded requests first")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip")
    parser.add_argument("--cookie", action="append", default=[],
                        help="NAME=VALUE sent with every request (e.g. a session), repeatable")
    args = parser.parse_args(argv)

    out = []
    for path in args.paths:
        if not path.startswith("/"):
            parser.error(f"paths must start with /: {path!r}")
        load_before = os.getloadavg()[0]
        if args.warmup:
            run_one(args.port, path, requests=args.warmup, seconds=2.0,
                    concurrency=args.concurrency, use_gzip=args.gzip, cookies=args.cookie)
        result = run_one(args.port, path, requests=args.requests, seconds=args.seconds,
                         concurrency=args.concurrency, use_gzip=args.gzip, cookies=args.cookie)
        result["load_1min"] = load_before  # the machine's load average as this URL began
        print(f"  {path:<45} {result['requests']:>6} req in {result['seconds']:5.1f} s "
              f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.2f} ms"
              + ("  gzip" if args.gzip else ""), file=sys.stderr, flush=True)
        out.append(result)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
