"""The emulator's own AssumeRole round trip: one SigV4-signed request, prepared once and sent
again and again over a new connection each time (as a fresh awsenv process would), so the
figure is moto's time plus the loopback, not a client's start-up.

    python roundtrip.py ENDPOINT KEY_ID SECRET ROLE_ARN [N]   -> prints the median in ms
"""
import http.client
import ssl
import statistics
import sys
import time
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

endpoint, key, secret, role = sys.argv[1:5]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 50
body = urllib.parse.urlencode(
    {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": role, "RoleSessionName": "bench"}
)
req = AWSRequest(method="POST", url=endpoint + "/", data=body,
                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
SigV4Auth(Credentials(key, secret), "sts", "us-east-1").add_auth(req)
headers = dict(req.headers.items())
url = urllib.parse.urlparse(endpoint)
ctx = ssl.create_default_context(cafile=sys.argv[6]) if len(sys.argv) > 6 else None


def once():
    if url.scheme == "https":
        c = http.client.HTTPSConnection(url.hostname, url.port, context=ctx)
    else:
        c = http.client.HTTPConnection(url.hostname, url.port)
    t = time.perf_counter()
    c.request("POST", "/", body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    dt = time.perf_counter() - t
    c.close()
    assert r.status == 200, (r.status, data[:300])
    return dt


once()
print(f"{statistics.median(once() for _ in range(n)) * 1000:.2f}")
