#!/usr/bin/env python3
"""Key-to-frame latency of the akhbar TUI while 1,000 feeds load from a slow server.

  python3 benches/key_latency.py [--feeds 1000] [--latency-ms 200] [--keys 40]

Generates a corpus with ../shared/bench/gen_feeds.py, serves it with serve.py (loopback, the
given latency per request), starts `target/release/akhbar` in a private tmux server at
120x40, and while the feeds are still loading presses `?` (help overlay) and `Esc` in turn.
For each key it measures the time from `tmux send-keys` until `capture-pane` shows the
changed frame (the help box appearing or disappearing). The capture itself costs a few ms,
so the numbers are an upper bound. Prints min / median / p90 / max in ms.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BENCH = os.path.join(ROOT, "..", "shared", "bench")
HELP_MARK = "keys (? or Esc to close)"


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--latency-ms", type=int, default=200)
    ap.add_argument("--keys", type=int, default=60)
    ap.add_argument("--hosts", type=int, default=64, help="spread feeds over 127.0.0.1..N")
    ap.add_argument("--gap-ms", type=int, default=50, help="pause between keys")
    ap.add_argument("--port", type=int, default=8790)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "akhbar"))
    a = ap.parse_args()
    if not shutil.which("tmux"):
        sys.exit("tmux is needed")
    work = tempfile.mkdtemp(prefix="akhbar-keylat-")
    corpus = os.path.join(work, "corpus")
    base = f"http://127.0.0.1:{a.port}"
    subprocess.run([sys.executable, os.path.join(BENCH, "gen_feeds.py"), "--feeds", str(a.feeds),
                    "--items", str(a.items), "--hosts", str(a.hosts), "--base-url", base, "--out", corpus],
                   check=True,
                   stdout=subprocess.DEVNULL)
    server = subprocess.Popen([sys.executable, os.path.join(BENCH, "serve.py"), "--dir", corpus,
                               "--port", str(a.port), "--latency-ms", str(a.latency_ms), "--hosts", str(a.hosts),
                               "--max-seconds", "600"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config = os.path.join(work, "config.toml")
    with open(config, "w") as f:
        f.write('refresh_interval = "1h"\nbidi = "app"\nconcurrency = 64\n')
        with open(os.path.join(corpus, "urls")) as urls:
            for u in urls:
                f.write(f'[[feed]]\nurl = "{u.strip()}"\n')
    sock = f"akhbar-keylat-{os.getpid()}"
    lat = []
    try:
        # serve.py binds its loopback hosts one after another: wait for the last one, or the
        # first fetches to it are refused and those feeds show as failed.
        deadline = time.monotonic() + 30
        last = f"http://127.0.0.{a.hosts}:{a.port}/__stats"
        while True:
            try:
                urllib.request.urlopen(last, timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("the feed server did not start")
                time.sleep(0.1)
        env = f"env XDG_DATA_HOME={work}/data XDG_STATE_HOME={work}/state TERM=xterm-256color"
        tmux(sock, "new-session", "-d", "-s", "k", "-x", "120", "-y", "40",
             f"{env} {a.bin} --config {config}")
        # Wait for the first frame.
        deadline = time.monotonic() + 20
        while "?:help" not in tmux(sock, "capture-pane", "-p", "-t", "k"):
            if time.monotonic() > deadline:
                sys.exit("akhbar did not start")
            time.sleep(0.01)
        started = time.monotonic()
        for i in range(a.keys):
            want_help = i % 2 == 0
            t0 = time.monotonic()
            tmux(sock, "send-keys", "-t", "k", "?" if want_help else "Escape")
            while (HELP_MARK in tmux(sock, "capture-pane", "-p", "-t", "k")) != want_help:
                if time.monotonic() - t0 > 5:
                    sys.exit("no frame within 5 s")
            lat.append((time.monotonic() - t0) * 1000)
            time.sleep(a.gap_ms / 1000)
        loading_for = time.monotonic() - started
        # The start-up notice holds the status line for 5 s; then it shows feeds ok / fetching.
        time.sleep(max(0.0, 5.5 - (time.monotonic() - started)))
        status = tmux(sock, "capture-pane", "-p", "-t", "k").splitlines()[-1]
    finally:
        tmux(sock, "kill-server")
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    lat.sort()
    p90 = lat[int(len(lat) * 0.9) - 1]
    print(f"{a.keys} keys over {loading_for:.1f} s while {a.feeds} feeds loaded at {a.latency_ms} ms latency")
    print(f"status line at the end: {status.strip()}")
    print(f"key-to-frame ms: min {lat[0]:.1f}  median {statistics.median(lat):.1f}  p90 {p90:.1f}  max {lat[-1]:.1f}")


if __name__ == "__main__":
    main()
