package metatest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/meta"
)

func newAccount(id string) meta.NewAccount {
	return meta.NewAccount{
		Account: meta.Account{ID: id, Name: "acct " + id, Email: id + "@example.com", Status: "ACTIVE", JoinedMethod: "CREATED", CreatedAt: epoch},
		RootKey: meta.AccessKey{ID: "AKIA" + id + "ROOT", AccountID: id, Secret: "secret-" + id, Status: "Active", CreatedAt: epoch},
	}
}

func testAccounts(t *testing.T, s Suite) {
	t.Run("CreateGetList", func(t *testing.T) {
		st := s.Open(t)
		for _, id := range []string{"222222222222", "111111111111", "333333333333"} {
			if err := st.CreateAccount(ctx(t), newAccount(id)); err != nil {
				t.Fatalf("CreateAccount(%s): %v", id, err)
			}
		}
		got, err := st.GetAccount(ctx(t), "111111111111")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(newAccount("111111111111").Account, got); diff != "" {
			t.Errorf("GetAccount (-want +got):\n%s", diff)
		}
		key, err := st.GetAccessKey(ctx(t), "AKIA111111111111ROOT")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(newAccount("111111111111").RootKey, key); diff != "" {
			t.Errorf("GetAccessKey (-want +got):\n%s", diff)
		}
		page1, err := st.ListAccounts(ctx(t), meta.Page{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		page2, err := st.ListAccounts(ctx(t), meta.Page{After: page1[len(page1)-1].ID, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range append(page1, page2...) {
			ids = append(ids, a.ID)
		}
		if diff := cmp.Diff([]string{"111111111111", "222222222222", "333333333333"}, ids); diff != "" {
			t.Errorf("ListAccounts pages (-want +got):\n%s", diff)
		}
	})
	t.Run("Duplicates", func(t *testing.T) {
		st := s.Open(t)
		if err := st.CreateAccount(ctx(t), newAccount("111111111111")); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateAccount(ctx(t), newAccount("111111111111")); !errors.Is(err, meta.ErrExists) {
			t.Errorf("second CreateAccount: got %v, want ErrExists", err)
		}
		// A new account whose root key collides writes nothing.
		dup := newAccount("222222222222")
		dup.RootKey.ID = "AKIA111111111111ROOT"
		if err := st.CreateAccount(ctx(t), dup); !errors.Is(err, meta.ErrExists) {
			t.Errorf("CreateAccount with taken key: got %v, want ErrExists", err)
		}
		if _, err := st.GetAccount(ctx(t), "222222222222"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("half-created account is visible: %v", err)
		}
	})
	t.Run("Missing", func(t *testing.T) {
		st := s.Open(t)
		if _, err := st.GetAccount(ctx(t), "999999999999"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("GetAccount: got %v, want ErrNotFound", err)
		}
		if _, err := st.GetAccessKey(ctx(t), "AKIANOPE"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("GetAccessKey: got %v, want ErrNotFound", err)
		}
		if _, err := st.GetOrganization(ctx(t)); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("GetOrganization: got %v, want ErrNotFound", err)
		}
		if _, err := st.GetCreateAccountStatus(ctx(t), "car-nope"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("GetCreateAccountStatus: got %v, want ErrNotFound", err)
		}
	})
	t.Run("OrganizationAndStatus", func(t *testing.T) {
		st := s.Open(t)
		if err := st.CreateAccount(ctx(t), newAccount("111111111111")); err != nil {
			t.Fatal(err)
		}
		org := meta.Organization{ID: "o-abcdefghij", ManagementAccountID: "111111111111", CreatedAt: epoch}
		if err := st.CreateOrganization(ctx(t), org); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateOrganization(ctx(t), meta.Organization{ID: "o-zzzzzzzzzz", ManagementAccountID: "111111111111", CreatedAt: epoch}); !errors.Is(err, meta.ErrExists) {
			t.Errorf("second organization: got %v, want ErrExists", err)
		}
		got, err := st.GetOrganization(ctx(t))
		if err != nil || got != org {
			t.Errorf("GetOrganization = %+v, %v; want %+v", got, err, org)
		}
		na := newAccount("222222222222")
		na.Status = &meta.CreateAccountStatus{ID: "car-0123456789abcdef", AccountName: "two", State: "SUCCEEDED", AccountID: "222222222222", RequestedAt: epoch, CompletedAt: epoch}
		na.Roles = []meta.NewRole{{
			Role: meta.Role{AccountID: "222222222222", Name: "OrganizationAccountAccessRole", ID: "AROAEXAMPLE000000001", Path: "/",
				ARN: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", TrustPolicy: `{}`, MaxSessionDuration: 3600, CreatedAt: epoch},
			AttachedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
		}}
		if err := st.CreateAccount(ctx(t), na); err != nil {
			t.Fatal(err)
		}
		cs, err := st.GetCreateAccountStatus(ctx(t), "car-0123456789abcdef")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(*na.Status, cs); diff != "" {
			t.Errorf("GetCreateAccountStatus (-want +got):\n%s", diff)
		}
		list, err := st.ListCreateAccountStatus(ctx(t), meta.Page{})
		if err != nil || len(list) != 1 {
			t.Errorf("ListCreateAccountStatus = %v, %v; want one", list, err)
		}
	})
	t.Run("ConcurrentCreates", func(t *testing.T) {
		st := s.Open(t)
		errs := make(chan error, 20)
		for i := range 20 {
			go func() { errs <- st.CreateAccount(ctx(t), newAccount(fmt.Sprintf("1000000000%02d", i))) }()
		}
		for range 20 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		all, err := st.ListAccounts(ctx(t), meta.Page{})
		if err != nil || len(all) != 20 {
			t.Errorf("ListAccounts = %d accounts, %v; want 20", len(all), err)
		}
	})
}
