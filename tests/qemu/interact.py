"""Host side of the self-test firmware's interactive tests (used by
harness.py): the input events the harness injects over QMP and what the
firmware must report for them, the GPU test pattern the firmware draws and
the pixel check of a screendump, a line reader for QEMU's serial output,
and a PNG writer for the demo. Standard library only.
"""

import os
import select
import struct
import time
import zlib

# --- input --------------------------------------------------------------------

EV_SYN, EV_KEY, EV_REL, EV_ABS = 0, 1, 2, 3

# (QMP qcode, Linux evdev code the device must report).
KEYS = [("a", 30), ("b", 48), ("shift", 42), ("1", 2)]
KEY_ESC = ("esc", 1)      # released last: ends the firmware's wait
TABLET_MOVES = [(100, 200), (16384, 8192), (32767, 0)]
MOUSE_MOVES = [(5, -3), (-7, 11)]


def _key(qcode, code, down):
    ev = {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}
    return [ev], [("keyboard", EV_KEY, code, 1 if down else 0), ("keyboard", EV_SYN, 0, 0)]


def _move(kind, evtype, axes, x, y):
    qtype = "abs" if evtype == EV_ABS else "rel"
    evs = [{"type": qtype, "data": {"axis": "x", "value": x}},
           {"type": qtype, "data": {"axis": "y", "value": y}}]
    return evs, [(kind, evtype, 0, x), (kind, evtype, 1, y), (kind, EV_SYN, 0, 0)]


def input_script(kinds):
    """The updates to inject for a set with these input kinds: a list of
    (QMP input-send-event events, [(kind, type, code, value)] the firmware
    must report for them, SYN_REPORT included). Empty without a keyboard
    (only Escape ends the firmware's wait)."""
    if "keyboard" not in kinds:
        return []
    steps = []
    (qa, a), (qb, b), (qshift, shift), (q1, one) = KEYS
    for q, code in ((qa, a), (qb, b)):
        steps.append(_key(q, code, True))
        steps.append(_key(q, code, False))
    steps.append(_key(qshift, shift, True))   # shift+1 held together
    steps.append(_key(q1, one, True))
    steps.append(_key(q1, one, False))
    steps.append(_key(qshift, shift, False))
    if "tablet" in kinds:
        steps += [_move("tablet", EV_ABS, 0, x, y) for x, y in TABLET_MOVES]
    if "mouse" in kinds:
        steps += [_move("mouse", EV_REL, 0, x, y) for x, y in MOUSE_MOVES]
    steps.append(_key(KEY_ESC[0], KEY_ESC[1], True))
    steps.append(_key(KEY_ESC[0], KEY_ESC[1], False))
    return steps


def check_events(reported, expected, input_kinds):
    """reported: parsed EVENT tuples (index, kind, type, code, value);
    expected: (kind, type, code, value) in injection order; input_kinds:
    the kind of each input device by firmware index. Returns reasons."""
    reasons = []
    got = []
    for ev in reported:
        index, kind = ev[0], ev[1]
        if index == "malformed":
            reasons.append("malformed EVENT line: %s" % kind)
            continue
        if index >= len(input_kinds) or input_kinds[index] != kind:
            reasons.append("EVENT from input%s said to be a %s, which it is not"
                           % (index, kind))
        got.append(tuple(ev[1:]))
    if got != expected:
        n = next((i for i, (g, e) in enumerate(zip(got, expected)) if g != e),
                 min(len(got), len(expected)))
        reasons.append("events: the firmware reported %d, the harness injected %d;"
                       " first difference at #%d: got %s, injected %s"
                       % (len(got), len(expected), n,
                          got[n] if n < len(got) else "nothing",
                          expected[n] if n < len(expected) else "nothing"))
    return reasons


def describe_events(lines):
    """EVENT lines as words, one line per report (events up to SYN_REPORT):
    'keyboard (input1): a pressed', 'tablet (input0): moved to x=100 y=200'."""
    names = dict((code, qcode) for qcode, code in KEYS + [KEY_ESC])
    out, pending = [], {}
    for line in lines:
        parts = line.split()
        if len(parts) != 6 or parts[0] != "EVENT":
            continue
        dev, kind = parts[1], parts[2]
        etype, code, value = (int(p.split("=")[1]) for p in parts[3:])
        words = pending.setdefault(dev, [])
        if etype == EV_KEY:
            key = names.get(code, "key %d" % code)
            words.append("%s %s" % (key, {0: "released", 1: "pressed"}.get(value, "repeated")))
        elif etype in (EV_ABS, EV_REL):
            axis = "xy"[code] if code < 2 else "axis %d" % code
            words.append("%s%s%d" % (axis, "=" if etype == EV_ABS else " by ", value))
        elif etype == EV_SYN and words:
            verb = "moved to " if "=" in words[0] else ""
            out.append("%s (%s): %s%s" % (kind, dev, verb, ", ".join(words)))
            pending[dev] = []
    return out


def describe_script(kinds):
    """What input_script injects, in words."""
    keys = [KEYS[0][0], KEYS[1][0], "%s+%s" % (KEYS[2][0], KEYS[3][0])]
    text = ["keys " + ", ".join(keys) + ", " + KEY_ESC[0]]
    if "tablet" in kinds:
        text.append("tablet moves to " + ", ".join("(%d, %d)" % m for m in TABLET_MOVES))
    if "mouse" in kinds:
        text.append("mouse moves by " + ", ".join("(%d, %d)" % m for m in MOUSE_MOVES))
    return "; ".join(text)


# --- GPU test pattern -----------------------------------------------------------

# The firmware (selftest_gpu.c) fills the scanout with 4 x 2 blocks of
# these colours, left to right, top row first: pixel (x, y) has colour
# BLOCK_COLOURS[(y * 2 // h) * 4 + x * 4 // w].
BLOCK_COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255),
                 (0, 0, 0), (255, 255, 0), (0, 255, 255), (255, 0, 255)]


def pattern_rows(w):
    """The two distinct RGB rows of the pattern (top, bottom)."""
    rows = []
    for r in range(2):
        row = bytearray()
        for x in range(w):
            row += bytes(BLOCK_COLOURS[r * 4 + x * 4 // w])
        rows.append(bytes(row))
    return rows


def check_pattern(w, h, maxval, pixels, want_w, want_h):
    """Every pixel of a screendump (PPM data) against the pattern.
    Returns reasons (empty: the screen shows exactly the pattern)."""
    if (w, h) != (want_w, want_h):
        return ["screen is %dx%d, the firmware drew %dx%d" % (w, h, want_w, want_h)]
    if maxval != 255 or len(pixels) < w * h * 3:
        return ["screendump is not 8-bit RGB of %dx%d" % (w, h)]
    rows = pattern_rows(w)
    for y in range(h):
        want = rows[y * 2 // h]
        got = pixels[y * w * 3:(y + 1) * w * 3]
        if got != want:
            x = next(i for i in range(w) if got[i * 3:i * 3 + 3] != want[i * 3:i * 3 + 3])
            return ["pixel (%d,%d) is %s, the pattern has %s"
                    % (x, y, tuple(got[x * 3:x * 3 + 3]), tuple(want[x * 3:x * 3 + 3]))]
    return []


def write_png(path, w, h, rgb):
    """Writes 8-bit RGB pixel rows as a PNG file."""
    raw = b"".join(b"\x00" + rgb[y * w * 3:(y + 1) * w * 3] for y in range(h))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


# --- serial console -------------------------------------------------------------

class Console:
    """A running QEMU's serial output, read line by line with deadlines.
    Every line read is kept in `lines`."""

    def __init__(self, stream):
        self.fd = stream.fileno()
        self.buf = b""
        self.lines = []
        self.eof = False

    def read_line(self, deadline):
        """The next line, or None at end of output or at the deadline
        (monotonic seconds); `eof` tells which."""
        while b"\n" not in self.buf:
            if self.eof:
                if not self.buf:
                    return None
                self.buf += b"\n"
                break
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.fd, 65536)
            if chunk:
                self.buf += chunk
            else:
                self.eof = True
        line, _, self.buf = self.buf.partition(b"\n")
        text = line.decode("utf-8", "replace").rstrip("\r").strip("\x00")
        self.lines.append(text)
        return text

    def text(self):
        return "".join(l + "\n" for l in self.lines)
