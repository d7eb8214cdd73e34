package s3

import (
	"strings"

	"github.com/grantd/grantd/internal/arn"
)

// resourceType is what an S3 action acts on, for checking that a bucket
// policy statement's actions apply to its resources.
type resourceType uint8

const (
	onBucket resourceType = iota + 1
	onObject
	onOther // account-level and S3 Control resources: never a bucket's
)

// s3Actions lists the S3 actions of the Service Authorization Reference
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)
// by the resource they act on. A bucket policy naming an action outside
// this list is refused ("Policy has invalid action"), as S3 refuses one.
var s3Actions = func() map[string]resourceType {
	m := map[string]resourceType{}
	add := func(t resourceType, names string) {
		for _, n := range strings.Fields(names) {
			m[strings.ToLower(n)] = t
		}
	}
	add(onObject, `AbortMultipartUpload BypassGovernanceRetention DeleteObject DeleteObjectTagging
		DeleteObjectVersion DeleteObjectVersionTagging GetObject GetObjectAcl GetObjectAttributes
		GetObjectLegalHold GetObjectRetention GetObjectTagging GetObjectTorrent GetObjectVersion
		GetObjectVersionAcl GetObjectVersionAttributes GetObjectVersionForReplication
		GetObjectVersionTagging GetObjectVersionTorrent InitiateReplication ListMultipartUploadParts
		ObjectOwnerOverrideToBucketOwner PutObject PutObjectAcl PutObjectLegalHold PutObjectRetention
		PutObjectTagging PutObjectVersionAcl PutObjectVersionTagging ReplicateDelete ReplicateObject
		ReplicateTags RestoreObject`)
	add(onBucket, `CreateBucket DeleteBucket DeleteBucketOwnershipControls DeleteBucketPolicy
		DeleteBucketWebsite GetAccelerateConfiguration GetAnalyticsConfiguration GetBucketAcl
		GetBucketCORS GetBucketLocation GetBucketLogging GetBucketNotification
		GetBucketObjectLockConfiguration GetBucketOwnershipControls GetBucketPolicy
		GetBucketPolicyStatus GetBucketPublicAccessBlock GetBucketRequestPayment GetBucketTagging
		GetBucketVersioning GetBucketWebsite GetEncryptionConfiguration
		GetIntelligentTieringConfiguration GetInventoryConfiguration GetLifecycleConfiguration
		GetMetricsConfiguration GetReplicationConfiguration ListBucket ListBucketMultipartUploads
		ListBucketVersions PutAccelerateConfiguration PutAnalyticsConfiguration PutBucketAcl
		PutBucketCORS PutBucketLogging PutBucketNotification PutBucketObjectLockConfiguration
		PutBucketOwnershipControls PutBucketPolicy PutBucketPublicAccessBlock
		PutBucketRequestPayment PutBucketTagging PutBucketVersioning PutBucketWebsite
		PutEncryptionConfiguration PutIntelligentTieringConfiguration PutInventoryConfiguration
		PutLifecycleConfiguration PutMetricsConfiguration PutReplicationConfiguration
		CreateBucketMetadataTableConfiguration DeleteBucketMetadataTableConfiguration
		GetBucketMetadataTableConfiguration PutBucketAbac GetBucketAbac`)
	add(onOther, `ListAllMyBuckets GetAccessPoint ListAccessPoints CreateAccessPoint DeleteAccessPoint
		GetAccountPublicAccessBlock PutAccountPublicAccessBlock ListJobs CreateJob DescribeJob
		UpdateJobPriority UpdateJobStatus ListStorageLensConfigurations GetDataAccess
		CreateAccessGrantsInstance DeleteAccessGrantsInstance GetAccessGrantsInstance
		GetAccessGrantsInstanceForPrefix ListAccessGrantsInstances CreateAccessGrantsLocation
		DeleteAccessGrantsLocation GetAccessGrantsLocation ListAccessGrantsLocations
		UpdateAccessGrantsLocation CreateAccessGrant DeleteAccessGrant GetAccessGrant ListAccessGrants
		ListCallerAccessGrants PutAccessGrantsInstanceResourcePolicy GetAccessGrantsInstanceResourcePolicy
		DeleteAccessGrantsInstanceResourcePolicy AssociateAccessGrantsIdentityCenter
		DissociateAccessGrantsIdentityCenter ListTagsForResource TagResource UntagResource
		ListRegionalBuckets ListMultiRegionAccessPoints`)
	return m
}()

// actionTypes returns the resource types the action (possibly with
// wildcards) acts on, and false when it names no S3 action.
func actionTypes(action string) (map[resourceType]bool, bool) {
	if action == "*" {
		return map[resourceType]bool{onBucket: true, onObject: true, onOther: true}, true
	}
	vendor, name, ok := strings.Cut(action, ":")
	if !ok || !strings.EqualFold(vendor, "s3") {
		return nil, false
	}
	name = strings.ToLower(name)
	types := map[resourceType]bool{}
	if !arn.HasWildcard(name) {
		t, ok := s3Actions[name]
		if ok {
			types[t] = true
		}
		return types, ok
	}
	for n, t := range s3Actions {
		if arn.Match(name, n) {
			types[t] = true
		}
	}
	return types, len(types) > 0
}

// resourceTypeIn returns what a bucket policy's Resource entry can name in
// the bucket (the bucket, its objects), and false when it names nothing in
// it: S3 accepts only resources of the bucket the policy is attached to.
func resourceTypeIn(resource, bucket string) (map[resourceType]bool, bool) {
	if resource == "*" {
		return map[resourceType]bool{onBucket: true, onObject: true}, true
	}
	rest, ok := strings.CutPrefix(resource, "arn:aws:s3:::")
	if !ok {
		return nil, false
	}
	types := map[resourceType]bool{}
	if name, _, hasKey := strings.Cut(rest, "/"); hasKey {
		types[onObject] = arn.Match(name, bucket)
	} else {
		types[onBucket] = arn.Match(name, bucket)
		types[onObject] = arn.Match(name, bucket+"/x") // a wildcard spanning the slash
	}
	return types, types[onBucket] || types[onObject]
}
