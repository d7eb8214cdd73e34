"""Drives a grantd sigv4 test server with real botocore clients.

Usage: botocore_client.py HTTP_ENDPOINT HTTPS_ENDPOINT ACCESS_KEY SECRET

Each case signs with botocore (SigV4Auth, S3SigV4Auth, S3SigV4QueryAuth,
SigV4QueryAuth, the S3 client's aws-chunked trailer upload over HTTPS) and
sends the request to the Go test server, which verifies it. Prints one line
per case and exits non-zero on the first unexpected result.
"""

import sys
import urllib.request
import ssl
import warnings

import botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth, S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

warnings.filterwarnings("ignore")

http_ep, https_ep, ak, secret = sys.argv[1:5]
session = botocore.session.get_session()
creds = Credentials(ak, secret)
cfg = Config(
    s3={"addressing_style": "path"},
    retries={"max_attempts": 1, "mode": "standard"},
    signature_version="s3v4",
)
insecure = ssl.create_default_context()
insecure.check_hostname = False
insecure.verify_mode = ssl.CERT_NONE


def client(service, endpoint, secret_key=secret):
    return session.create_client(
        service,
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id=ak,
        aws_secret_access_key=secret_key,
        config=cfg,
        verify=False,
    )


def send(req):
    prepared = req.prepare()
    r = urllib.request.Request(
        prepared.url, data=prepared.body or None, method=prepared.method,
        headers=dict(prepared.headers.items()),
    )
    with urllib.request.urlopen(r, context=insecure) as resp:
        return resp.status, resp.read()


def case(name, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - report any failure
        print("FAIL", name, repr(e))
        sys.exit(1)
    print("ok", name)


s3 = client("s3", http_ep)
s3tls = client("s3", https_ep)

case("sts GetCallerIdentity", lambda: client("sts", http_ep).get_caller_identity())
case("iam ListUsers", lambda: client("iam", http_ep).list_users(PathPrefix="/a b/"))
case("s3 PutObject odd key", lambda: s3.put_object(
    Bucket="bucket", Key="dir/my file+ü=&$@,;:.txt", Body=b"hello botocore",
    Metadata={"multi": "a   b"}, ContentType="text/plain"))
case("s3 GetObject range", lambda: s3.get_object(
    Bucket="bucket", Key="weird key ~!*()'", Range="bytes=0-4")["Body"].read())
case("s3 ListObjectsV2", lambda: s3.list_objects_v2(
    Bucket="bucket", Prefix="dir/a b+c&d=e", Delimiter="/", StartAfter="ü"))
case("s3 PutObject over HTTPS (aws-chunked, unsigned trailer)", lambda: s3tls.put_object(
    Bucket="bucket", Key="chunked/big object.bin", Body=b"0123456789abcdef" * 100000))


def presigned_get():
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "bucket", "Key": "pre signed/ü+x.txt"}, ExpiresIn=600)
    urllib.request.urlopen(url).read()


def presigned_put():
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": "bucket", "Key": "upload/é.bin"}, ExpiresIn=600)
    urllib.request.urlopen(urllib.request.Request(url, data=b"presigned body", method="PUT")).read()


def sts_presigned():
    req = AWSRequest(method="GET", url=http_ep + "/?Action=GetCallerIdentity&Version=2011-06-15")
    SigV4QueryAuth(creds, "sts", "eu-west-1", expires=60).add_auth(req)
    send(req)


def sts_header_auth():
    req = AWSRequest(method="POST", url=http_ep + "/",
                     data=b"Action=GetCallerIdentity&Version=2011-06-15",
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(creds, "sts", "eu-west-1").add_auth(req)
    send(req)


def s3_auth_manual():
    req = AWSRequest(method="PUT", url=http_ep + "/bucket/manual%20key%2Bplus",
                     data=b"manual", headers={"X-Amz-Meta-Two": "x, y"})
    S3SigV4Auth(creds, "s3", "eu-west-1").add_auth(req)
    send(req)


def wrong_secret():
    try:
        client("s3", http_ep, secret_key="not-the-secret").put_object(
            Bucket="bucket", Key="k", Body=b"x")
    except ClientError as e:
        if e.response["ResponseMetadata"]["HTTPStatusCode"] == 403:
            return
        raise
    raise AssertionError("a wrong secret was accepted")


case("s3 presigned GET", presigned_get)
case("s3 presigned PUT", presigned_put)
case("sts presigned (SigV4QueryAuth)", sts_presigned)
case("sts SigV4Auth", sts_header_auth)
case("s3 S3SigV4Auth", s3_auth_manual)
case("wrong secret rejected", wrong_secret)
