"""What the broker needs in the moto of moto_harness.py, for tests/broker.rs and scripts/demo:
its own identity (a user that may read IAM, assume the base role and write its replay table,
with access keys), the base role, the replay table (AWSENV_BROKER_REPLAY_TABLE), a role whose
name contains an allowed one (my-task-admin), a task role whose trust statement has a
condition (conditional-task), and its policy (AWSENV_BROKER_POLICY): user dev, the awsenv-demo
role and the role app/Target may simulate my-task, many-policies, Target, bounded and
conditional-task when their trust names ecs-tasks; intern may simulate demo-*.

Run with an admin's keys in the environment (moto is in auth mode) and its endpoint in EP;
prints one JSON line: {"id": ..., "secret": ..., "table": ..., "policy": {...}}. It holds a
secret: keep it in a variable, never on a terminal.

    EP=URL AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... python broker_seed.py
"""

import json
import os
import sys

import boto3

sys.dont_write_bytecode = True  # no __pycache__ in the checkout from the import below
from moto_harness import ACCOUNT, allow, trust  # noqa: E402


def main():
    iam = boto3.client("iam", endpoint_url=os.environ["EP"], region_name="us-east-1")
    iam.create_user(UserName="broker")
    iam.put_user_policy(UserName="broker", PolicyName="p", PolicyDocument=allow(["iam:Get*", "iam:List*", "sts:AssumeRole", "sts:SetSourceIdentity", "sts:GetCallerIdentity", "dynamodb:PutItem"]))
    k = iam.create_access_key(UserName="broker")["AccessKey"]
    iam.create_role(RoleName="broker-base", AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{ACCOUNT}:user/broker"}))
    iam.put_role_policy(RoleName="broker-base", PolicyName="all", PolicyDocument=allow("*"))
    iam.create_role(RoleName="my-task-admin", AssumeRolePolicyDocument=trust({"Service": "ecs-tasks.amazonaws.com"}))
    iam.put_role_policy(RoleName="my-task-admin", PolicyName="p", PolicyDocument=allow("*"))
    conditional = json.loads(trust({"Service": "ecs-tasks.amazonaws.com"}))
    conditional["Statement"][0]["Condition"] = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    iam.create_role(RoleName="conditional-task", AssumeRolePolicyDocument=json.dumps(conditional))
    iam.put_role_policy(RoleName="conditional-task", PolicyName="p", PolicyDocument=allow(["s3:GetObject"]))
    table = "awsenv-broker-replay"
    ddb = boto3.client("dynamodb", endpoint_url=os.environ["EP"], region_name="us-east-1")
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    ddb.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})
    policy = {
        "base_role": f"arn:aws:iam::{ACCOUNT}:role/broker-base",
        "max_duration": "1h",
        "rules": [
            {
                "callers": [f"arn:aws:iam::{ACCOUNT}:user/dev", f"arn:aws:iam::{ACCOUNT}:role/awsenv-demo",
                            f"arn:aws:iam::{ACCOUNT}:role/app/Target"],
                "roles": ["my-task", "many-policies", "Target", "bounded", "conditional-task"],
                "trusted_services": ["ecs-tasks.amazonaws.com"],
            },
            {"callers": [f"arn:aws:iam::{ACCOUNT}:user/intern"], "roles": ["demo-*"]},
        ],
    }
    print(json.dumps({"id": k["AccessKeyId"], "secret": k["SecretAccessKey"], "table": table, "policy": policy}))


if __name__ == "__main__":
    main()
