package condition

import "unsafe"

// Compiler compiles the conditions of one policy. It allocates what it
// builds in blocks — the conditions with their matchers, and lower-cased
// keys — so that a policy's many small conditions cost a few allocations
// rather than a few each. Its zero value is ready to use; a Compiler is not
// safe for concurrent use, but what it returns is immutable.
type Compiler struct {
	// Vars enables policy variables in the values of the operators that
	// support them (string, ARN and Bool operators); leave it false for
	// policies without Version 2012-10-17.
	Vars bool

	strs  block[withM[stringMatcher]]
	nums  block[withM[numericMatcher]]
	dates block[withM[dateMatcher]]
	bools block[withM[boolMatcher]]
	bins  block[withM[binaryMatcher]]
	ips   block[withM[ipMatcher]]
	arns  block[withM[arnMatcher]]
	nulls block[withM[nullTest]]
	text  []byte // backs the strings Lower returns
}

// withM is a Cond together with its matcher, allocated as one.
type withM[M any] struct {
	c Cond
	m M
}

// block hands out elements of arrays it allocates with growing sizes. An
// array is never reallocated, so the pointers stay valid.
type block[T any] struct {
	buf []T
}

func (b *block[T]) alloc() *T {
	if len(b.buf) == cap(b.buf) {
		b.buf = make([]T, 0, min(max(2*cap(b.buf), 4), 64))
	}
	b.buf = b.buf[:len(b.buf)+1]
	return &b.buf[len(b.buf)-1]
}

// newCond allocates a Cond with a matcher of type M from b.
func newCond[M any, P interface {
	*M
	matcher
}](b *block[withM[M]]) (*Cond, P) {
	x := b.alloc()
	x.c.m = P(&x.m)
	return &x.c, &x.m
}

// Lower returns s with ASCII letters lower-cased: s itself when it has no
// upper-case letters, otherwise a string allocated in the compiler's blocks.
func (cc *Compiler) Lower(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	if cap(cc.text)-len(cc.text) < len(s) {
		cc.text = make([]byte, 0, max(512, len(s)))
	}
	start := len(cc.text)
	cc.text = appendLowerASCII(cc.text, s)
	// The bytes are never written again: later strings are appended after
	// them, and a full array is replaced rather than grown.
	return unsafe.String(&cc.text[start], len(s))
}
