"""MFA for the local AWS: moto accepts GetSessionToken but returns one fixed key that its own
auth mode then refuses, and it checks no MFA code anywhere. This makes it behave as AWS does:

- virtual MFA devices with real TOTP codes (RFC 6238: 30 s steps, six digits, the step before
  and after accepted), from the seed moto generated for the device;
- GetSessionToken: allowed without any permission (as on AWS), only with an IAM user's long-term key, DurationSeconds 900..129600, the
  device must be the caller's and the code right; it returns credentials of its own that auth
  mode accepts as that user, with MFA present;
- AssumeRole: a role whose trust policy has a condition on aws:MultiFactorAuthPresent is
  refused unless the caller is such an MFA session or sends SerialNumber and a right code;
  a SerialNumber sent with a wrong code is refused for any role;
- GetCallerIdentity answers the user for an MFA session.

    python mfa_standin.py code SEED   # the code a device with SEED shows now
"""

import base64
import hashlib
import hmac
import json
import secrets
import string
import struct
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

SESSIONS = {}
LOCK = threading.Lock()


def totp(seed, at=None, step=30):
    key = base64.b32decode(seed + "=" * (-len(seed) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[o : o + 4])[0] & 0x7FFFFFFF) % 1000000)


def code_ok(seed, code):
    now = time.time()
    return any(hmac.compare_digest(totp(seed, now + d), code or "") for d in (-30, 0, 30))


def install(account):
    from moto.iam import access_control
    from moto.iam.models import iam_backends
    from moto.sts import responses
    from moto.sts.exceptions import STSClientError, STSValidationError
    from moto.core.responses import ActionResult

    def iam():
        return iam_backends[account]["aws"]

    def denied(msg):
        return STSClientError("AccessDenied", msg)

    def device_seed(serial):
        d = iam().virtual_mfa_devices.get(serial)
        return d.base32_string_seed if d and d.user else None

    class MfaSessionKey:
        """An MFA session's key, for auth mode: the user's identity and policies."""

        def __init__(self, key, s, headers):
            if headers.get("X-Amz-Security-Token") != s["token"]:
                raise access_control.CreateAccessKeyFailure(reason="InvalidToken")
            if datetime.now(timezone.utc) >= s["expires"]:
                raise access_control.CreateAccessKeyFailure(reason="InvalidToken")
            self._user = iam().get_user(s["user"])
            self._key, self._s = key, s
            self.arn = self._user.arn

        def create_credentials(self):
            return access_control.Credentials(self._key, self._s["secret"], self._s["token"])

        def collect_policies(self):
            long_term = self._user.access_keys[0].access_key_id
            return access_control.IAMUserAccessKey(account, "aws", long_term, {}).collect_policies()

    original_create = access_control.create_access_key

    def create_access_key(account_id, partition, access_key_id, headers):
        with LOCK:
            s = SESSIONS.get(access_key_id)
        if s:
            return MfaSessionKey(access_key_id, s, headers)
        return original_create(account_id, partition, access_key_id, headers)

    access_control.create_access_key = create_access_key

    # AWS: "No permissions are required for users to perform this operation."
    original_check = access_control.IAMRequestBase.check_action_permitted

    def check_action_permitted(self, resource):
        if self._action != "sts:GetSessionToken":
            original_check(self, resource)

    access_control.IAMRequestBase.check_action_permitted = check_action_permitted

    def get_session_token(self):
        if "X-Amz-Security-Token" in self.headers:
            raise denied("Cannot call GetSessionToken with session credentials")
        user = iam().get_user_from_access_key_id(self.get_access_key())
        if user is None:
            raise denied("GetSessionToken needs an IAM user's access key")
        duration = self._get_int_param("DurationSeconds", 43200)
        if not 900 <= duration <= 129600:
            raise STSValidationError(
                f"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to "
                "satisfy constraint: Member must have value between 900 and 129600"
            )
        serial = self._get_param("SerialNumber")
        mfa = False
        if serial is not None:
            if serial not in user.mfa_devices or not code_ok(device_seed(serial) or "", self._get_param("TokenCode")):
                raise denied("MultiFactorAuthentication failed with invalid MFA one time pass code.")
            mfa = True
        key = "ASIA" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16))
        expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=duration)
        s = {"user": user.name, "secret": secrets.token_urlsafe(30), "token": secrets.token_urlsafe(120), "expires": expires, "mfa": mfa}
        with LOCK:
            SESSIONS[key] = s
        return ActionResult(
            {
                "Credentials": {
                    "AccessKeyId": key,
                    "SecretAccessKey": s["secret"],
                    "SessionToken": s["token"],
                    "Expiration": expires,
                }
            }
        )

    original_assume = responses.TokenResponse.assume_role

    def assume_role(self):
        with LOCK:
            s = SESSIONS.get(self.get_access_key())
        serial = self._get_param("SerialNumber")
        if serial is not None and not code_ok(device_seed(serial) or "", self._get_param("TokenCode")):
            raise denied("MultiFactorAuthentication failed with invalid MFA one time pass code.")
        arn = self._get_param("RoleArn")
        role = next((r for r in iam().roles.values() if r.arn == arn), None)
        if role is not None and "aws:MultiFactorAuthPresent" in role.assume_role_policy_document:
            if not (serial is not None or (s and s["mfa"])):
                raise denied(f"not authorized to perform sts:AssumeRole on {arn}: the trust policy requires MFA")
        return original_assume(self)

    original_identity = responses.TokenResponse.get_caller_identity

    def get_caller_identity(self):
        with LOCK:
            s = SESSIONS.get(self.get_access_key())
        if s:
            user = iam().get_user(s["user"])
            return ActionResult({"UserId": user.id, "Account": account, "Arn": user.arn})
        return original_identity(self)

    responses.TokenResponse.get_session_token = get_session_token
    responses.TokenResponse.assume_role = assume_role
    responses.TokenResponse.get_caller_identity = get_caller_identity


def seed_devices(iam, users):
    """One virtual MFA device per user, enabled with two right codes; {user: {serial, seed}}."""
    out = {}
    for name in users:
        d = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
        seed = d["Base32StringSeed"]
        seed = seed.decode() if isinstance(seed, bytes) else seed
        now = time.time()
        iam.enable_mfa_device(
            UserName=name, SerialNumber=d["SerialNumber"],
            AuthenticationCode1=totp(seed, now - 30), AuthenticationCode2=totp(seed, now),
        )
        out[name] = {"serial": d["SerialNumber"], "seed": seed}
    return out


if __name__ == "__main__" and sys.argv[1:2] == ["code"]:
    print(totp(sys.argv[2]))
