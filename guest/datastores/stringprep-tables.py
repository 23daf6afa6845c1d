# Generates stringprep-tables.ts: python3 guest/datastores/stringprep-tables.py > guest/datastores/stringprep-tables.ts
import stringprep
def ranges(pred):
    out=[];start=None
    for c in range(0x110000):
        try: ok = pred(chr(c))
        except Exception: ok=False
        if ok and start is None: start=c
        if not ok and start is not None: out.append((start,c-1)); start=None
    if start is not None: out.append((start,0x10FFFF))
    return out
def prohibited(ch):
    return any(f(ch) for f in (stringprep.in_table_c12, stringprep.in_table_c21, stringprep.in_table_c22, stringprep.in_table_c3, stringprep.in_table_c4, stringprep.in_table_c5, stringprep.in_table_c6, stringprep.in_table_c7, stringprep.in_table_c8, stringprep.in_table_c9))
def emit(name, doc, r):
    flat=[]
    for a,b in r: flat += ['0x%X'%a, '0x%X'%b]
    lines=[]; line=''
    for x in flat:
        if len(line)+len(x)+2 > 110: lines.append(line.rstrip()); line=''
        line += x+', '
    if line: lines.append(line.rstrip())
    print('/** %s */' % doc)
    print('export const %s: readonly number[] = [' % name)
    for l in lines: print('  '+l)
    print('];\n')
print('''/**
 * RFC 3454 (stringprep) tables used by SASLprep (RFC 4013), as flat [first, last, first, last, …]
 * code point ranges (inclusive). Generated from Python's `stringprep` module (Unicode 3.2 data,
 * `unicodedata.ucd_3_2_0`) by stringprep-tables.py; do not edit by hand.
 */
''')
emit('NON_ASCII_SPACE', 'C.1.2 non-ASCII spaces: mapped to U+0020.', ranges(stringprep.in_table_c12))
emit('MAPPED_TO_NOTHING', 'B.1 commonly mapped to nothing: removed.', ranges(stringprep.in_table_b1))
emit('PROHIBITED', 'C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9: prohibited output.', ranges(prohibited))
emit('UNASSIGNED', 'A.1 code points unassigned in Unicode 3.2: prohibited.', ranges(stringprep.in_table_a1))
emit('RAND_AL_CAT', 'D.1 bidirectional property R or AL.', ranges(stringprep.in_table_d1))
emit('L_CAT', 'D.2 bidirectional property L.', ranges(stringprep.in_table_d2))
