package voice

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// classifierMagic opens an encoded Classifier; the digit is the format's
// version.
const classifierMagic = "saydo-classifier-1\n"

// MarshalBinary encodes the classifier, so a model learned once (from
// labelled items, or by SelfTrain from the user's own feedback) can be
// stored and used again for every item imported later. The encoding is
// deterministic: the same classifier gives the same bytes.
func (c *Classifier) MarshalBinary() ([]byte, error) {
	k := len(c.labels)
	var b []byte
	b = append(b, classifierMagic...)
	str := func(s string) {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	f64 := func(v float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }
	rows := func(m [][]float32) {
		for _, row := range m {
			for _, v := range row {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
			}
		}
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(k))
	for _, l := range c.labels {
		str(l)
	}
	for i := range k {
		f64(c.prior[i])
		f64(c.unseenLog[i])
	}
	words := make([]string, len(c.vocab))
	for f, i := range c.vocab {
		words[i] = f
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(words)))
	for _, f := range words {
		str(f)
	}
	// A logistic model predicts from its weights alone.
	var flags byte
	switch {
	case c.w != nil:
		flags = 2
	case c.cw != nil:
		flags = 1 | 4
	default:
		flags = 1
	}
	b = append(b, flags)
	if flags&1 != 0 {
		rows(c.logp)
	}
	if flags&2 != 0 {
		for _, v := range c.bias {
			f64(v)
		}
		rows(c.w)
	}
	if flags&4 != 0 {
		rows(c.cw)
	}
	return b, nil
}

var errClassifierTruncated = errors.New("decode classifier: truncated")

// UnmarshalBinary decodes what MarshalBinary encoded.
func (c *Classifier) UnmarshalBinary(b []byte) error {
	if len(b) < len(classifierMagic) || string(b[:len(classifierMagic)]) != classifierMagic {
		return errors.New("decode classifier: not an encoded classifier")
	}
	b = b[len(classifierMagic):]
	u32 := func() (uint32, bool) {
		if len(b) < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(b)
		b = b[4:]
		return v, true
	}
	str := func() (string, bool) {
		n, ok := u32()
		if !ok || uint64(len(b)) < uint64(n) {
			return "", false
		}
		s := string(b[:n])
		b = b[n:]
		return s, true
	}
	f64 := func() (float64, bool) {
		if len(b) < 8 {
			return 0, false
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(b))
		b = b[8:]
		return v, true
	}
	k32, ok := u32()
	if !ok || k32 == 0 || uint64(k32)*4 > uint64(len(b)) {
		return errClassifierTruncated
	}
	k := int(k32)
	out := Classifier{labels: make([]string, k), prior: make([]float64, k), unseenLog: make([]float64, k)}
	for i := range k {
		if out.labels[i], ok = str(); !ok {
			return errClassifierTruncated
		}
	}
	for i := range k {
		p, ok1 := f64()
		u, ok2 := f64()
		if !ok1 || !ok2 {
			return errClassifierTruncated
		}
		out.prior[i], out.unseenLog[i] = p, u
	}
	nv, ok := u32()
	if !ok || uint64(nv)*4 > uint64(len(b)) {
		return errClassifierTruncated
	}
	out.vocab = make(map[string]int32, nv)
	for i := range int(nv) {
		f, ok := str()
		if !ok {
			return errClassifierTruncated
		}
		out.vocab[f] = int32(i)
	}
	if len(out.vocab) != int(nv) {
		return errors.New("decode classifier: repeated feature")
	}
	if len(b) < 1 {
		return errClassifierTruncated
	}
	flags := b[0]
	b = b[1:]
	rows := func() ([][]float32, bool) {
		if uint64(len(b)) < uint64(nv)*uint64(k)*4 {
			return nil, false
		}
		m := make([][]float32, nv)
		flat := make([]float32, int(nv)*k)
		for i := range flat {
			flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		b = b[4*len(flat):]
		for i := range m {
			m[i] = flat[i*k : (i+1)*k : (i+1)*k]
		}
		return m, true
	}
	if flags&1 != 0 {
		if out.logp, ok = rows(); !ok {
			return errClassifierTruncated
		}
	}
	if flags&2 != 0 {
		out.bias = make([]float64, k)
		for i := range k {
			if out.bias[i], ok = f64(); !ok {
				return errClassifierTruncated
			}
		}
		if out.w, ok = rows(); !ok {
			return errClassifierTruncated
		}
	}
	if flags&4 != 0 {
		if out.cw, ok = rows(); !ok {
			return errClassifierTruncated
		}
	}
	if flags&^7 != 0 || flags&3 == 0 {
		return fmt.Errorf("decode classifier: unknown model flags %d", flags)
	}
	if len(b) != 0 {
		return fmt.Errorf("decode classifier: %d bytes after the model", len(b))
	}
	*c = out
	return nil
}
