"""A local AWS for awsenv's tests, demo and benchmark: moto's server on a loopback port,
seeded with users and roles, then switched to auth mode so that bad credentials really fail.

Prints one JSON line (endpoint, account, access keys) on stdout, then serves until stdin
closes: the process that started it owns it, and its death stops the server.

    python moto_harness.py [--tls CERT KEY] [--managed-policies]
"""

import json
import logging
import os
import sys
import threading
import urllib.request

import mfa_standin

ACCOUNT = "123456789012"


def trust(principal, mfa=False):
    statement = {"Effect": "Allow", "Principal": principal, "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}
    if mfa:
        statement["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def allow(actions, resource="*"):
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]}
    )


def seed(endpoint):
    import boto3

    iam = boto3.client(
        "iam", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="seed", aws_secret_access_key="seed",
    )
    keys = {}
    users = {
        "admin": allow("*"),
        "dev": allow(["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity", "sts:GetCallerIdentity", "iam:Get*", "iam:List*"]),
        "viewer": allow(["sts:AssumeRole", "sts:GetCallerIdentity"]),
        "intern": allow(["s3:ListAllMyBuckets"]),
    }
    for name, policy in users.items():
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
        k = iam.create_access_key(UserName=name)["AccessKey"]
        keys[name] = {"id": k["AccessKeyId"], "secret": k["SecretAccessKey"], "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}"}
    dev = {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/dev", f"arn:aws:iam::{ACCOUNT}:user/intern", f"arn:aws:iam::{ACCOUNT}:user/viewer"]}

    def role(name, principal, path="/", inline=None, max_session=3600, mfa=False):
        iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=trust(principal, mfa), MaxSessionDuration=max_session)
        for pname, doc in (inline or {}).items():
            iam.put_role_policy(RoleName=name, PolicyName=pname, PolicyDocument=doc)

    role("awsenv-demo", dev, inline={"chain": allow(["sts:AssumeRole", "s3:ListAllMyBuckets"])}, max_session=43200)
    role("Target", dev, path="/app/")
    # Only with MFA (mfa_standin.py enforces the condition, which moto ignores).
    role("mfa-admin", dev, max_session=43200, mfa=True)
    role("Untrusted", {"AWS": f"arn:aws:iam::{ACCOUNT}:user/someone-else"})
    role("Chained", {"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/awsenv-demo/awsenv-chain"})

    # For `simulate`: a task role only ECS may assume, and a base role the developer may.
    role("power-user", dev, inline={"all": allow("*")})
    role(
        "my-task",
        {"Service": "ecs-tasks.amazonaws.com"},
        path="/svc/",
        inline={
            "describe-parameters": allow(["ssm:DescribeParameters"]),
            "single-statement": json.dumps(
                {"Version": "2012-10-17", "Statement": {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}}
            ),
            "duplicate": json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}, {"Effect": "Allow", "Action": ["ssm:DescribeParameters"], "Resource": "*"}]}
            ),
        },
    )
    cm = iam.create_policy(PolicyName="cm-read", Path="/team/", PolicyDocument=allow(["dynamodb:GetItem"]))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="my-task", PolicyArn=cm)
    if os.environ.get("MOTO_IAM_LOAD_MANAGED_POLICIES") == "true":
        iam.attach_role_policy(RoleName="my-task", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    role("many-policies", {"Service": "ecs-tasks.amazonaws.com"})
    for i in range(12):
        arn = iam.create_policy(PolicyName=f"many-{i:02}", PolicyDocument=allow([f"sqs:GetQueueUrl{i}"] if i % 2 else [f"sns:GetTopic{i}"], f"arn:aws:sqs:us-east-1:{ACCOUNT}:q{i}"))["Policy"]["Arn"]
        iam.attach_role_policy(RoleName="many-policies", PolicyArn=arn)
    role("no-policies", {"Service": "ecs-tasks.amazonaws.com"})
    role("bounded", {"Service": "ecs-tasks.amazonaws.com"}, inline={"p": allow(["s3:GetObject"])})
    iam.put_role_permissions_boundary(RoleName="bounded", PermissionsBoundary=cm)
    return keys, mfa_standin.seed_devices(iam, ["dev", "viewer"])


def main():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    tls = None
    if "--tls" in sys.argv:
        i = sys.argv.index("--tls")
        tls = (sys.argv[i + 1], sys.argv[i + 2])
    if "--managed-policies" in sys.argv:
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=tls)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Seeding and switching auth on go over plain HTTP on a second, private server when TLS is
    # on, so the harness needs no certificate trust of its own.
    plain = server
    if tls:
        plain = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=plain.serve_forever, daemon=True).start()
    admin_ep = f"http://127.0.0.1:{plain.server_address[1]}"

    mfa_standin.install(ACCOUNT)
    keys, mfa = seed(admin_ep)
    req = urllib.request.Request(
        admin_ep + "/moto-api/reset-auth", data=b"0", headers={"Content-Type": "text/plain"}, method="POST"
    )
    urllib.request.urlopen(req).read()

    scheme = "https" if tls else "http"
    print(json.dumps({"endpoint": f"{scheme}://127.0.0.1:{port}", "account": ACCOUNT, "keys": keys, "mfa": mfa}), flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
