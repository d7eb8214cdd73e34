#!/usr/bin/env bash
# The cross-account S3 Access Grants walkthrough, run with the aws CLI
# against grantd. Account A (111122223333) owns a bucket and an Access
# Grants instance and grants READ on prefixA* to a role of account B
# (444455556666); a session of that role gets credentials from A's
# instance and reads with them. See README.md next to this file.
#
#   GRANTD_ENDPOINT   grantd's URL (default http://127.0.0.1:9010)
#   A_ACCESS_KEY_ID, A_SECRET_ACCESS_KEY
#                     root keys of account A, the management account
#                     (default: GRANTD_ROOT_ACCESS_KEY_ID/_SECRET_ACCESS_KEY)
#   B_ACCESS_KEY_ID, B_SECRET_ACCESS_KEY
#                     root keys of account B; when unset the script makes
#                     B with `$GRANTD accounts create --id 444455556666
#                     --data-dir $GRANTD_DATA_DIR`
#   GRANTD            the grantd command (default: grantd)
#   GRANTD_DATA_DIR   the server's --data-dir (default: grantd-data)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
endpoint=${GRANTD_ENDPOINT:-http://127.0.0.1:9010}
port=${endpoint##*:}
A=111122223333
B=444455556666
region=us-east-2
bucket=ag-demo-bucket
instance=arn:aws:s3:$region:$A:access-grants/default

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Profiles of our own, so the user's ~/.aws is neither read nor changed.
export AWS_CONFIG_FILE=$work/config AWS_SHARED_CREDENTIALS_FILE=$work/credentials
export AWS_PAGER= AWS_MAX_ATTEMPTS=1
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL

profile() { # name access-key secret [token]
	aws configure set aws_access_key_id "$2" --profile "$1"
	aws configure set aws_secret_access_key "$3" --profile "$1"
	aws configure set aws_session_token "${4:-}" --profile "$1"
	aws configure set region "$region" --profile "$1"
}

# as PROFILE SERVICE ARGS… runs the aws CLI against grantd. S3 Control
# calls go through grantd as an HTTP proxy: the CLI puts the account ID in
# front of the endpoint's host name (111122223333.localhost), which need not
# resolve that way (see grantd's README).
as() {
	local p=$1 svc=$2
	shift 2
	if [ "$svc" = s3control ]; then
		HTTP_PROXY=$endpoint NO_PROXY= aws --profile "$p" --endpoint-url "http://localhost:$port" --output json s3control "$@"
	else
		aws --profile "$p" --endpoint-url "$endpoint" --output json "$svc" "$@"
	fi
}

step() { printf '\n== %s\n' "$*"; }

# denied WHAT CODE COMMAND… runs a command that must fail with CODE.
denied() {
	local what=$1 code=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		printf 'FAIL: %s succeeded:\n%s\n' "$what" "$out" >&2
		exit 1
	fi
	if ! grep -q "$code" <<<"$out"; then
		printf 'FAIL: %s failed without %s:\n%s\n' "$what" "$code" "$out" >&2
		exit 1
	fi
	printf 'denied, as it should be: %s (%s)\n' "$what" "$code"
}

step "Accounts: A=$A (data owner), B=$B (consumer)"
profile acctA "${A_ACCESS_KEY_ID:-${GRANTD_ROOT_ACCESS_KEY_ID:?set A_ACCESS_KEY_ID or GRANTD_ROOT_ACCESS_KEY_ID}}" \
	"${A_SECRET_ACCESS_KEY:-${GRANTD_ROOT_SECRET_ACCESS_KEY:?set A_SECRET_ACCESS_KEY or GRANTD_ROOT_SECRET_ACCESS_KEY}}"
if [ -z "${B_ACCESS_KEY_ID:-}" ]; then
	keys=$(${GRANTD:-grantd} accounts create --id "$B" --name consumer --data-dir "${GRANTD_DATA_DIR:-grantd-data}")
	B_ACCESS_KEY_ID=$(sed -n 's/.*"AccessKeyId": "\(.*\)".*/\1/p' <<<"$keys")
	B_SECRET_ACCESS_KEY=$(sed -n 's/.*"SecretAccessKey": "\(.*\)".*/\1/p' <<<"$keys")
fi
profile acctB "$B_ACCESS_KEY_ID" "$B_SECRET_ACCESS_KEY"
as acctA sts get-caller-identity --query Arn --output text
as acctB sts get-caller-identity --query Arn --output text

step "A: a bucket with data, and the role S3 Access Grants assumes for it"
as acctA s3api create-bucket --bucket "$bucket" --create-bucket-configuration LocationConstraint=$region >/dev/null
echo "hello from prefixA" >"$work/f.txt"
echo "secret of prefixB" >"$work/g.txt"
as acctA s3 cp "$work/f.txt" "s3://$bucket/prefixA/f.txt"
as acctA s3 cp "$work/f.txt" "s3://$bucket/prefixA-2024/report.txt"
as acctA s3 cp "$work/g.txt" "s3://$bucket/prefixB/g.txt"
as acctA iam create-role --role-name ag-location-role --assume-role-policy-document "file://$here/trust.json" --query Role.Arn --output text
as acctA iam put-role-policy --role-name ag-location-role --policy-name s3data --policy-document "file://$here/location-role-policy.json"

step "Step 1 (A): an Access Grants instance and the default location s3://"
as acctA s3control create-access-grants-instance --account-id $A --query AccessGrantsInstanceArn --output text
as acctA s3control create-access-grants-location --account-id $A --location-scope s3:// \
	--iam-role-arn arn:aws:iam::$A:role/ag-location-role --query AccessGrantsLocationId --output text

step "Step 2 (A): the instance's resource policy lets B use it"
as acctA s3control put-access-grants-instance-resource-policy --account-id $A \
	--policy "file://$here/resource-policy.json" --query CreatedAt --output text

step "Step 3 (B): role data-consumer-1 may call GetDataAccess on A's instance"
as acctB iam create-role --role-name data-consumer-1 --assume-role-policy-document "file://$here/consumer-trust.json" --query Role.Arn --output text
as acctB iam put-role-policy --role-name data-consumer-1 --policy-name ag --policy-document "file://$here/consumer-policy.json"

step "Step 4 (A): grant READ on $bucket/prefixA* to B's role"
# On the default location s3:// the subprefix starts with the bucket.
as acctA s3control create-access-grant --account-id $A --access-grants-location-id default \
	--access-grants-location-configuration "S3SubPrefix=$bucket/prefixA*" --permission READ \
	--grantee GranteeType=IAM,GranteeIdentifier=arn:aws:iam::$B:role/data-consumer-1 --query GrantScope --output text

step "Use (B): a session of data-consumer-1, started by B's user dev (root users may not assume roles)"
as acctB iam create-user --user-name dev --query User.Arn --output text
as acctB iam put-user-policy --user-name dev --policy-name assume --policy-document \
	'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::444455556666:role/data-consumer-1"}]}'
read -r dk ds < <(as acctB iam create-access-key --user-name dev --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
profile dev "$dk" "$ds"
read -r ak sk st < <(as dev sts assume-role --role-arn arn:aws:iam::$B:role/data-consumer-1 --role-session-name c1 \
	--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
profile consumer "$ak" "$sk" "$st"
as consumer sts get-caller-identity --query Arn --output text
as consumer s3control list-caller-access-grants --account-id $A --query 'CallerAccessGrantsList[].[Permission,GrantScope]' --output text
as consumer s3control get-access-grants-instance-for-prefix --account-id $B --s3-prefix "s3://$bucket/prefixA/f.txt" \
	--query AccessGrantsInstanceArn --output text

step "Use (B): GetDataAccess against A's instance, then read with the vended credentials"
as consumer s3control get-data-access --account-id $A --target "s3://$bucket/prefixA*" --permission READ \
	--audit-context example-walkthrough >"$work/access.json"
grep -E '"(MatchedGrantTarget|GranteeType|GranteeIdentifier)"' "$work/access.json"
gk=$(sed -n 's/.*"AccessKeyId": "\(.*\)".*/\1/p' "$work/access.json")
gs=$(sed -n 's/.*"SecretAccessKey": "\(.*\)".*/\1/p' "$work/access.json")
gt=$(sed -n 's/.*"SessionToken": "\(.*\)".*/\1/p' "$work/access.json")
profile vended "$gk" "$gs" "$gt"
as vended sts get-caller-identity --query Arn --output text
as vended s3 cp "s3://$bucket/prefixA/f.txt" "$work/out.txt"
cat "$work/out.txt"
as vended s3 cp "s3://$bucket/prefixA-2024/report.txt" -
as vended s3 ls "s3://$bucket/prefixA/"

step "What must be refused"
denied "reading prefixB with the vended credentials" AccessDenied \
	as vended s3api get-object --bucket "$bucket" --key prefixB/g.txt "$work/no.txt"
denied "writing prefixA with the vended credentials (a READ grant)" AccessDenied \
	as vended s3api put-object --bucket "$bucket" --key prefixA/new.txt --body "$work/f.txt"
denied "listing the whole bucket with the vended credentials" AccessDenied \
	as vended s3api list-objects-v2 --bucket "$bucket"
denied "GetDataAccess for prefixB" AccessDenied \
	as consumer s3control get-data-access --account-id $A --target "s3://$bucket/prefixB*" --permission READ
denied "GetDataAccess with WRITE" AccessDenied \
	as consumer s3control get-data-access --account-id $A --target "s3://$bucket/prefixA*" --permission WRITE
as acctB iam delete-role-policy --role-name data-consumer-1 --policy-name ag
denied "GetDataAccess without B's identity policy" AccessDenied \
	as consumer s3control get-data-access --account-id $A --target "s3://$bucket/prefixA*" --permission READ
as acctB iam put-role-policy --role-name data-consumer-1 --policy-name ag --policy-document "file://$here/consumer-policy.json"
as acctA s3control delete-access-grants-instance-resource-policy --account-id $A
denied "GetDataAccess without A's resource policy" AccessDenied \
	as consumer s3control get-data-access --account-id $A --target "s3://$bucket/prefixA*" --permission READ
as acctA s3control put-access-grants-instance-resource-policy --account-id $A --policy "file://$here/resource-policy.json" >/dev/null
as consumer s3control get-data-access --account-id $A --target "s3://$bucket/prefixA*" --permission READ \
	--query MatchedGrantTarget --output text

step "Revocation: deleting the grant disables the credentials vended from it at once"
grant=$(as acctA s3control list-access-grants --account-id $A --query 'AccessGrantsList[0].AccessGrantId' --output text)
as acctA s3control delete-access-grant --account-id $A --access-grant-id "$grant"
denied "reading prefixA after the grant was deleted" AccessDenied \
	as vended s3api get-object --bucket "$bucket" --key prefixA/f.txt "$work/no.txt"

printf '\nwalkthrough complete\n'
