package e2e

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/smithy-go"

	"github.com/grantd/grantd/internal/apptest"
)

// agOp is one Access Grants operation aimed at account A's instance.
type agOp struct {
	name string
	// crossAccount: one of the actions a resource policy may grant to
	// other accounts.
	crossAccount bool
	call         func(ctx context.Context, c *s3control.Client) error
}

// matrixOps are every implemented operation, each aimed at resources that
// exist in account A (grant is an existing grant's ID).
func matrixOps(grant string) []agOp {
	a := aws.String(acctA)
	inst := "arn:aws:s3:us-east-2:111111111111:access-grants/default"
	ops := []agOp{
		{"CreateAccessGrantsInstance", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: a})
			return err
		}},
		{"GetAccessGrantsInstance", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.GetAccessGrantsInstance(ctx, &s3control.GetAccessGrantsInstanceInput{AccountId: a})
			return err
		}},
		{"ListAccessGrantsInstances", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListAccessGrantsInstances(ctx, &s3control.ListAccessGrantsInstancesInput{AccountId: a})
			return err
		}},
		{"AssociateAccessGrantsIdentityCenter", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.AssociateAccessGrantsIdentityCenter(ctx, &s3control.AssociateAccessGrantsIdentityCenterInput{AccountId: a, IdentityCenterArn: aws.String("arn:aws:sso:::instance/ssoins-0123456789abcdef")})
			return err
		}},
		{"DissociateAccessGrantsIdentityCenter", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.DissociateAccessGrantsIdentityCenter(ctx, &s3control.DissociateAccessGrantsIdentityCenterInput{AccountId: a})
			return err
		}},
		{"GetAccessGrantsInstanceResourcePolicy", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.GetAccessGrantsInstanceResourcePolicy(ctx, &s3control.GetAccessGrantsInstanceResourcePolicyInput{AccountId: a})
			return err
		}},
		{"PutAccessGrantsInstanceResourcePolicy", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.PutAccessGrantsInstanceResourcePolicy(ctx, &s3control.PutAccessGrantsInstanceResourcePolicyInput{AccountId: a, Policy: aws.String(matrixPolicy)})
			return err
		}},
		{"CreateAccessGrantsLocation", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: a, LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(locationRoleARN(acctA))})
			return err
		}},
		{"GetAccessGrantsLocation", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.GetAccessGrantsLocation(ctx, &s3control.GetAccessGrantsLocationInput{AccountId: a, AccessGrantsLocationId: aws.String("default")})
			return err
		}},
		{"UpdateAccessGrantsLocation", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.UpdateAccessGrantsLocation(ctx, &s3control.UpdateAccessGrantsLocationInput{AccountId: a, AccessGrantsLocationId: aws.String("default"), IAMRoleArn: aws.String(locationRoleARN(acctA))})
			return err
		}},
		{"ListAccessGrantsLocations", true, func(ctx context.Context, c *s3control.Client) error {
			out, err := c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: a})
			if err == nil && len(out.AccessGrantsLocationsList) == 0 {
				return errors.New("ListAccessGrantsLocations returned no locations")
			}
			return err
		}},
		{"CreateAccessGrant", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: a, AccessGrantsLocationId: aws.String("default"),
				AccessGrantsLocationConfiguration: sub("amzn-s3-demo-bucket/prefixA*"), Permission: types.PermissionRead, Grantee: iamGrantee("arn:aws:iam::444455556666:role/data-consumer-1")})
			return err
		}},
		{"GetAccessGrant", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.GetAccessGrant(ctx, &s3control.GetAccessGrantInput{AccountId: a, AccessGrantId: aws.String(grant)})
			return err
		}},
		{"ListAccessGrants", true, func(ctx context.Context, c *s3control.Client) error {
			out, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: a})
			if err == nil && len(out.AccessGrantsList) == 0 {
				return errors.New("ListAccessGrants returned no grants")
			}
			return err
		}},
		{"TagResource", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.TagResource(ctx, &s3control.TagResourceInput{AccountId: a, ResourceArn: aws.String(inst), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}},
		{"ListTagsForResource", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListTagsForResource(ctx, &s3control.ListTagsForResourceInput{AccountId: a, ResourceArn: aws.String(inst)})
			return err
		}},
		{"UntagResource", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.UntagResource(ctx, &s3control.UntagResourceInput{AccountId: a, ResourceArn: aws.String(inst), TagKeys: []string{"k"}})
			return err
		}},
	}
	// The deletes come last: when allowed they remove what the others use.
	return append(ops,
		agOp{"DeleteAccessGrant", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.DeleteAccessGrant(ctx, &s3control.DeleteAccessGrantInput{AccountId: a, AccessGrantId: aws.String(grant)})
			return err
		}},
		agOp{"DeleteAccessGrantsInstanceResourcePolicy", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.DeleteAccessGrantsInstanceResourcePolicy(ctx, &s3control.DeleteAccessGrantsInstanceResourcePolicyInput{AccountId: a})
			return err
		}},
		agOp{"DeleteAccessGrantsLocation", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.DeleteAccessGrantsLocation(ctx, &s3control.DeleteAccessGrantsLocationInput{AccountId: a, AccessGrantsLocationId: aws.String("nope")})
			return err
		}},
		agOp{"DeleteAccessGrantsInstance", false, func(ctx context.Context, c *s3control.Client) error {
			_, err := c.DeleteAccessGrantsInstance(ctx, &s3control.DeleteAccessGrantsInstanceInput{AccountId: a})
			return err
		}},
	)
}

// matrixPolicy is A's instance policy: the five cross-account actions for
// B's role "both" and "rp-only", and for A's own role "rp-same".
const matrixPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Share","Effect":"Allow",
"Principal":{"AWS":["arn:aws:iam::444455556666:role/both","arn:aws:iam::444455556666:role/rp-only","arn:aws:iam::111111111111:role/rp-same"]},
"Action":["s3:GetDataAccess","s3:ListAccessGrants","s3:ListAccessGrantsLocations","s3:GetAccessGrantsInstanceForPrefix","s3:ListCallerAccessGrants"],
"Resource":"arn:aws:s3:us-east-2:111111111111:access-grants/default"}]}`

// TestAccessGrantsAuthorizationMatrix asks every operation as callers of
// the owner account and of another account, allowed by the instance's
// resource policy, by their identity policy, by both or by neither, and
// checks the decision AWS makes: the owner's own policies decide for it;
// another account's caller needs both, and only for the cross-account
// actions.
func TestAccessGrantsAuthorizationMatrix(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		// Identity policies are put in place through the store: the IAM API
		// is not on main yet.
		rootA := seedAccount(t, env, acctA, role{name: locationRoleName}, role{name: "admin", policies: []string{allowAll}},
			role{name: "rp-same"}, role{name: "none"})
		seedAccount(t, env, acctB, role{name: "rp-only"}, role{name: "id-only", policies: []string{allowAll}},
			role{name: "both", policies: []string{allowAll}}, role{name: "neither"})
		owner := control(env, rootA, region2)
		ctx, a := t.Context(), aws.String(acctA)
		if _, err := owner.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: a}); err != nil {
			t.Fatal(err)
		}
		if _, err := owner.PutAccessGrantsInstanceResourcePolicy(ctx, &s3control.PutAccessGrantsInstanceResourcePolicyInput{AccountId: a, Policy: aws.String(matrixPolicy)}); err != nil {
			t.Fatal(err)
		}
		if _, err := owner.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: a, LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(locationRoleARN(acctA))}); err != nil {
			t.Fatal(err)
		}
		g, err := owner.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: a, AccessGrantsLocationId: aws.String("default"),
			AccessGrantsLocationConfiguration: sub("amzn-s3-demo-bucket/prefixA*"), Permission: types.PermissionRead, Grantee: iamGrantee("arn:aws:iam::444455556666:role/data-consumer-1")})
		if err != nil {
			t.Fatal(err)
		}
		ops := matrixOps(aws.ToString(g.AccessGrantId))

		never := func(agOp) bool { return false }
		crossOnly := func(op agOp) bool { return op.crossAccount }
		callers := []struct {
			name    string
			creds   func() aws.Credentials
			allowed func(agOp) bool
		}{
			// Denied callers first: the owner's turn deletes things.
			{"other account, resource policy only", func() aws.Credentials { return roleSession(t, env, acctB, "rp-only", 0) }, never},
			{"other account, identity policy only", func() aws.Credentials { return roleSession(t, env, acctB, "id-only", 1) }, never},
			{"other account, neither", func() aws.Credentials { return roleSession(t, env, acctB, "neither", 3) }, never},
			{"other account, root without resource policy", func() aws.Credentials { return seedCreds(env, acctB) }, never},
			{"owner account, no policy", func() aws.Credentials { return roleSession(t, env, acctA, "none", 3) }, never},
			{"other account, both", func() aws.Credentials { return roleSession(t, env, acctB, "both", 2) }, crossOnly},
			{"owner account, resource policy only", func() aws.Credentials { return roleSession(t, env, acctA, "rp-same", 2) }, crossOnly},
			{"owner account, identity policy", func() aws.Credentials { return roleSession(t, env, acctA, "admin", 1) }, func(agOp) bool { return true }},
			{"owner account, root", func() aws.Credentials { return rootA }, func(agOp) bool { return true }},
		}
		for _, caller := range callers {
			t.Run(caller.name, func(t *testing.T) {
				c := control(env, caller.creds(), region2)
				for _, op := range ops {
					// Allowed deletes run once, as the last caller (root).
					if isDelete(op) && caller.allowed(op) && caller.name != "owner account, root" {
						continue
					}
					t.Run(op.name, func(t *testing.T) {
						err := op.call(t.Context(), c)
						if caller.allowed(op) {
							if isAccessDenied(err) {
								t.Errorf("denied, want allowed: %v", err)
							}
							return
						}
						wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
					})
				}
			})
		}
	})
}

func isDelete(op agOp) bool { return len(op.name) > 6 && op.name[:6] == "Delete" }

// isAccessDenied reports whether err is an AccessDenied answer. Other
// errors (AlreadyExists…) mean authorization passed.
func isAccessDenied(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "AccessDenied"
}
