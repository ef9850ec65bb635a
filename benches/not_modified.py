#!/usr/bin/env python3
"""A feed server for the warm refresh of benches/cost_curve.sh: every conditional GET
(If-None-Match or If-Modified-Since) answers 304 with no body; any other GET answers 200
with an empty RSS channel. With --news N, the feeds /f00000.xml .. /f{N-1}.xml answer every
GET with 200 and one item never seen before (a refresh where N feeds have news). Binds
127.0.0.1 only; stops after --max-seconds. Standard library only.

  python3 not_modified.py --port 8794 [--max-seconds 3600] [--news N]
"""
import argparse
import http.server
import itertools
import threading
import time

NEWS = 0
SERIAL = itertools.count()

EMPTY = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>'
         b'<link>http://127.0.0.1/</link><description>d</description></channel></rss>')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        path = self.path.lstrip("/")
        if (path.startswith("f") and path.endswith(".xml") and path[1:-4].isdigit()
                and int(path[1:-4]) < NEWS):
            n = next(SERIAL)
            body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>'
                    '<link>http://127.0.0.1/</link><description>d</description>'
                    f'<item><guid>news-{time.time_ns()}-{n}</guid><title>news {n}</title>'
                    '<description>&lt;p&gt;new&lt;/p&gt;</description></item>'
                    '</channel></rss>').encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
            self.send_response(304)
            self.send_header("ETag", self.headers.get("If-None-Match") or '"bench"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(EMPTY)))
        self.end_headers()
        self.wfile.write(EMPTY)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--max-seconds", type=float, default=3600.0)
    ap.add_argument("--news", type=int, default=0,
                    help="the first N feeds answer 200 with a new item every time")
    a = ap.parse_args()
    global NEWS
    NEWS = a.news
    server = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    threading.Timer(a.max_seconds, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
