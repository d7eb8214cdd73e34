package policy

import "testing"

// "IAM JSON policy elements: Resource" and "NotResource": ARNs match
// case-sensitively; wildcards match within a colon-separated segment except
// in the resource part, which may span "/" and ":".
func TestResourceMatching(t *testing.T) {
	t.Parallel()
	res := func(resource string) string {
		return doc(`{"Effect":"Allow","Action":"s3:*","Resource":` + resource + `}`)
	}
	notRes := func(resource string) string {
		return doc(`{"Effect":"Allow","Action":"s3:*","NotResource":` + resource + `}`)
	}
	runEvalCases(t, []evalCase{
		{name: "star matches any resource", policy: res(`"*"`), action: "s3:GetObject", resource: "arn:aws:s3:::b/k", allow: true},
		{name: "star matches a resource-less action", policy: res(`"*"`), action: "s3:ListAllMyBuckets", resource: "*", allow: true},
		{name: "exact bucket ARN", policy: res(`"arn:aws:s3:::b"`), action: "s3:ListBucket", resource: "arn:aws:s3:::b", allow: true},
		{name: "bucket ARN does not cover objects", policy: res(`"arn:aws:s3:::b"`), action: "s3:GetObject", resource: "arn:aws:s3:::b/k"},
		{name: "object wildcard covers nested keys", policy: res(`"arn:aws:s3:::b/*"`), action: "s3:GetObject", resource: "arn:aws:s3:::b/a/b/c.txt", allow: true},
		{name: "object wildcard does not cover the bucket", policy: res(`"arn:aws:s3:::b/*"`), action: "s3:ListBucket", resource: "arn:aws:s3:::b"},
		{name: "resource matching is case-sensitive", policy: res(`"arn:aws:s3:::Bucket/*"`), action: "s3:GetObject", resource: "arn:aws:s3:::bucket/k"},
		{name: "wildcard inside bucket name", policy: res(`"arn:aws:s3:::*log*"`), action: "s3:PutObject", resource: "arn:aws:s3:::carlossalazar-logs", allow: true},
		{name: "bucket wildcard also spans slash in resource part", policy: res(`"arn:aws:s3:::*log*"`), action: "s3:PutObject", resource: "arn:aws:s3:::b/logs/x", allow: true},
		{name: "question mark in key", policy: res(`"arn:aws:s3:::b/file?.txt"`), action: "s3:GetObject", resource: "arn:aws:s3:::b/file1.txt", allow: true},
		{name: "region and account segments", policy: res(`"arn:aws:s3:us-east-2:111122223333:access-grants/default"`), action: "s3:GetDataAccess", resource: "arn:aws:s3:us-east-2:111122223333:access-grants/default", allow: true},
		{name: "region wildcard", policy: res(`"arn:aws:s3:*:111122223333:access-grants/default"`), action: "s3:GetDataAccess", resource: "arn:aws:s3:eu-west-1:111122223333:access-grants/default", allow: true},
		{name: "account mismatch", policy: res(`"arn:aws:s3:*:111122223333:access-grants/*"`), action: "s3:GetDataAccess", resource: "arn:aws:s3:eu-west-1:444455556666:access-grants/default"},
		{name: "region wildcard stays within its segment", policy: res(`"arn:aws:s3:*:111122223333:*"`), action: "s3:GetObject", resource: "arn:aws:s3:us-east-1:444455556666:x:111122223333:y"},
		{name: "resource part wildcard spans colons", policy: res(`"arn:aws:s3:us-east-1:111122223333:access-grants/default/*"`), action: "s3:GetAccessGrant", resource: "arn:aws:s3:us-east-1:111122223333:access-grants/default/grant/g1", allow: true},
		{name: "short pattern with trailing star spans segments", policy: res(`"arn:aws:s3:*"`), action: "s3:GetObject", resource: "arn:aws:s3:us-east-1:111122223333:x", allow: true},
		{name: "short pattern checks the service", policy: res(`"arn:aws:s3:*"`), action: "s3:GetObject", resource: "arn:aws:iam::111122223333:user/x"},
		{name: "ARN pattern never matches star resource", policy: res(`"arn:aws:s3:::*"`), action: "s3:ListAllMyBuckets", resource: "*"},
		{name: "partition is matched", policy: res(`"arn:aws:s3:::b"`), action: "s3:ListBucket", resource: "arn:aws-cn:s3:::b"},
		{name: "list is ORed", policy: res(`["arn:aws:s3:::a","arn:aws:s3:::b/*"]`), action: "s3:GetObject", resource: "arn:aws:s3:::b/x", allow: true},
		{name: "NotResource excludes listed resource", policy: notRes(`"arn:aws:s3:::secret/*"`), action: "s3:GetObject", resource: "arn:aws:s3:::secret/x"},
		{name: "NotResource applies elsewhere", policy: notRes(`"arn:aws:s3:::secret/*"`), action: "s3:GetObject", resource: "arn:aws:s3:::public/x", allow: true},
		{name: "NotResource applies to star resource", policy: notRes(`"arn:aws:s3:::secret/*"`), action: "s3:ListAllMyBuckets", resource: "*", allow: true},
		{name: "NotResource star excludes everything", policy: notRes(`"*"`), action: "s3:GetObject", resource: "arn:aws:s3:::b/k"},
		{name: "NotResource with Deny", policy: doc(`{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::ok","arn:aws:s3:::ok/*"]}`), action: "s3:GetObject", resource: "arn:aws:s3:::other/k", deny: true},
		{name: "NotResource with Deny spares listed", policy: doc(`{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::ok","arn:aws:s3:::ok/*"]}`), action: "s3:GetObject", resource: "arn:aws:s3:::ok/k"},
	})
}
