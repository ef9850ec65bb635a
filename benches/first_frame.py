#!/usr/bin/env python3
"""Time to the first frame of a TUI, measured from outside: the command runs in a pty of a
given size; the clock stops when MARKER (text of the first frame, e.g. the status line)
has been written. Also reports the whole run's wall time and the peak RSS (wait4).

  python3 first_frame.py -n 5 --warmup 1 --marker 'cached articles' -- akhbar --config ...

The command should quit by itself after its first frame (akhbar: set
AKHBAR_EXIT_AFTER_FIRST_FRAME=1 in the environment). Standard library only.
"""
import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time


def run_once(cmd, cols, rows, marker, timeout):
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    seen = b""
    first = None
    deadline = started + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, 9)
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the pty
            break
        if not chunk:
            break
        if first is None:
            # Keep only a tail: the marker may straddle two reads.
            seen = (seen + chunk)[-65536:]
            if marker in seen:
                first = time.monotonic() - started
    _, status, usage = os.wait4(pid, 0)
    os.close(fd)
    total = time.monotonic() - started
    return first, total, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--marker", default="cached articles")
    ap.add_argument("--timeout", type=float, default=60.0, help="per run")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command")
    marker = args.marker.encode()
    rows = []
    for i in range(args.warmup + args.runs):
        first, total, peak, code = run_once(cmd, args.cols, args.rows, marker, args.timeout)
        if first is None:
            print(f"run {i}: marker {args.marker!r} never appeared (exit {code})", file=sys.stderr)
            sys.exit(1)
        if i >= args.warmup:
            rows.append((first, total, peak, code))
    print(f"first_frame.py | {' '.join(cmd)}")
    print(f"runs counted: {len(rows)}; warm-up {args.warmup}; {args.cols}x{args.rows}; "
          f"exit codes {sorted(set(r[3] for r in rows))}")
    print(f"{'':22}{'min':>8}{'median':>12}{'max':>12}")
    for name, k, scale in (("first frame ms", 0, 1000), ("whole run s", 1, 1), ("peak MiB", 2, 1)):
        v = [r[k] * scale for r in rows]
        print(f"{name:22}{min(v):8.1f}{statistics.median(v):12.1f}{max(v):12.1f}")


if __name__ == "__main__":
    main()
