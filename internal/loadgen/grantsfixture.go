package loadgen

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// GrantsFixture describes the cross-account setup the GetDataAccess load
// runs against: an instance in account Owner with Grants grants, a role of
// account Consumer with some of them, and a session of that role.
type GrantsFixture struct {
	Endpoint string
	Region   string
	// Owner and Consumer are the root keys of the two accounts.
	OwnerAccount    string
	Owner           aws.Credentials
	ConsumerAccount string
	Consumer        aws.Credentials
	// Grants is how many grants the instance gets; the consumer's role
	// holds one in a hundred of them (at least one), the rest go to a
	// thousand other roles.
	Grants int
	// Workers create grants concurrently.
	Workers int
	// Progress, when set, is told how many grants exist so far.
	Progress func(done int)
}

// GrantsSetup is what a fixture made: the session to load with and a
// target it has a grant for.
type GrantsSetup struct {
	Session aws.Credentials
	Target  string
}

// consumerRole is the consumer's role that the load signs as.
const consumerRole = "load-consumer"

// Setup builds the fixture through the public APIs (IAM, STS, S3 Control)
// as a user would, with real SigV4.
func (f GrantsFixture) Setup(ctx context.Context) (GrantsSetup, error) {
	var out GrantsSetup
	if f.Workers <= 0 {
		f.Workers = 8
	}
	ownerIAM := iam.NewFromConfig(f.config(f.Owner))
	roleARN := "arn:aws:iam::" + f.OwnerAccount + ":role/load-location-role"
	instance := "arn:aws:s3:" + f.Region + ":" + f.OwnerAccount + ":access-grants/default"
	if err := f.ownerSetup(ctx, ownerIAM, instance); err != nil {
		return out, err
	}
	session, err := f.consumerSetup(ctx, instance)
	if err != nil {
		return out, err
	}
	out.Session = session
	ctl := s3control.NewFromConfig(f.config(f.Owner))
	acct := aws.String(f.OwnerAccount)
	if _, err := ctl.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct,
		LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(roleARN)}); err != nil {
		return out, fmt.Errorf("create location: %w", err)
	}
	out.Target, err = f.createGrants(ctx, ctl)
	return out, err
}

// ownerSetup makes the owner's location role, instance and resource
// policy.
func (f GrantsFixture) ownerSetup(ctx context.Context, c *iam.Client, instance string) error {
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"access-grants.s3.amazonaws.com"},` +
		`"Action":["sts:AssumeRole","sts:SetSourceIdentity","sts:SetContext"],` +
		`"Condition":{"StringEquals":{"aws:SourceAccount":"` + f.OwnerAccount + `","aws:SourceArn":"` + instance + `"}}}]}`
	if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("load-location-role"),
		AssumeRolePolicyDocument: aws.String(trust), MaxSessionDuration: aws.Int32(43200)}); err != nil {
		return fmt.Errorf("create location role: %w", err)
	}
	data := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],` +
		`"Resource":"arn:aws:s3:::*","Condition":{"ArnEquals":{"s3:AccessGrantsInstanceArn":"` + instance + `"}}}]}`
	if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("load-location-role"),
		PolicyName: aws.String("data"), PolicyDocument: aws.String(data)}); err != nil {
		return fmt.Errorf("put location role policy: %w", err)
	}
	ctl := s3control.NewFromConfig(f.config(f.Owner))
	acct := aws.String(f.OwnerAccount)
	if _, err := ctl.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct}); err != nil {
		return fmt.Errorf("create instance: %w", err)
	}
	rp := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + f.ConsumerAccount + `"},` +
		`"Action":["s3:GetDataAccess","s3:ListCallerAccessGrants","s3:GetAccessGrantsInstanceForPrefix"],"Resource":"` + instance + `"}]}`
	if _, err := ctl.PutAccessGrantsInstanceResourcePolicy(ctx, &s3control.PutAccessGrantsInstanceResourcePolicyInput{
		AccountId: acct, Policy: aws.String(rp)}); err != nil {
		return fmt.Errorf("put resource policy: %w", err)
	}
	return nil
}

// consumerSetup makes the consumer's role and a 12-hour session of it.
func (f GrantsFixture) consumerSetup(ctx context.Context, instance string) (aws.Credentials, error) {
	c := iam.NewFromConfig(f.config(f.Consumer))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + f.ConsumerAccount + `:root"},"Action":"sts:AssumeRole"}]}`
	if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(consumerRole),
		AssumeRolePolicyDocument: aws.String(trust), MaxSessionDuration: aws.Int32(43200)}); err != nil {
		return aws.Credentials{}, fmt.Errorf("create consumer role: %w", err)
	}
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetDataAccess","s3:ListCallerAccessGrants","s3:GetAccessGrantsInstanceForPrefix"],"Resource":"` + instance + `"}]}`
	if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(consumerRole),
		PolicyName: aws.String("ag"), PolicyDocument: aws.String(pol)}); err != nil {
		return aws.Credentials{}, fmt.Errorf("put consumer role policy: %w", err)
	}
	// Root users may not assume roles: a user of the consumer does.
	roleARN := "arn:aws:iam::" + f.ConsumerAccount + ":role/" + consumerRole
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("load-user")}); err != nil {
		return aws.Credentials{}, fmt.Errorf("create consumer user: %w", err)
	}
	assume := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + roleARN + `"}]}`
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("load-user"),
		PolicyName: aws.String("assume"), PolicyDocument: aws.String(assume)}); err != nil {
		return aws.Credentials{}, fmt.Errorf("put consumer user policy: %w", err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("load-user")})
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("create consumer user key: %w", err)
	}
	user := aws.Credentials{AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)}
	out, err := sts.NewFromConfig(f.config(user)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String(roleARN),
		RoleSessionName: aws.String("load"), DurationSeconds: aws.Int32(43200)})
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("assume consumer role: %w", err)
	}
	return aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId),
		SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)}, nil
}

// createGrants creates the grants concurrently and returns a target of
// one of the consumer's: grant i is READ on s3://load-bucket-(i%100)/pI*.
func (f GrantsFixture) createGrants(ctx context.Context, ctl *s3control.Client) (string, error) {
	mine := max(f.Grants/100, 1)
	var next atomic.Int64
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < f.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= f.Grants || ctx.Err() != nil {
					return
				}
				grantee := fmt.Sprintf("arn:aws:iam::%s:role/other-%03d", f.ConsumerAccount, i%1000)
				if i%(f.Grants/mine) == 0 {
					grantee = "arn:aws:iam::" + f.ConsumerAccount + ":role/" + consumerRole
				}
				_, err := ctl.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: aws.String(f.OwnerAccount),
					AccessGrantsLocationId:            aws.String("default"),
					AccessGrantsLocationConfiguration: &types.AccessGrantsLocationConfiguration{S3SubPrefix: aws.String(grantPrefix(i) + "*")},
					Grantee:                           &types.Grantee{GranteeType: types.GranteeTypeIam, GranteeIdentifier: aws.String(grantee)},
					Permission:                        types.PermissionRead})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("create grant %d: %w", i, err)
					}
					mu.Unlock()
					return
				}
				if f.Progress != nil && (i+1)%1000 == 0 {
					f.Progress(i + 1)
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return "", firstErr
	}
	// The consumer's grant in the middle of the range, and a key under it.
	i := (mine / 2) * (f.Grants / mine)
	return "s3://" + grantPrefix(i) + "/data/part-00000.parquet", nil
}

// grantPrefix is grant i's bucket and key prefix.
func grantPrefix(i int) string {
	return fmt.Sprintf("load-bucket-%02d/team-%06d", i%100, i)
}

// config is an SDK configuration signing with creds that reaches the
// endpoint whatever host the client computes (S3 Control prepends the
// account ID to the host name).
func (f GrantsFixture) config(creds aws.Credentials) aws.Config {
	addr := strings.TrimPrefix(strings.TrimPrefix(f.Endpoint, "http://"), "https://")
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return aws.Config{
		Region:       f.Region,
		Credentials:  credentials.StaticCredentialsProvider{Value: creds},
		BaseEndpoint: aws.String(f.Endpoint),
		HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64,
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, addr)
			}}},
	}
}
