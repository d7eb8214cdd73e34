// Package sessiontoken makes and checks stateless STS session credentials.
//
// STS (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken) and S3
// Access Grants GetDataAccess return an access key ID ([NewAccessKeyID]:
// "ASIA" and 16 characters of A–Z2–7), a secret access key ([NewSecret]: 40
// base64 characters) and a session token. The token seals a [Claims]
// value: the secret, the principal, the expiry, session policies, tags and
// the rest of the session's identity context. Any grantd node that holds the
// sealing key ([Keyring]) verifies a token and recovers everything needed
// to check the request's SigV4 signature and authorize it, without a
// database read.
//
// # Format, version 1
//
//	token = base64url-unpadded(bin)                  ≤ MaxTokenLen characters
//	bin   = version (0x01) || keyID (uint32, big-endian) || nonce (24 bytes)
//	        || XAES-256-GCM(K[keyID], nonce, claims, aad)   ciphertext || 16-byte tag
//	aad   = version || keyID || accessKeyID
//	K[id] = HKDF-SHA256(Key.Secret, info "grantd sessiontoken v1 XAES-256-GCM")
//
// claims is a compact tag–length–value encoding described in codec.go:
// strictly increasing one-byte field tags, uvarint lengths, no gob, no
// JSON. Unknown fields with a tag below 0x80 make a reader refuse the token
// (a field added later may restrict the session, and ignoring it would widen
// it); unknown fields from 0x80 up are skipped. A typical role session with
// a 500-byte session policy and three tags is about 1,000 characters, in
// line with AWS's tokens. The URL-safe alphabet needs no escaping in a
// presigned URL's X-Amz-Security-Token, and a header carries it verbatim.
//
// # Security argument
//
// The AEAD gives confidentiality and integrity. Confidentiality matters
// because the token travels with every request, where proxies and logs may
// see it, while the secret key it carries must never leave the client
// otherwise. Integrity: without a ring key, nobody can make a token that
// opens, nor change any bit of one (header, nonce, ciphertext or tag) and
// have it still open, except with probability about 2^-128 per attempt
// (GCM's 128-bit tag). Tests flip every bit, truncate at every length and
// edit the sealed session policy.
//
// Everything that influences Open is authenticated. The version and key ID
// travel in clear, because Open needs them to choose a parser and a key
// before decrypting, and are additional data so they cannot be changed: a
// token cannot be relabeled to be tried under another key of the ring (for
// example a retired one still accepted for old tokens) or another format.
// The access key ID is additional data too. It binds the token to the key
// ID in the request's SigV4 credential, so a token presented with another
// session's key ID fails, and it costs no bytes because it is not stored.
// The base64 decoding is strict (no padding, no line breaks, zero trailing
// bits), so each token has exactly one spelling.
//
// Open checks expiry only after authentication, and returns claims only
// for an authentic, unexpired token. Its errors are four sentinels, so a
// forged token learns nothing beyond "invalid". All decoding is bounded:
// tokens longer than MaxTokenLen are rejected before any allocation, every
// length prefix is checked against the bytes that remain, and what Open
// allocates is bounded by the token's length.
//
// Nonces: AES-256-GCM with random 96-bit nonces allows at most 2^32 seals
// per key (NIST SP 800-38D §8.3) to keep the chance of a repeated nonce
// below 2^-32. A repeat is not a small leak: it reveals GCM's hash key,
// which lets an attacker forge tokens, that is, mint credentials. 2^32 is
// within reach here. GetDataAccess vends a session per request, all nodes
// seal under the same key, and they cannot share a counter without the
// shared state this design avoids; 1,000 seals a second reach 2^32 in 50
// days. So the AEAD is XAES-256-GCM (https://c2sp.org/XAES-256-GCM): a
// 192-bit random nonce, whose first 96 bits derive a fresh AES-256-GCM
// subkey through the NIST SP 800-108r1 CMAC KDF and whose last 96 bits are
// the GCM nonce. That allows about 2^80 tokens per key at the same 2^-32
// risk. It is built only from crypto/aes and crypto/cipher (no new
// dependency, and AES-NI speed), and it costs three extra AES block
// operations and a key schedule per token (Seal and Open take a few
// microseconds). The implementation passes the specification's test
// vectors, including the 10,000-iteration accumulated one. XAES-256-GCM is
// not key-committing, which does not matter here: every key in a ring is
// secret, and no attacker chooses keys.
//
// Ring keys are not used directly: HKDF with a purpose label derives the
// token key, so a Key.Secret can never collide with another use of the
// same material, and a later format version can derive its own key.
//
// Whoever holds a ring key can mint any credential in the deployment.
// Treat the key like the root user's secret key. Tokens cannot be revoked
// one by one (nothing is stored). As on AWS, a deny policy on
// aws:TokenIssueTime (the sealed IssuedAt) revokes sessions issued before a
// given time, and removing a key from every ring revokes all its tokens.
//
// # Keys in a multi-node deployment
//
// Every node gets the same ring from configuration, for example one
// environment variable in the text form that [ParseKeyring] reads, current
// key first:
//
//	GRANTD_SESSION_KEYS=gk1:2:<secret>,gk1:1:<secret>
//
// Make keys with [GenerateKey] (the text form is [Key.String]), and never
// give a new secret an ID that was used before. Rotate in three rollouts,
// so that no node ever meets a token under a key it does not hold:
//
//  1. Add the new key as an old key on every node ("gk1:1:…,gk1:2:…").
//  2. When every node has it, make it current ("gk1:2:…,gk1:1:…").
//  3. When the longest session sealed with the old key has expired
//     (36 hours for GetSessionToken, 12 hours for roles, plus clock skew),
//     remove the old key.
//
// A token sealed with a key that the opening node does not hold fails with
// [ErrUnknownKey], which clients see as an invalid token.
package sessiontoken
