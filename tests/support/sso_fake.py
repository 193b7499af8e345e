"""A local stand-in for IAM Identity Center: the OIDC service (sso-oidc) and the access portal
(sso), on their real REST-JSON wire protocols, strict about what clients send. Only 127.0.0.1.
Reached by clients through AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO (the same URL).

Usage: sso_fake.py CONFIG.json
CONFIG: {"start_url": ..., "log": FILE, "interval": 1, "token_ttl": 3600,
         "accounts": [{"id", "name", "roles": [...]}] or "generate": N (N accounts x 2 roles),
         "moto": {"endpoint", "id", "secret", "account"} (GetRoleCredentials then hands out a real
         moto AssumeRole of arn:aws:iam::ACCOUNT:role/ROLE_NAME; else made-up keys)}
Prints {"url": "http://127.0.0.1:PORT"} on its first line, then serves until stdin closes.

OIDC:   POST /client/register, /device_authorization, /token (device_code and refresh_token
        grants; authorization_pending, slow_down when polled faster than the interval,
        expired_token, invalid_grant, invalid_client). The verification URL
        GET /device?user_code=CODE approves the device (what a user does in the browser).
Portal: GET /federation/credentials, /assignment/accounts, /assignment/roles, POST /logout,
        the token in the x-amz-sso_bearer_token header (401 UnauthorizedException otherwise).
Control (tests only): POST /_control/expire_tokens ends every access token now.
Every request is appended to the log as one JSON line: method, path, operation, and the
access token it carried (a test checks which token a client used).
"""

import http.server
import json
import secrets
import sys
import threading
import time
import urllib.parse

CONF = json.load(open(sys.argv[1]))
LOG = CONF["log"]
START_URL = CONF["start_url"]
INTERVAL = CONF.get("interval", 1)
TOKEN_TTL = CONF.get("token_ttl", 3600)
DEVICE_TTL = CONF.get("device_ttl", 600)
PAGE = 25

if "generate" in CONF:
    ACCOUNTS = [
        {"id": f"{100000000000 + i}", "name": f"account-{i:04}", "roles": ["ReadOnly", "Admin"]}
        for i in range(CONF["generate"])
    ]
else:
    ACCOUNTS = CONF["accounts"]
BY_ID = {a["id"]: a for a in ACCOUNTS}

lock = threading.Lock()
clients = {}  # client_id -> {secret, expires, scopes}
devices = {}  # device_code -> {client_id, user_code, expires, approved, last_poll, interval}
tokens = {}  # access token -> {expires, client_id}
refresh_tokens = {}  # refresh token -> client_id

sts = None
if CONF.get("moto"):
    import botocore.session

    m = CONF["moto"]
    sts = botocore.session.get_session().create_client(
        "sts", endpoint_url=m["endpoint"], region_name="us-east-1",
        aws_access_key_id=m["id"], aws_secret_access_key=m["secret"],
    )


def log(entry):
    with lock, open(LOG, "a") as f:
        f.write(json.dumps(entry) + "\n")


class Fail(Exception):
    def __init__(self, status, etype, error, description=""):
        self.status, self.etype, self.error, self.description = status, etype, error, description


def need(body, *keys):
    for k in keys:
        if not isinstance(body.get(k), str) or not body[k]:
            raise Fail(400, "InvalidRequestException", "invalid_request", f"{k} is required")


def client(body):
    need(body, "clientId", "clientSecret")
    c = clients.get(body["clientId"])
    if not c or not secrets.compare_digest(c["secret"], body["clientSecret"]):
        raise Fail(400, "InvalidClientException", "invalid_client", "unknown client or wrong secret")
    if c["expires"] < time.time():
        raise Fail(400, "InvalidClientException", "invalid_client", "the registration has expired")
    return c


def issue(client_id):
    c = clients[client_id]
    tok = "aoa" + secrets.token_urlsafe(48)
    tokens[tok] = {"expires": time.time() + TOKEN_TTL, "client_id": client_id}
    out = {"accessToken": tok, "tokenType": "Bearer", "expiresIn": TOKEN_TTL}
    # As the real service: a refresh token only for a client registered with scopes.
    if c["scopes"]:
        rt = "aor" + secrets.token_urlsafe(48)
        refresh_tokens[rt] = client_id
        out["refreshToken"] = rt
    return out


def register(body):
    need(body, "clientName", "clientType")
    if body["clientType"] != "public":
        raise Fail(400, "InvalidClientMetadataException", "invalid_client_metadata", "clientType must be public")
    scopes = body.get("scopes") or []
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise Fail(400, "InvalidScopeException", "invalid_scope", "scopes must be strings")
    cid = "cid" + secrets.token_urlsafe(16)
    secret = "cs" + secrets.token_urlsafe(64)
    now = int(time.time())
    clients[cid] = {"secret": secret, "expires": now + 90 * 86400, "scopes": scopes}
    return {"clientId": cid, "clientSecret": secret, "clientIdIssuedAt": now, "clientSecretExpiresAt": now + 90 * 86400}


def device_authorization(body):
    c = client(body)
    need(body, "startUrl")
    if body["startUrl"] != START_URL:
        raise Fail(400, "InvalidRequestException", "invalid_request", "unknown start URL")
    code = secrets.token_urlsafe(32)
    user = f"{secrets.randbelow(10000):04}-{secrets.randbelow(10000):04}"
    devices[code] = {"client_id": body["clientId"], "user_code": user, "expires": time.time() + DEVICE_TTL,
                     "approved": False, "last_poll": time.time(), "interval": INTERVAL}
    del c
    return {"deviceCode": code, "userCode": user, "verificationUri": f"{BASE}/device",
            "verificationUriComplete": f"{BASE}/device?user_code={user}", "expiresIn": DEVICE_TTL,
            "interval": INTERVAL}


def token(body):
    client(body)
    need(body, "grantType")
    grant = body["grantType"]
    if grant == "urn:ietf:params:oauth:grant-type:device_code":
        need(body, "deviceCode")
        d = devices.get(body["deviceCode"])
        if not d or d["client_id"] != body["clientId"]:
            raise Fail(400, "InvalidGrantException", "invalid_grant", "unknown device code")
        now = time.time()
        if d["expires"] < now:
            raise Fail(400, "ExpiredTokenException", "expired_token", "the device code has expired")
        # Polling faster than the interval (a little slack for the clocks of two processes).
        if now - d["last_poll"] < d["interval"] - 0.25:
            d["last_poll"] = now
            d["interval"] += 5
            raise Fail(400, "SlowDownException", "slow_down", "polling too fast")
        d["last_poll"] = now
        if not d["approved"]:
            raise Fail(400, "AuthorizationPendingException", "authorization_pending", "not approved yet")
        del devices[body["deviceCode"]]
        return issue(body["clientId"])
    if grant == "refresh_token":
        need(body, "refreshToken")
        owner = refresh_tokens.pop(body["refreshToken"], None)
        if owner != body["clientId"]:
            raise Fail(400, "InvalidGrantException", "invalid_grant", "unknown refresh token")
        return issue(owner)
    raise Fail(400, "UnsupportedGrantTypeException", "unsupported_grant_type", grant)


def bearer(headers):
    tok = headers.get("x-amz-sso_bearer_token")
    t = tokens.get(tok or "")
    if not t or t["expires"] < time.time():
        raise Fail(401, "UnauthorizedException", "", "Session token not found or invalid")
    return tok


def page(items, query):
    try:
        start = int(query.get("next_token", ["0"])[0])
        size = int(query.get("max_result", [str(PAGE)])[0])
    except ValueError:
        raise Fail(400, "InvalidRequestException", "", "bad next_token or max_result")
    if not 1 <= size <= 100:
        raise Fail(400, "InvalidRequestException", "", "max_result must be 1..100")
    size = min(size, PAGE)
    chunk = items[start:start + size]
    nxt = str(start + size) if start + size < len(items) else None
    return chunk, nxt


def credentials(account, role):
    if sts is None:
        return {"accessKeyId": "ASIA" + secrets.token_hex(8).upper(), "secretAccessKey": secrets.token_urlsafe(30),
                "sessionToken": secrets.token_urlsafe(120), "expiration": int((time.time() + 3600) * 1000)}
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{CONF['moto']['account']}:role/{role}",
                        RoleSessionName=CONF.get("session_name", "sso-user"), DurationSeconds=3600)["Credentials"]
    return {"accessKeyId": c["AccessKeyId"], "secretAccessKey": c["SecretAccessKey"],
            "sessionToken": c["SessionToken"], "expiration": int(c["Expiration"].timestamp() * 1000)}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        data = (json.dumps(body) if body is not None else "").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        entry = {"method": method, "path": url.path, "token": self.headers.get("x-amz-sso_bearer_token")}
        try:
            with lock:
                status, body = 200, self.route(method, url.path, query, raw, entry)
        except Fail as f:
            entry["error"] = f.etype
            log(entry)
            body = {"error": f.error, "error_description": f.description} if f.error else {"message": f.description}
            return self.reply(f.status, body, [("x-amzn-ErrorType", f.etype)])
        log(entry)
        if isinstance(body, str):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        self.reply(status, body)

    def route(self, method, path, query, raw, entry):
        oidc = {"/client/register": register, "/device_authorization": device_authorization, "/token": token}
        if path in oidc:
            entry["op"] = path
            if method != "POST":
                raise Fail(404, "UnknownOperationException", "", f"{method} {path}")
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                raise Fail(400, "InvalidRequestException", "invalid_request", "not JSON")
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                raise Fail(400, "InvalidRequestException", "invalid_request", "not JSON")
            if "grantType" in body:
                entry["grant"] = body["grantType"]
            return oidc[path](body)
        if path == "/device" and method == "GET":
            code = query.get("user_code", [""])[0]
            for d in devices.values():
                if d["user_code"] == code and d["expires"] > time.time():
                    d["approved"] = True
                    entry["op"] = "approve"
                    return "approved: you may close this window\n"
            raise Fail(404, "NotFound", "", "no such code")
        if path == "/_control/expire_tokens" and method == "POST":
            for t in tokens.values():
                t["expires"] = 0
            return {}
        portal = {"/federation/credentials": "GET", "/assignment/accounts": "GET", "/assignment/roles": "GET", "/logout": "POST"}
        if path not in portal or portal[path] != method:
            raise Fail(404, "UnknownOperationException", "", f"{method} {path}")
        entry["op"] = path
        tok = bearer(self.headers)
        if path == "/logout":
            del tokens[tok]
            return None
        if path == "/assignment/accounts":
            chunk, nxt = page(ACCOUNTS, query)
            out = {"accountList": [{"accountId": a["id"], "accountName": a["name"], "emailAddress": f"{a['name']}@example.com"} for a in chunk]}
            if nxt:
                out["nextToken"] = nxt
            return out
        account = query.get("account_id", [""])[0]
        if account not in BY_ID:
            raise Fail(403, "ForbiddenException", "", "No access")
        if path == "/assignment/roles":
            chunk, nxt = page(BY_ID[account]["roles"], query)
            out = {"roleList": [{"roleName": r, "accountId": account} for r in chunk]}
            if nxt:
                out["nextToken"] = nxt
            return out
        role = query.get("role_name", [""])[0]
        if role not in BY_ID[account]["roles"]:
            raise Fail(403, "ForbiddenException", "", "No access")
        return {"roleCredentials": credentials(account, role)}

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
BASE = f"http://127.0.0.1:{server.server_address[1]}"
threading.Thread(target=server.serve_forever, daemon=True).start()
print(json.dumps({"url": BASE}), flush=True)
try:
    sys.stdin.read()
except KeyboardInterrupt:
    pass
