package zlib6

// huffTree holds one Huffman tree under construction: leaves first, then
// the internal nodes. zlib keeps the frequency and the code in one union
// and the parent and the length in another; they are kept apart here.
type huffTree struct {
	freq [heapSize]int
	code [heapSize]uint16
	len  [heapSize]uint16
	dad  [heapSize]uint16
}

// treeDesc describes one of the three trees: literal/length, distance and
// the code length tree.
type treeDesc struct {
	staticLen []uint16 // lengths of the fixed code, nil for the bit-length tree
	extra     []uint8  // extra bits per code from extraBase on
	extraBase int
	elems     int
	maxLength int
}

var (
	lDesc  = treeDesc{tab.staticLLen[:], extraLBits[:], literals + 1, lCodes, maxBits}
	dDesc  = treeDesc{tab.staticDLen[:], extraDBits[:], 0, dCodes, maxBits}
	blDesc = treeDesc{nil, extraBLBits[:], 0, blCodes, maxBLBits}
)

// The heap is ordered by frequency, then by depth, as zlib's smaller()
// orders it: the depth breaks ties towards flatter trees. Both are packed
// into one key, frequency << 8 | depth (a depth is a byte, as in zlib), so
// that n is smaller than m exactly when key[n] <= key[m].
func nodeKey(freq int, depth uint8) int { return freq<<8 | int(depth) }

// siftDown restores the heap property from position k down.
func (s *state) siftDown(k int) {
	heap, key := s.heap[:s.heapLen+1], &s.key
	v := heap[k]
	kv := key[v]
	for j := k << 1; j < len(heap); j <<= 1 {
		if j+1 < len(heap) && key[heap[j+1]] <= key[heap[j]] {
			j++
		}
		if kv <= key[heap[j]] {
			break
		}
		heap[k] = heap[j]
		k = j
	}
	heap[k] = v
}

// buildTree builds the Huffman tree of t's frequencies, sets the code
// lengths and codes, adds the block's cost under this tree to optLen (and
// under the fixed tree to staticLen) and returns the largest code in use.
func (s *state) buildTree(t *huffTree, d *treeDesc) int {
	s.heapLen = 0
	s.heapMax = heapSize
	maxCode := -1
	for n := 0; n < d.elems; n++ {
		if t.freq[n] != 0 {
			s.heapLen++
			s.heap[s.heapLen] = n
			maxCode = n
			s.depth[n] = 0
			s.key[n] = nodeKey(t.freq[n], 0)
		} else {
			t.len[n] = 0
		}
	}
	// Deflate needs at least one distance code, and a code of one bit
	// for a single symbol: force two symbols in every tree.
	for s.heapLen < 2 {
		node := 0
		if maxCode < 2 {
			maxCode++
			node = maxCode
		}
		s.heapLen++
		s.heap[s.heapLen] = node
		t.freq[node] = 1
		s.depth[node] = 0
		s.key[node] = nodeKey(1, 0)
		s.optLen--
		if d.staticLen != nil {
			s.staticLen -= int(d.staticLen[node])
		}
	}
	for n := s.heapLen / 2; n >= 1; n-- {
		s.siftDown(n)
	}
	node := d.elems
	for {
		n := s.heap[1]
		s.heap[1] = s.heap[s.heapLen]
		s.heapLen--
		s.siftDown(1)
		m := s.heap[1]
		s.heapMax--
		s.heap[s.heapMax] = n
		s.heapMax--
		s.heap[s.heapMax] = m
		t.freq[node] = t.freq[n] + t.freq[m]
		s.depth[node] = max(s.depth[n], s.depth[m]) + 1
		s.key[node] = nodeKey(t.freq[node], s.depth[node])
		t.dad[n] = uint16(node)
		t.dad[m] = uint16(node)
		s.heap[1] = node
		node++
		s.siftDown(1)
		if s.heapLen < 2 {
			break
		}
	}
	s.heapMax--
	s.heap[s.heapMax] = s.heap[1]
	s.genBitLen(t, d, maxCode)
	canonicalCodes(t.code[:], t.len[:], maxCode, &s.blCount)
	return maxCode
}

// genBitLen sets the code lengths from the tree just built, limiting them
// to d.maxLength the way zlib does, and counts the block's cost.
func (s *state) genBitLen(t *huffTree, d *treeDesc, maxCode int) {
	s.blCount = [maxBits + 1]int{}
	t.len[s.heap[s.heapMax]] = 0 // the root
	overflow := 0
	h := s.heapMax + 1
	// Parents sit before their children in heap[heapMax:].
	for ; h < heapSize; h++ {
		n := s.heap[h]
		bits := int(t.len[t.dad[n]]) + 1
		if bits > d.maxLength {
			bits = d.maxLength
			overflow++
		}
		t.len[n] = uint16(bits)
		if n > maxCode {
			continue // an internal node
		}
		s.blCount[bits]++
		xbits := 0
		if n >= d.extraBase {
			xbits = int(d.extra[n-d.extraBase])
		}
		f := t.freq[n]
		s.optLen += f * (bits + xbits)
		if d.staticLen != nil {
			s.staticLen += f * (int(d.staticLen[n]) + xbits)
		}
	}
	if overflow == 0 {
		return
	}
	// Move leaves up from the deepest level until the lengths form a
	// complete code again, two at a time.
	for overflow > 0 {
		bits := d.maxLength - 1
		for s.blCount[bits] == 0 {
			bits--
		}
		s.blCount[bits]--
		s.blCount[bits+1] += 2
		s.blCount[d.maxLength]--
		overflow -= 2
	}
	// Hand the lengths out again, longest first, in heap order (by
	// frequency).
	for bits := d.maxLength; bits != 0; bits-- {
		n := s.blCount[bits]
		for n != 0 {
			h--
			m := s.heap[h]
			if m > maxCode {
				continue
			}
			if int(t.len[m]) != bits {
				s.optLen += (bits - int(t.len[m])) * t.freq[m]
				t.len[m] = uint16(bits)
			}
			n--
		}
	}
}

// lengthRuns walks the code lengths of t the way deflate sends them (a
// length, or a repeat of the previous one, or a run of zeros; RFC 1951
// 3.2.7) with zlib's run limits. With send false it counts the symbols into
// the bit-length tree's frequencies (zlib's scan_tree, which also places a
// guard after the last length); with send true it sends them with the
// bit-length code (send_tree).
func (s *state) lengthRuns(t *huffTree, maxCode int, send bool) {
	prevLen := -1
	nextLen := int(t.len[0])
	count := 0
	maxCount, minCount := 7, 4
	if nextLen == 0 {
		maxCount, minCount = 138, 3
	}
	if !send {
		t.len[maxCode+1] = 0xffff // a guard that matches nothing
	}
	bl := &s.bt
	for n := 0; n <= maxCode; n++ {
		curLen := nextLen
		nextLen = int(t.len[n+1])
		count++
		if count < maxCount && curLen == nextLen {
			continue
		}
		switch {
		case count < minCount:
			if !send {
				bl.freq[curLen] += count
				break
			}
			for ; count != 0; count-- {
				s.sendCode(bl, curLen)
			}
		case curLen != 0:
			if curLen != prevLen {
				if send {
					s.sendCode(bl, curLen)
				} else {
					bl.freq[curLen]++
				}
				count--
			}
			s.runSymbol(rep3To6, count-3, 2, send)
		case count <= 10:
			s.runSymbol(repz3To10, count-3, 3, send)
		default:
			s.runSymbol(repz11To138, count-11, 7, send)
		}
		count = 0
		prevLen = curLen
		switch {
		case nextLen == 0:
			maxCount, minCount = 138, 3
		case curLen == nextLen:
			maxCount, minCount = 6, 3
		default:
			maxCount, minCount = 7, 4
		}
	}
}

// runSymbol counts or sends a repeat symbol of the bit-length code with
// its extra bits.
func (s *state) runSymbol(sym, extra int, nbits uint, send bool) {
	if !send {
		s.bt.freq[sym]++
		return
	}
	s.sendCode(&s.bt, sym)
	s.sendBits(uint64(extra), nbits)
}

// buildBLTree builds the code length tree for the current literal and
// distance trees and returns the index in blOrder of the last length that
// must be sent.
func (s *state) buildBLTree() int {
	s.lengthRuns(&s.lt, s.lMaxCode, false)
	s.lengthRuns(&s.dt, s.dMaxCode, false)
	s.buildTree(&s.bt, &blDesc)
	maxIndex := blCodes - 1
	for ; maxIndex >= 3; maxIndex-- {
		if s.bt.len[blOrder[maxIndex]] != 0 {
			break
		}
	}
	s.optLen += 3*(maxIndex+1) + 5 + 5 + 4
	return maxIndex
}

// flushBlock ends the current block: stored, fixed or dynamic, whichever
// zlib would choose, judged on the sizes its trees predict. buf is the
// block's input, or nil when it has already slid out of the window.
func (s *state) flushBlock(buf []byte, last bool) {
	s.lMaxCode = s.buildTree(&s.lt, &lDesc)
	s.dMaxCode = s.buildTree(&s.dt, &dDesc)
	maxIndex := s.buildBLTree()
	optBytes := (s.optLen + 3 + 7) >> 3
	staticBytes := (s.staticLen + 3 + 7) >> 3
	if staticBytes <= optBytes {
		optBytes = staticBytes
	}
	lastBit := uint64(0)
	if last {
		lastBit = 1
	}
	switch {
	case buf != nil && len(buf)+4 <= optBytes:
		s.sendBits(0<<1|lastBit, 3)
		s.alignBits()
		n := len(buf)
		s.out = append(s.out, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		s.out = append(s.out, buf...)
	case staticBytes == optBytes:
		s.sendBits(1<<1|lastBit, 3)
		s.compressBlock(tab.staticLCode[:], tab.staticLLen[:], tab.staticDCode[:], tab.staticDLen[:])
	default:
		s.sendBits(2<<1|lastBit, 3)
		s.sendBits(uint64(s.lMaxCode+1-257), 5)
		s.sendBits(uint64(s.dMaxCode+1-1), 5)
		s.sendBits(uint64(maxIndex+1-4), 4)
		for rank := 0; rank <= maxIndex; rank++ {
			s.sendBits(uint64(s.bt.len[blOrder[rank]]), 3)
		}
		s.lengthRuns(&s.lt, s.lMaxCode, true)
		s.lengthRuns(&s.dt, s.dMaxCode, true)
		s.compressBlock(s.lt.code[:], s.lt.len[:], s.dt.code[:], s.dt.len[:])
	}
	s.initBlock()
	if last {
		s.alignBits()
	}
}

// compressBlock sends the block's symbols with the given codes.
func (s *state) compressBlock(lcode, llen, dcode, dlen []uint16) {
	for _, sym := range s.syms[:s.nsyms] {
		dist := int(sym >> 8)
		lc := int(sym & 0xff)
		if dist == 0 {
			s.sendBits(uint64(lcode[lc]), uint(llen[lc]))
			continue
		}
		code := int(tab.lengthCode[lc])
		s.sendBits(uint64(lcode[code+literals+1]), uint(llen[code+literals+1]))
		if extra := uint(extraLBits[code]); extra != 0 {
			s.sendBits(uint64(lc-int(tab.baseLength[code])), extra)
		}
		dist--
		code = dCode(dist)
		s.sendBits(uint64(dcode[code]), uint(dlen[code]))
		if extra := uint(extraDBits[code]); extra != 0 {
			s.sendBits(uint64(dist-int(tab.baseDist[code])), extra)
		}
	}
	s.sendBits(uint64(lcode[endBlock]), uint(llen[endBlock]))
}

func (s *state) sendCode(t *huffTree, c int) {
	s.sendBits(uint64(t.code[c]), uint(t.len[c]))
}

// sendBits appends the n low bits of v to the output, least significant
// bit first.
func (s *state) sendBits(v uint64, n uint) {
	s.bits |= v << s.nbits
	s.nbits += n
	if s.nbits >= 32 {
		b := s.bits
		s.out = append(s.out, byte(b), byte(b>>8), byte(b>>16), byte(b>>24))
		s.bits >>= 32
		s.nbits -= 32
	}
}

// alignBits flushes the pending bits, padding the last byte with zeros.
func (s *state) alignBits() {
	for s.nbits > 0 {
		s.out = append(s.out, byte(s.bits))
		s.bits >>= 8
		s.nbits -= min(s.nbits, 8)
	}
	s.bits = 0
}

func (s *state) initBlock() {
	clear(s.lt.freq[:lCodes])
	clear(s.dt.freq[:dCodes])
	clear(s.bt.freq[:blCodes])
	s.lt.freq[endBlock] = 1
	s.optLen = 0
	s.staticLen = 0
	s.nsyms = 0
}
