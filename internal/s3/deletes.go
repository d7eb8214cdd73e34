package s3

import (
	"context"

	"github.com/grantd/grantd/internal/errs"
)

// ObjectIdentifier names one object of a DeleteObjects request.
type ObjectIdentifier struct {
	Key       string
	VersionID string
}

// DeleteResult is the outcome for one key: Err is nil when it was deleted
// (or did not exist).
type DeleteResult struct {
	ObjectIdentifier
	Err error
}

// DeleteObjects deletes up to 1000 objects. Each key is authorized and
// reported on its own; the objects that may be deleted go in one
// transaction.
func (s *Service) DeleteObjects(ctx context.Context, bucket string, ids []ObjectIdentifier) ([]DeleteResult, error) {
	b, err := s.bucket(ctx, bucket)
	if err != nil {
		return nil, err
	}
	if len(ids) > MaxDeleteObjects {
		return nil, fail(errs.Invalid, codeMalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	results := make([]DeleteResult, len(ids))
	var keys []string
	for i, id := range ids {
		results[i].ObjectIdentifier = id
		switch {
		case checkKey(id.Key) != nil:
			results[i].Err = checkKey(id.Key)
		case id.VersionID != "" && id.VersionID != "null":
			results[i].Err = fail(errs.NotFound, "NoSuchVersion", "The specified version does not exist.")
		default:
			results[i].Err = s.authorize(ctx, ActionDeleteObject, b, id.Key, nil)
		}
		if results[i].Err != nil {
			if e, ok := errs.As(results[i].Err); !ok || e.Kind == errs.Other {
				return nil, results[i].Err // the authorizer failed, not the key
			}
			continue
		}
		keys = append(keys, id.Key)
	}
	if len(keys) == 0 {
		return results, nil
	}
	gone, err := s.store.DeleteObjects(ctx, b.ID, keys)
	if err != nil {
		return nil, internal(err, "delete objects")
	}
	for i := range gone {
		s.deleteObjectBlobs(ctx, &gone[i])
	}
	return results, nil
}
