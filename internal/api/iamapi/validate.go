package iamapi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/iam"
)

// shapes.json holds the input shapes of the operations grantd serves,
// trimmed from botocore's IAM model by gen_shapes.py. Validating requests
// against it gives IAM's own length, pattern, range, enum and required
// constraints, and IAM's wording for their violations:
//
//	1 validation error detected: Value 'a b' at 'userName' failed to
//	satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+
//
//go:embed shapes.json
var shapesJSON []byte

type shape struct {
	Type     string      `json:"type"`
	Min      *int64      `json:"min"`
	Max      *int64      `json:"max"`
	Pattern  string      `json:"pattern"`
	Enum     []string    `json:"enum"`
	Members  [][2]string `json:"members"`
	Required []string    `json:"required"`
	Member   string      `json:"member"`

	re *regexp.Regexp
}

type shapeModel struct {
	Operations map[string]string `json:"operations"`
	Shapes     map[string]*shape `json:"shapes"`
}

var model = loadModel()

func loadModel() *shapeModel {
	var m shapeModel
	if err := json.Unmarshal(shapesJSON, &m); err != nil {
		panic("iamapi: shapes.json: " + err.Error())
	}
	for name, s := range m.Shapes {
		if s.Pattern != "" {
			s.re = regexp.MustCompile(`^(?:` + javaPattern(s.Pattern) + `)$`)
		}
		if s.Type == "" {
			panic("iamapi: shape without type: " + name)
		}
	}
	return &m
}

var javaEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// javaPattern rewrites the Java \uXXXX escapes of botocore's patterns in
// RE2 syntax.
func javaPattern(p string) string { return javaEscape.ReplaceAllString(p, `\x{$1}`) }

// validate checks the parameters of op against its input shape and
// returns IAM's ValidationError listing every violation, or nil.
func validate(op string, p query.Params) error {
	in := model.Operations[op]
	if in == "" {
		return nil
	}
	var v validator
	v.structure(p, "", "", model.Shapes[in])
	switch len(v.errs) {
	case 0:
		return nil
	case 1:
		return awserr.Newf(awserr.ValidationError, "1 validation error detected: %s", v.errs[0])
	}
	return awserr.Newf(awserr.ValidationError, "%d validation errors detected: %s", len(v.errs), strings.Join(v.errs, "; "))
}

type validator struct{ errs []string }

func (v *validator) fail(value, path, constraint string) {
	if value != "null" {
		value = "'" + value + "'"
	}
	v.errs = append(v.errs, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

// structure validates the members of s found under key prefix; path is
// the dotted lowerCamel path IAM names them by.
func (v *validator) structure(p query.Params, prefix, path string, s *shape) {
	for _, m := range s.Members {
		name, ms := m[0], model.Shapes[m[1]]
		mpath := lowerFirst(name)
		if path != "" {
			mpath = path + "." + mpath
		}
		key := prefix + name
		required := contains(s.Required, name)
		switch ms.Type {
		case "list":
			v.list(p, key, mpath, ms, required)
		case "structure":
			v.structure(p, key+".", mpath, ms)
		default:
			if !p.Has(key) {
				if required {
					v.fail("null", mpath, "Member must not be null")
				}
				continue
			}
			v.scalar(p.Get(key), mpath, ms)
		}
	}
}

func (v *validator) list(p query.Params, key, path string, s *shape, required bool) {
	present := p.Has(key)
	for k := range p.Values {
		if strings.HasPrefix(k, key+".member.") {
			present = true
			break
		}
	}
	if !present {
		if required {
			v.fail("null", path, "Member must not be null")
		}
		return
	}
	elem := model.Shapes[s.Member]
	var n int
	var shown string
	if elem.Type == "structure" {
		items := p.Structs(key)
		n = len(items)
		for i, item := range items {
			v.structure(jwksExempt(item), "", path+"."+strconv.Itoa(i+1)+".member", elem)
		}
		shown = "[" + strconv.Itoa(n) + " items]"
	} else {
		items := p.Members(key)
		n = len(items)
		var inner []string
		for _, it := range items {
			var sub validator
			sub.scalar(it, "", elem)
			for _, e := range sub.errs {
				_, c, _ := strings.Cut(e, "failed to satisfy constraint: ")
				if !contains(inner, c) {
					inner = append(inner, c)
				}
			}
		}
		shown = "[" + strings.Join(items, ", ") + "]"
		if len(inner) > 0 {
			v.fail(shown, path, "Member must satisfy constraint: ["+strings.Join(inner, ", ")+"]")
		}
	}
	if s.Min != nil && int64(n) < *s.Min {
		v.fail(shown, path, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
	}
	if s.Max != nil && int64(n) > *s.Max {
		v.fail(shown, path, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
	}
}

func (v *validator) scalar(val, path string, s *shape) {
	switch s.Type {
	case "integer":
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			v.fail(val, path, "Member must be a number")
			return
		}
		if s.Min != nil && n < *s.Min {
			v.fail(val, path, fmt.Sprintf("Member must have value greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && n > *s.Max {
			v.fail(val, path, fmt.Sprintf("Member must have value less than or equal to %d", *s.Max))
		}
	case "boolean":
		if l := strings.ToLower(val); l != "true" && l != "false" {
			v.fail(val, path, "Member must be a boolean")
		}
	case "string":
		n := int64(utf8.RuneCountInString(val))
		if s.Min != nil && n < *s.Min {
			v.fail(val, path, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && n > *s.Max {
			v.fail(val, path, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
		}
		if s.re != nil && !s.re.MatchString(val) {
			v.fail(val, path, "Member must satisfy regular expression pattern: "+s.Pattern)
		}
		if len(s.Enum) > 0 && !contains(s.Enum, val) {
			v.fail(val, path, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// jwksExempt lets the value of a grantd:jwks tag (an OIDC provider's key
// set, see iam.JWKSTag) through the tag value constraints; the domain
// validates it as a key set instead.
func jwksExempt(item query.Params) query.Params {
	if !strings.EqualFold(item.Get("Key"), iam.JWKSTag) || !item.Has("Value") {
		return item
	}
	c := query.Params{Values: url.Values{}}
	for k, v := range item.Values {
		c.Values[k] = v
	}
	c.Values["Value"] = []string{""}
	return c
}
