package sessiontoken

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
)

// XAES-256-GCM (https://c2sp.org/XAES-256-GCM) built from the standard
// library's AES-256 and GCM. It extends AES-256-GCM to a 192-bit nonce: the
// first 96 bits of the nonce select a fresh AES-256-GCM subkey through the
// NIST SP 800-108r1 counter-mode KDF with CMAC-AES-256 as the PRF (one AES
// block per 128 bits of subkey), and the last 96 bits are the GCM nonce.
// Random 192-bit nonces are safe for about 2^80 messages per key at a 2^-32
// collision risk, where random 96-bit GCM nonces are limited to 2^32.

const (
	xaesKeySize   = 32
	xaesNonceSize = 24
	xaesOverhead  = 16 // the GCM tag
)

// xaes holds what can be computed once per input key: the AES-256 block
// cipher keyed with it and the CMAC subkey K1.
type xaes struct {
	block cipher.Block
	k1    [aes.BlockSize]byte
}

func newXAES(key []byte) (*xaes, error) {
	block, err := aes.NewCipher(key) // rejects a key that is not 16, 24 or 32 bytes
	if err != nil {
		return nil, err
	}
	x := &xaes{block: block}
	// L = AES-256_K(0^128); K1 = L<<1, xor 0x87 into the last byte when the
	// shifted-out bit was 1 (NIST SP 800-38B §6.1).
	block.Encrypt(x.k1[:], x.k1[:])
	msb := x.k1[0] >> 7
	for i := 0; i < len(x.k1)-1; i++ {
		x.k1[i] = x.k1[i]<<1 | x.k1[i+1]>>7
	}
	x.k1[len(x.k1)-1] <<= 1
	x.k1[len(x.k1)-1] ^= byte(subtle.ConstantTimeSelect(int(msb), 0x87, 0))
	return x, nil
}

// aead returns the AES-256-GCM instance for one message and the 96-bit GCM
// nonce to use with it. nonce must be xaesNonceSize bytes; scratch must have
// room for 64 bytes and is overwritten (it lets the caller keep the subkey
// material out of a separate heap allocation).
func (x *xaes) aead(nonce, scratch []byte) (cipher.AEAD, []byte, error) {
	m := scratch[:32:32]
	kx := scratch[32:64:64]
	// M_i = [i]_16 || "X" || 0x00 || N[:12], then xor K1 (single-block CMAC).
	m[0], m[1], m[2], m[3] = 0, 1, 'X', 0
	copy(m[4:16], nonce[:12])
	copy(m[16:32], m[0:16])
	m[17] = 2
	subtle.XORBytes(m[0:16], m[0:16], x.k1[:])
	subtle.XORBytes(m[16:32], m[16:32], x.k1[:])
	x.block.Encrypt(kx[0:16], m[0:16])
	x.block.Encrypt(kx[16:32], m[16:32])
	block, err := aes.NewCipher(kx)
	clear(scratch[:64])
	if err != nil {
		return nil, nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, nil, err
	}
	return gcm, nonce[12:xaesNonceSize], nil
}
