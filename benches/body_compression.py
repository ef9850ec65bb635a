#!/usr/bin/env python3
"""What compressing the bodies would save (issue 15), measured on a built cache without
changing it (a cache from schema 10 on holds its compressible bodies compressed already: they
are counted as stored): the space each table takes (dbstat), then the bodies' HTML compressed
one row at a time (as a cache would store them) with zlib level 6 and with the zstd CLI
(level 3, without and with a dictionary trained on a sample of the bodies). Standard
library plus the `zstd` program (skipped when absent).

  python3 body_compression.py CACHE.sqlite [--sample 20000]
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zlib


def mib(n):
    return f"{n / 1048576:.1f} MiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cache")
    ap.add_argument("--sample", type=int, default=20000,
                    help="bodies compressed with zstd (every k-th row), and the dictionary's training set")
    a = ap.parse_args()
    db = sqlite3.connect(f"file:{a.cache}?mode=ro", uri=True)
    total = os.path.getsize(a.cache)
    print(f"cache file {mib(total)}; pages by table or index:")
    for name, size in db.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8"):
        print(f"  {name:<28} {mib(size):>12} {100 * size / total:5.1f}%")
    # Since schema 10 a body may already be stored compressed (a BLOB, one zstd frame): those
    # are counted as they are stored, and only the bodies still stored as text are measured.
    bodies, packed, packed_bytes = [], 0, 0
    for row in db.execute("SELECT summary_html, content_html FROM bodies"):
        text = ""
        for v in row:
            if isinstance(v, bytes):
                packed += 1
                packed_bytes += len(v)
            elif v is not None:
                text += v
        if text:
            bodies.append(text)
    if packed:
        print(f"{packed} bodies already stored compressed: {mib(packed_bytes)}")
    if not bodies:
        print("no body stored as text: nothing more to measure")
        return
    raw = sum(len(b.encode()) for b in bodies)
    z = sum(len(zlib.compress(b.encode(), 6)) for b in bodies)
    print(f"{len(bodies)} bodies: {mib(raw)} of HTML; zlib -6 row by row: {mib(z)} "
          f"({100 * z / raw:.0f}%)")
    if not shutil.which("zstd"):
        print("zstd: not installed, skipped")
        return
    step = max(1, len(bodies) // a.sample)
    picked = bodies[::step]
    praw = sum(len(b.encode()) for b in picked)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        os.mkdir(src)
        for i, b in enumerate(picked):
            with open(os.path.join(src, f"{i}"), "wb") as f:
                f.write(b.encode())
        files = [os.path.join(src, f"{i}") for i in range(len(picked))]
        dictionary = os.path.join(tmp, "dict")
        subprocess.run(["zstd", "-q", "--train", *files, "-o", dictionary, "--maxdict=65536"],
                       check=True)
        for label, extra in (("zstd -3 row by row", []),
                             ("zstd -3 row by row, 64 KiB dictionary", ["-D", dictionary])):
            out = os.path.join(tmp, "out")
            os.makedirs(out, exist_ok=True)
            subprocess.run(["zstd", "-q", "-3", "-f", *extra, "--output-dir-flat", out, *files],
                           check=True)
            size = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
            # Each .zst frame carries a header and checksum a cache's blob would not need
            # (--no-check would drop 4 bytes); the ratio is what counts.
            print(f"{label}: {100 * size / praw:.0f}% of {len(picked)} sampled bodies "
                  f"-> {mib(raw * size / praw)} for all")
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
