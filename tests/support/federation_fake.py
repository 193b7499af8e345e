"""A local stand-in for the AWS sign-in federation endpoint (`/federation`), strict about
what awsenv sends, for the `console` tests and the demo. Only 127.0.0.1.

Usage: federation_fake.py LOGFILE. Prints {"url": "http://127.0.0.1:PORT"} on its first line,
then serves until stdin closes. Every request is appended to LOGFILE as one JSON line.

The path says how to behave: /<tag>/<mode>/federation, where <tag> lets a test find its own
requests in the log and <mode> is one of
  ok        answer getSigninToken as AWS does, after checking every rule
  chained   the session is role-chained: SessionDuration is refused with HTTP 400, as AWS does
  e400      always HTTP 400      e500  always HTTP 500      garbage  HTTP 200, not JSON
"""

import http.server
import json
import sys
import threading
import urllib.parse

LOG = sys.argv[1]
lock = threading.Lock()


def problems(query):
    """What is wrong with a getSigninToken request, by the federation endpoint's rules."""
    out = []
    if set(query) - {"Action", "Session", "SessionDuration"}:
        out.append(f"unexpected parameters {sorted(set(query))}")
    if any(len(v) != 1 for v in query.values()):
        out.append("a parameter given twice")
    try:
        session = json.loads(query["Session"][0])
    except (KeyError, ValueError):
        return out + ["Session is missing or not JSON"]
    if not isinstance(session, dict) or sorted(session) != ["sessionId", "sessionKey", "sessionToken"]:
        out.append(f"Session must have exactly sessionId, sessionKey, sessionToken: {sorted(session)}")
    elif not all(isinstance(v, str) and v for v in session.values()):
        out.append("Session values must be non-empty strings")
    if "SessionDuration" in query:
        d = query["SessionDuration"][0]
        if not d.isdigit() or not 900 <= int(d) <= 43200:
            out.append(f"SessionDuration {d!r} is not 900..43200")
    return out


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, ctype="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        with lock, open(LOG, "a") as f:
            f.write(json.dumps({"path": url.path, "query": query, "host": self.headers.get("Host")}) + "\n")
        if len(parts) != 3 or parts[2] != "federation":
            return self.reply(404, '{"error":"not the federation endpoint"}')
        mode = parts[1]
        if mode == "e500":
            return self.reply(500, "<html>Internal Failure</html>", "text/html")
        if mode == "e400":
            return self.reply(400, "<html>Bad Request</html>", "text/html")
        if mode == "garbage":
            return self.reply(200, "<html>not json</html>", "text/html")
        if query.get("Action") != ["getSigninToken"]:
            return self.reply(400, "<html>unknown Action</html>", "text/html")
        bad = problems(query)
        if mode == "chained" and "SessionDuration" in query:
            bad.append("SessionDuration is not allowed for a role-chained session")
        if bad:
            return self.reply(400, json.dumps({"problems": bad}))
        return self.reply(200, json.dumps({"SigninToken": "FAKE-SIGNIN-TOKEN-" + "x" * 40}))


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(json.dumps({"url": f"http://127.0.0.1:{server.server_address[1]}"}), flush=True)
sys.stdin.read()
