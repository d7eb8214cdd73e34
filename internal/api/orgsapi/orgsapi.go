// Package orgsapi is the wire side of AWS Organizations (awsJson1.1,
// target prefix AWSOrganizationsV20161128).
package orgsapi

import (
	"context"
	"net/http"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/api/awsjson"
	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/orgs"
)

// New returns the Organizations handler.
func New(svc *orgs.Service) api.Handler {
	h := &handler{svc: svc}
	return &awsjson.Service{
		TargetPrefix: "AWSOrganizationsV20161128",
		ContentType:  "application/x-amz-json-1.1",
		Ops: map[string]awsjson.Operation{
			"CreateAccount":               op(h.createAccount),
			"DescribeCreateAccountStatus": op(h.describeCreateAccountStatus),
			"ListCreateAccountStatus":     op(h.listCreateAccountStatus),
			"ListAccounts":                op(h.listAccounts),
			"DescribeAccount":             op(h.describeAccount),
			"DescribeOrganization":        op(h.describeOrganization),
		},
	}
}

type handler struct{ svc *orgs.Service }

// op adapts an operation on a decoded input to the JSON protocol: it
// requires a signed caller, decodes the body into In and maps the
// service's errors to Organizations codes.
func op[In any](fn func(ctx context.Context, c orgs.Caller, in *In) (any, error)) awsjson.Operation {
	return func(r *http.Request, decode func(any) error) (any, error) {
		rc := api.FromContext(r.Context()).Caller
		if rc.Kind == auth.Anonymous {
			return nil, awserr.New(awserr.MissingAuthenticationTokenException)
		}
		var in In
		if err := decode(&in); err != nil {
			return nil, err
		}
		out, err := fn(r.Context(), orgs.Caller{Account: rc.Account}, &in)
		if err != nil {
			return nil, wireError(err)
		}
		return out, nil
	}
}

// page reads NextToken and MaxResults (1–20) into a page request.
func page(next string, max *int) (meta.Page, error) {
	p := meta.Page{After: next}
	if max != nil {
		if *max < 1 || *max > 20 {
			return p, awserr.Newf(invalidInput, "You specified an invalid value for MaxResults: %d", *max)
		}
		p.Limit = *max
	}
	return p, nil
}

type createAccountStatus struct {
	ID                 string       `json:"Id"`
	AccountName        string       `json:"AccountName"`
	State              string       `json:"State"`
	RequestedTimestamp awsjson.Time `json:"RequestedTimestamp"`
	CompletedTimestamp awsjson.Time `json:"CompletedTimestamp,omitempty"`
	AccountID          string       `json:"AccountId,omitempty"`
	FailureReason      string       `json:"FailureReason,omitempty"`
}

func statusOut(s meta.CreateAccountStatus) createAccountStatus {
	return createAccountStatus{ID: s.ID, AccountName: s.AccountName, State: s.State,
		RequestedTimestamp: awsjson.Time(float64(s.RequestedAt.UnixMilli()) / 1000),
		CompletedTimestamp: awsjson.Time(float64(s.CompletedAt.UnixMilli()) / 1000),
		AccountID:          s.AccountID, FailureReason: s.FailureReason}
}

type createAccountInput struct {
	AccountName, Email, RoleName, IamUserAccessToBilling string
}

func (h *handler) createAccount(ctx context.Context, c orgs.Caller, in *createAccountInput) (any, error) {
	st, err := h.svc.CreateAccount(ctx, c, orgs.CreateAccountInput{AccountName: in.AccountName, Email: in.Email, RoleName: in.RoleName})
	if err != nil {
		return nil, err
	}
	return map[string]any{"CreateAccountStatus": statusOut(st)}, nil
}

type describeCreateAccountStatusInput struct{ CreateAccountRequestId string }

func (h *handler) describeCreateAccountStatus(ctx context.Context, c orgs.Caller, in *describeCreateAccountStatusInput) (any, error) {
	st, err := h.svc.DescribeCreateAccountStatus(ctx, c, in.CreateAccountRequestId)
	if err != nil {
		return nil, err
	}
	return map[string]any{"CreateAccountStatus": statusOut(st)}, nil
}

type listCreateAccountStatusInput struct {
	States     []string
	NextToken  string
	MaxResults *int
}

func (h *handler) listCreateAccountStatus(ctx context.Context, c orgs.Caller, in *listCreateAccountStatusInput) (any, error) {
	p, err := page(in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	list, next, err := h.svc.ListCreateAccountStatus(ctx, c, in.States, p)
	if err != nil {
		return nil, err
	}
	out := struct {
		CreateAccountStatuses []createAccountStatus `json:"CreateAccountStatuses"`
		NextToken             string                `json:"NextToken,omitempty"`
	}{CreateAccountStatuses: []createAccountStatus{}, NextToken: next}
	for _, st := range list {
		out.CreateAccountStatuses = append(out.CreateAccountStatuses, statusOut(st))
	}
	return out, nil
}

type account struct {
	ID              string       `json:"Id"`
	ARN             string       `json:"Arn"`
	Email           string       `json:"Email"`
	Name            string       `json:"Name"`
	Status          string       `json:"Status"`
	State           string       `json:"State"`
	JoinedMethod    string       `json:"JoinedMethod"`
	JoinedTimestamp awsjson.Time `json:"JoinedTimestamp"`
}

func accountOut(a orgs.Account) account {
	return account{ID: a.ID, ARN: a.ARN, Email: a.Email, Name: a.Name, Status: a.Status, State: a.Status,
		JoinedMethod: a.JoinedMethod, JoinedTimestamp: awsjson.Time(float64(a.CreatedAt.UnixMilli()) / 1000)}
}

type listAccountsInput struct {
	NextToken  string
	MaxResults *int
}

func (h *handler) listAccounts(ctx context.Context, c orgs.Caller, in *listAccountsInput) (any, error) {
	p, err := page(in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	if in.NextToken != "" && !orgs.ValidAccountID(in.NextToken) {
		return nil, awserr.Newf(invalidInput, "You specified an invalid value for nextToken.")
	}
	accts, next, err := h.svc.ListAccounts(ctx, c, p)
	if err != nil {
		return nil, err
	}
	out := struct {
		Accounts  []account `json:"Accounts"`
		NextToken string    `json:"NextToken,omitempty"`
	}{Accounts: []account{}, NextToken: next}
	for _, a := range accts {
		out.Accounts = append(out.Accounts, accountOut(a))
	}
	return out, nil
}

type describeAccountInput struct{ AccountId string }

func (h *handler) describeAccount(ctx context.Context, c orgs.Caller, in *describeAccountInput) (any, error) {
	a, err := h.svc.DescribeAccount(ctx, c, in.AccountId)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Account": accountOut(a)}, nil
}

func (h *handler) describeOrganization(ctx context.Context, c orgs.Caller, _ *struct{}) (any, error) {
	o, err := h.svc.DescribeOrganization(ctx, c)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Organization": map[string]any{
		"Id":                   o.ID,
		"Arn":                  o.ARN(),
		"FeatureSet":           "ALL",
		"MasterAccountArn":     orgs.AccountARN(o.Organization, o.ManagementAccountID),
		"MasterAccountId":      o.ManagementAccountID,
		"MasterAccountEmail":   o.ManagementEmail,
		"AvailablePolicyTypes": []any{},
	}}, nil
}

// Organizations' own codes; all are 400s on the wire.
var (
	invalidInput         = awserr.Code{Name: "InvalidInputException", Status: http.StatusBadRequest, Message: "The requested operation failed because you provided invalid values for one or more of the request parameters."}
	accountNotFound      = awserr.Code{Name: "AccountNotFoundException", Status: http.StatusBadRequest, Message: "You specified an account that doesn't exist."}
	statusNotFound       = awserr.Code{Name: "CreateAccountStatusNotFoundException", Status: http.StatusBadRequest, Message: "We can't find an create account request with the CreateAccountRequestId that you specified."}
	notInUse             = awserr.Code{Name: "AWSOrganizationsNotInUseException", Status: http.StatusBadRequest, Message: "Your account is not a member of an organization."}
	accountAlreadyExists = awserr.Code{Name: "DuplicateAccountException", Status: http.StatusBadRequest, Message: "That account is already present in the specified destination."}
)

// wireError maps the service's errors to Organizations codes.
func wireError(err error) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	var code awserr.Code
	switch e.Reason {
	case "InvalidInputException":
		code = invalidInput
	case "AccountNotFoundException":
		code = accountNotFound
	case "CreateAccountStatusNotFoundException":
		code = statusNotFound
	case "AWSOrganizationsNotInUseException":
		code = notInUse
	case "AccountAlreadyExists":
		code = accountAlreadyExists
	default:
		switch e.Kind {
		case errs.Denied:
			code = awserr.AccessDeniedException
		case errs.Invalid:
			code = invalidInput
		default:
			return err
		}
	}
	msg := e.Msg
	if msg == "" {
		msg = code.Message
	}
	return &awserr.Error{Code: code, Message: msg, Err: err}
}
