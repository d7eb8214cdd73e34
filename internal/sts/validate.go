package sts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Input constraints from STS's service model (botocore sts 2011-06-15
// service-2.json). AWS checks them before anything else and reports every
// violation in one ValidationError:
//
//	1 validation error detected: Value 'x' at 'roleSessionName' failed to
//	satisfy constraint: Member must have length greater than or equal to 2
//
// (several are joined with "; " after "N validation errors detected: ").
// Field names are the members' names with a lower-case first letter; list
// members are named like 'tags.1.member.key'.
var (
	// arnPattern is arnType's pattern: any tab, newline or printable
	// character outside the surrogate range.
	arnPattern      = pattern(`[\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{0085}\x{00A0}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]+`, `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`)
	namePattern     = pattern(`[\w+=,.@-]*`, `[\w+=,.@-]*`)
	externalPattern = pattern(`[\w+=,.@:\/-]*`, `[\w+=,.@:\/-]*`)
	serialPattern   = pattern(`[\w+=/:,.@-]*`, `[\w+=/:,.@-]*`)
	tokenPattern    = pattern(`[\d]*`, `[\d]*`)
	tagKeyPattern   = pattern(`[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
	tagValuePattern = pattern(`[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
	policyPattern   = pattern(`[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`, `[\u0009\u000A\u000D\u0020-\u00FF]+`)
)

// modelPattern is a model pattern: the Go expression, anchored, and the
// text AWS quotes in its message.
type modelPattern struct {
	re   *regexp.Regexp
	text string
}

func pattern(goExpr, text string) modelPattern {
	return modelPattern{re: regexp.MustCompile(`^(?:` + goExpr + `)$`), text: text}
}

// violations collects constraint failures in the order they are found.
type violations []string

// add records that value (nil: absent) at field breaks constraint.
func (v *violations) add(value *string, field, constraint string) {
	val := "null"
	if value != nil {
		val = "'" + *value + "'"
	}
	*v = append(*v, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: Member %s", val, field, constraint))
}

// str checks a string member: presence, length in characters and pattern.
func (v *violations) str(field string, value *string, required bool, minLen, maxLen int, p *modelPattern) {
	if value == nil {
		if required {
			v.add(nil, field, "must not be null")
		}
		return
	}
	n := utf8.RuneCountInString(*value)
	if n < minLen {
		v.add(value, field, "must have length greater than or equal to "+strconv.Itoa(minLen))
	}
	if maxLen > 0 && n > maxLen {
		v.add(value, field, "must have length less than or equal to "+strconv.Itoa(maxLen))
	}
	if p != nil && !p.re.MatchString(*value) {
		v.add(value, field, "must satisfy regular expression pattern: "+p.text)
	}
}

// integer checks an integer member's range.
func (v *violations) integer(field string, value *int, minVal, maxVal int) {
	if value == nil {
		return
	}
	s := strconv.Itoa(*value)
	if *value < minVal {
		v.add(&s, field, "must have value greater than or equal to "+strconv.Itoa(minVal))
	}
	if *value > maxVal {
		v.add(&s, field, "must have value less than or equal to "+strconv.Itoa(maxVal))
	}
}

// listLen checks a list member's length; items renders the list as AWS
// prints it (Java's List.toString).
func (v *violations) listLen(field string, n, minLen, maxLen int, items func() []string) {
	if n == 0 && minLen == 0 {
		return
	}
	s := "[" + strings.Join(items(), ", ") + "]"
	if n < minLen {
		v.add(&s, field, "must have length greater than or equal to "+strconv.Itoa(minLen))
	}
	if maxLen > 0 && n > maxLen {
		v.add(&s, field, "must have length less than or equal to "+strconv.Itoa(maxLen))
	}
}

// err returns the ValidationError for the violations, or nil.
func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return validationError("1 validation error detected: %s", v[0])
	}
	return validationError("%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

// common checks the members AssumeRole and AssumeRoleWithWebIdentity share.
func (v *violations) common(roleARN, sessionName *string, policyARNs []string, duration *int) {
	v.str("roleArn", roleARN, true, 20, 2048, &arnPattern)
	v.str("roleSessionName", sessionName, true, 2, 64, &namePattern)
	for i := range policyARNs {
		v.str(fmt.Sprintf("policyArns.%d.member.arn", i+1), &policyARNs[i], false, 20, 2048, &arnPattern)
	}
	v.integer("durationSeconds", duration, minDuration, maxRoleDuration)
}

// tags checks session tags and transitive tag keys.
func (v *violations) tags(tags []Tag, transitive []string) {
	v.listLen("tags", len(tags), 0, maxSessionTags, func() []string {
		out := make([]string, len(tags))
		for i, t := range tags {
			out[i] = "Tag(Key=" + t.Key + ", Value=" + t.Value + ")"
		}
		return out
	})
	for i := range tags {
		v.str(fmt.Sprintf("tags.%d.member.key", i+1), &tags[i].Key, true, 1, 128, &tagKeyPattern)
		v.str(fmt.Sprintf("tags.%d.member.value", i+1), &tags[i].Value, true, 0, 256, &tagValuePattern)
	}
	v.listLen("transitiveTagKeys", len(transitive), 0, maxSessionTags, func() []string { return transitive })
	for i := range transitive {
		v.str(fmt.Sprintf("transitiveTagKeys.%d.member", i+1), &transitive[i], true, 1, 128, &tagKeyPattern)
	}
}

// providedContexts checks ProvidedContexts (1 to 5 entries).
func (v *violations) providedContexts(pcs []ProvidedContext, sent bool) {
	if !sent {
		return
	}
	v.listLen("providedContexts", len(pcs), 1, 5, func() []string {
		out := make([]string, len(pcs))
		for i, pc := range pcs {
			out[i] = "ProvidedContext(ProviderArn=" + pc.ProviderARN + ", ContextAssertion=" + pc.ContextAssertion + ")"
		}
		return out
	})
	for i := range pcs {
		v.str(fmt.Sprintf("providedContexts.%d.member.providerArn", i+1), &pcs[i].ProviderARN, false, 20, 2048, &arnPattern)
		v.str(fmt.Sprintf("providedContexts.%d.member.contextAssertion", i+1), &pcs[i].ContextAssertion, false, 4, 2048, nil)
	}
}
