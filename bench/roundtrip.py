"""The emulator's own time for a pattern of API calls: SigV4-signed requests, prepared once and
sent again and again, each over a new connection (as a fresh awsenv process would). Phases run
one after another; the requests of a phase are sent at once, from threads, as awsenv sends
concurrent reads. The figure is moto's time plus the loopback, not a client's start-up.

    python roundtrip.py ENDPOINT KEY_ID SECRET PHASES [N [CAFILE]]   -> median wall time, ms
    PHASES: JSON, a list of phases, each a list of [service, query], e.g.
    '[[["sts", "Action=GetCallerIdentity&Version=2011-06-15"]]]'
"""
import http.client
import json
import ssl
import statistics
import sys
import threading
import time
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

endpoint, key, secret, phases_json = sys.argv[1:5]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 50
ctx = ssl.create_default_context(cafile=sys.argv[6]) if len(sys.argv) > 6 else None
url = urllib.parse.urlparse(endpoint)


def prepare(service, query):
    body = urllib.parse.urlencode(urllib.parse.parse_qsl(query))
    req = AWSRequest(method="POST", url=endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(key, secret), service, "us-east-1").add_auth(req)
    return body, dict(req.headers.items())


phases = [[prepare(s, q) for s, q in phase] for phase in json.loads(phases_json)]


def send(body, headers):
    if url.scheme == "https":
        c = http.client.HTTPSConnection(url.hostname, url.port, context=ctx)
    else:
        c = http.client.HTTPConnection(url.hostname, url.port)
    c.request("POST", "/", body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    assert r.status == 200, (r.status, data[:300])


def once():
    t = time.perf_counter()
    for phase in phases:
        if len(phase) == 1:
            send(*phase[0])
            continue
        threads = [threading.Thread(target=send, args=req) for req in phase]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    return time.perf_counter() - t


once()
print(f"{statistics.median(once() for _ in range(n)) * 1000:.2f}")
