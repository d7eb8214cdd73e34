package metatest

import (
	"sync"
	"testing"

	"github.com/grantd/grantd/internal/meta"
)

func testChanges(t *testing.T, s Suite) {
	st := s.Open(t)
	last, err := st.LastChange(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, id := range []string{"111111111111", "222222222222", "333333333333", "444444444444"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := st.CreateAccount(ctx(t), newAccount(id)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	changes, err := st.Changes(ctx(t), last, 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	prev := last
	for _, c := range changes {
		if c.Seq <= prev {
			t.Errorf("change seq %d not increasing after %d", c.Seq, prev)
		}
		prev = c.Seq
		seen[c.Topic+":"+c.Key] = true
	}
	for _, want := range []string{"account:111111111111", "accesskey:AKIA444444444444ROOT"} {
		if !seen[want] {
			t.Errorf("change feed lacks %s; got %v", want, changes)
		}
	}
	// Paging through the feed by Seq returns the same entries.
	var paged []meta.Change
	after := last
	for {
		page, err := st.Changes(ctx(t), after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		after = page[len(page)-1].Seq
	}
	if len(paged) != len(changes) {
		t.Errorf("paged feed has %d entries, want %d", len(paged), len(changes))
	}
	if n, _ := st.LastChange(ctx(t)); n != prev {
		t.Errorf("LastChange = %d, want %d", n, prev)
	}
}

// testShared checks that two handles on one database (two grantd nodes, or
// the accounts CLI next to a server) see each other's writes at once.
func testShared(t *testing.T, s Suite) {
	a := s.Open(t)
	b := s.Reopen(t, a)
	if err := a.CreateAccount(ctx(t), newAccount("111111111111")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetAccessKey(ctx(t), "AKIA111111111111ROOT"); err != nil {
		t.Errorf("second handle does not see the first's write: %v", err)
	}
	if err := b.CreateAccount(ctx(t), newAccount("111111111111")); err == nil {
		t.Error("second handle created a duplicate account")
	}
	seqA, _ := a.LastChange(ctx(t))
	seqB, _ := b.LastChange(ctx(t))
	if seqA != seqB || seqA == 0 {
		t.Errorf("LastChange differs between handles: %d vs %d", seqA, seqB)
	}
}
