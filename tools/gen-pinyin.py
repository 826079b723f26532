#!/usr/bin/env python3
"""gen-pinyin.py - turn the Unihan Mandarin readings into core/pinyin_table.c.

Usage:
    python3 tools/gen-pinyin.py [UNIHAN] > core/pinyin_table.c

UNIHAN is Unihan_Readings.txt, its .bz2 (as Debian's package unicode-data
ships it: /usr/share/unicode/Unihan_Readings.txt.bz2) or Unihan.zip.  Without
an argument the usual Debian places are tried.  Standard library only; the
output depends on nothing but the input file, so it can be compared with the
committed table (tests/cli/pinyin_table.sh does).

Readings of a character, in this order, without tones, "ü" written "v",
duplicates dropped, at most 4:
  1. kMandarin, first value (the customary reading in the PRC);
  2. kTGHZ2013 (通用规范汉字字典, 2013) and kXHC1983 (现代汉语词典), every
     reading, in the order the field lists them: the modern dictionaries'
     polyphones (单 dān chán shàn, 曾 céng zēng, 解 jiě jiè xiè);
  3. kHanyuPinyin (汉语大字典) only for a character none of the above covers:
     it lists classical readings too (王 yù, 明 mèng, 税 tuō) that would make
     false matches if mixed into modern names.
Covered: CJK Unified Ideographs U+4E00-U+9FFF and Extension A U+3400-U+4DBF.
Surname readings (单 shàn as a surname) are not Unihan data: core/pinyin.c
keeps that table.  See docs/pinyin.md.
"""

import bz2
import io
import os
import re
import sys
import unicodedata
import zipfile

BLOCKS = [
    ("ext_a", 0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"),
    ("uro", 0x4E00, 0x9FFF, "CJK Unified Ideographs"),
]
MAX_READINGS = 4
DEFAULT_PATHS = [
    "/usr/share/unicode/Unihan_Readings.txt",
    "/usr/share/unicode/Unihan_Readings.txt.bz2",
    "/usr/share/unicode/Unihan.zip",
]


def open_source(path):
    """A text stream over Unihan_Readings.txt, whatever the packaging."""
    if path.endswith(".zip"):
        z = zipfile.ZipFile(path)
        return io.TextIOWrapper(z.open("Unihan_Readings.txt"), encoding="utf-8")
    if path.endswith(".bz2"):
        return io.TextIOWrapper(bz2.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8")


def toneless(reading):
    """'lǜ' -> 'lv', 'zhāng' -> 'zhang', 'ê̄' -> 'e', 'ň' -> 'n'."""
    s = unicodedata.normalize("NFD", reading)
    s = s.replace("u\u0308", "v").replace("U\u0308", "v")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    if not re.fullmatch(r"[a-z]+", s):
        raise ValueError("unexpected reading %r" % reading)
    return s


def dictionary_readings(value):
    """kTGHZ2013 / kXHC1983: '036.140:chán 064.090:dān' -> ['chán', 'dān']."""
    out = []
    for entry in value.split():
        out.append(entry.split(":", 1)[1])
    return out


def hanyu_readings(value):
    """kHanyuPinyin: '21521.030:zēng,céng 21521.040:x' -> ['zēng', 'céng', 'x']."""
    out = []
    for entry in value.split():
        out.extend(entry.split(":", 1)[1].split(","))
    return out


def main(argv):
    path = argv[1] if len(argv) > 1 else None
    if path is None:
        for p in DEFAULT_PATHS:
            if os.path.exists(p):
                path = p
                break
    if path is None or not os.path.exists(path):
        sys.stderr.write("gen-pinyin: no Unihan_Readings at %s; apt-get install unicode-data\n"
                         % (path or "/usr/share/unicode"))
        return 1

    version = date = "?"
    fields = {}  # code point -> {field: value}
    wanted = ("kMandarin", "kTGHZ2013", "kXHC1983", "kHanyuPinyin")
    with open_source(path) as f:
        for line in f:
            if line.startswith("#"):
                m = re.match(r"# Unicode version: (\S+)", line)
                if m:
                    version = m.group(1)
                m = re.match(r"# Date: (.+?)\s*$", line)
                if m:
                    date = m.group(1)
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[1] not in wanted:
                continue
            cp = int(parts[0][2:], 16)
            if not any(lo <= cp <= hi for _, lo, hi, _ in BLOCKS):
                continue
            fields.setdefault(cp, {})[parts[1]] = parts[2]

    readings = {}  # code point -> tuple of toneless syllables
    for cp, fv in fields.items():
        raw = []
        if "kMandarin" in fv:
            raw.append(fv["kMandarin"].split()[0])
        for k in ("kTGHZ2013", "kXHC1983"):
            if k in fv:
                raw.extend(dictionary_readings(fv[k]))
        if not raw and "kHanyuPinyin" in fv:
            raw.extend(hanyu_readings(fv["kHanyuPinyin"]))
        out = []
        for r in raw:
            t = toneless(r)
            if t not in out:
                out.append(t)
        if out:
            readings[cp] = tuple(out[:MAX_READINGS])

    syllables = sorted({s for rs in readings.values() for s in rs})
    index = {s: i for i, s in enumerate(syllables)}
    nsyl = len(syllables)
    # reading sets of polyphonic characters, interned in first-seen order
    sets, set_index = [], {}
    for cp in sorted(readings):
        rs = readings[cp]
        if len(rs) > 1 and rs not in set_index:
            set_index[rs] = len(sets)
            sets.append(rs)
    if nsyl + len(sets) >= 0xFFFF:
        raise SystemExit("gen-pinyin: too many syllables or sets for 16-bit codes")

    def code(cp):
        rs = readings.get(cp)
        if not rs:
            return 0
        if len(rs) == 1:
            return index[rs[0]] + 1
        return nsyl + 1 + set_index[rs]

    o = []
    w = o.append
    w("/* pinyin_table.c - Mandarin readings of the CJK ideographs, for search.")
    w(" *")
    w(" * GENERATED by tools/gen-pinyin.py -- do not edit.  Regenerate with")
    w(" *   python3 tools/gen-pinyin.py /usr/share/unicode/Unihan_Readings.txt.bz2 \\")
    w(" *     > core/pinyin_table.c")
    w(" * Source: %s (Debian package unicode-data)," % os.path.basename(path))
    w(" *   Unicode version %s, dated %s." % (version, date))
    w(" *   Unihan data (c) Unicode, Inc., under the Unicode License (unicode.org/license).")
    w(" * Fields: kMandarin (first value), kTGHZ2013 and kXHC1983 (all readings);")
    w(" *   kHanyuPinyin only for characters without any of those.  Tones are")
    w(" *   dropped, u-umlaut is written v, at most %d readings per character." % MAX_READINGS)
    w(" * Blocks:")
    for _, lo, hi, name in BLOCKS:
        w(" *   U+%04X-U+%04X %s" % (lo, hi, name))
    w(" * %d characters with readings, %d syllables, %d polyphonic reading sets." %
      (len(readings), nsyl, len(sets)))
    w(" *")
    w(" * Per block, one 16-bit code per code point: 0 no reading; 1..%d one" % nsyl)
    w(" * syllable (code - 1); above that a set of readings (code - %d) in" % (nsyl + 1))
    w(" * tz_pinyin_sets: %d entries, unused ones 0xFFFF.  Syllables are NUL-" % MAX_READINGS)
    w(" * terminated strings in tz_pinyin_pool at offsets tz_pinyin_syl[].")
    w(" * See docs/pinyin.md.")
    w(" */")
    w('#include "pinyin_table.h"')
    w("")
    w("const int tz_pinyin_nsyl = %d;" % nsyl)
    w("const int tz_pinyin_nsets = %d;" % len(sets))
    w("")
    pool_lines, offsets, off, cur = [], [], 0, ""
    for s in syllables:
        offsets.append(off)
        off += len(s) + 1
        piece = s + "\\0"
        if len(cur) + len(piece) > 84:
            pool_lines.append(cur)
            cur = ""
        cur += piece
    pool_lines.append(cur)
    w("const char tz_pinyin_pool[%d] =" % off)
    for i, ln in enumerate(pool_lines):
        w('\t"%s"%s' % (ln, ";" if i == len(pool_lines) - 1 else ""))
    w("")

    def array(name, values, per_line):
        w("const uint16_t %s[%d] = {" % (name, len(values)))
        for i in range(0, len(values), per_line):
            w("\t" + ", ".join("%d" % v for v in values[i:i + per_line]) + ",")
        w("};")
        w("")

    array("tz_pinyin_syl", offsets, 14)
    flat = []
    for rs in sets:
        flat.extend([index[s] for s in rs] + [0xFFFF] * (MAX_READINGS - len(rs)))
    array("tz_pinyin_sets", flat, 12)
    for name, lo, hi, _ in BLOCKS:
        array("tz_pinyin_" + name, [code(cp) for cp in range(lo, hi + 1)], 14)
    data_bytes = off + 2 * len(offsets) + 2 * len(flat) + \
        sum(2 * (hi - lo + 1) for _, lo, hi, _ in BLOCKS)
    w("/* %d bytes of data in all. */" % data_bytes)
    sys.stdout.write("\n".join(o) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
