package condition

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestContext(t *testing.T) {
	t.Parallel()
	var c Context
	c.Set("AWS:UserName", "alice")
	c.Set("aws:SourceIp", "192.0.2.1")
	c.Set("aws:TagKeys")

	if got, ok := c.Get("aws:username"); !ok || !cmp.Equal(got, []string{"alice"}) {
		t.Errorf("Get(aws:username) = %v, %v", got, ok)
	}
	if got, ok := c.Get("AWS:SOURCEIP"); !ok || !cmp.Equal(got, []string{"192.0.2.1"}) {
		t.Errorf("Get(AWS:SOURCEIP) = %v, %v", got, ok)
	}
	if got, ok := c.Lookup("aws:tagkeys"); !ok || len(got) != 0 {
		t.Errorf("Lookup(aws:tagkeys) = %v, %v; want present and empty", got, ok)
	}
	if _, ok := c.Get("aws:userid"); ok {
		t.Error("Get(aws:userid) reported present")
	}
	c.Set("aws:username", "bob")
	c.Add("aws:tagkeys", "a")
	c.Add("aws:TagKeys", "b")
	if diff := cmp.Diff([]string{"aws:sourceip", "aws:tagkeys", "aws:username"}, c.Keys()); diff != "" {
		t.Errorf("Keys() mismatch (-want +got):\n%s", diff)
	}
	if got, _ := c.Get("aws:tagkeys"); !cmp.Equal(got, []string{"a", "b"}) {
		t.Errorf("after Add, aws:tagkeys = %v", got)
	}
	d := c.Clone()
	c.Delete("AWS:USERNAME")
	if _, ok := c.Get("aws:username"); ok || c.Len() != 2 {
		t.Errorf("after Delete: present=%v len=%d", ok, c.Len())
	}
	if got, _ := d.Get("aws:username"); !cmp.Equal(got, []string{"bob"}) {
		t.Errorf("clone changed: %v", got)
	}
	var nilCtx *Context
	if _, ok := nilCtx.Get("x:y"); ok || nilCtx.Len() != 0 {
		t.Error("nil context is not empty")
	}
}

func TestContextLookupDoesNotAllocate(t *testing.T) {
	c := NewContext(8)
	c.Set("aws:SourceIp", "192.0.2.1")
	c.Set("aws:username", "alice")
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = c.Lookup("aws:username")
		_, _ = c.Get("AWS:SourceIP")
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %v times", allocs)
	}
}
