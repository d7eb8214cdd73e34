package app

import (
	"context"
	"errors"

	"github.com/grantd/grantd/internal/grants"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/sts"
)

// stsAssumer vends S3 Access Grants credentials through STS's
// service-principal API: the location role is assumed as
// access-grants.s3.amazonaws.com, so the role's trust policy decides.
type stsAssumer struct{ sts *sts.Service }

// AssumeRole implements grants.RoleAssumer.
func (a stsAssumer) AssumeRole(ctx context.Context, in grants.AssumeInput) (grants.Credentials, error) {
	sess, err := a.sts.AssumeRoleAsService(ctx, sts.ServiceAssumeInput{
		Service: grants.ServicePrincipal, RoleARN: in.RoleARN, SessionName: in.SessionName, Duration: in.Duration,
		SessionPolicy: in.SessionPolicy, SourceIdentity: in.SourceIdentity, ProvidedContexts: in.ProvidedContexts,
		SourceAccount: in.SourceAccount, SourceARN: in.SourceARN, GrantARN: in.GrantARN, InstanceARN: in.InstanceARN,
		DirectoryUserID: in.DirectoryUserID, IdentityStoreARN: in.IdentityStoreARN,
	})
	if err != nil {
		return grants.Credentials{}, err
	}
	c := sess.Credentials
	return grants.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
		SessionToken: c.SessionToken, Expiration: c.Expiration}, nil
}

// bucketOwners answers GetAccessGrantsInstanceForPrefix's question from
// the S3 data plane's bucket registry.
type bucketOwners struct{ store meta.S3Store }

// BucketOwner implements grants.BucketOwners.
func (b bucketOwners) BucketOwner(ctx context.Context, bucket string) (string, string, bool, error) {
	bk, err := b.store.GetBucket(ctx, bucket)
	if errors.Is(err, meta.ErrNotFound) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, err
	}
	return bk.AccountID, bk.Region, true, nil
}
