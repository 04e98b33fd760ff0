#!/bin/bash
# test_export_html.sh SYSWATCH FIXTURE - the HTML timeline really renders.
#
# Writes the synthetic convoy trace (FIXTURE: 32 threads, 8 modules), has
# `syswatch export --format html` turn it into a page, and opens the page
# in Debian's headless Chromium, with the network off:
#  - --dump-dom: the script ran and drew one bar per hold, per lock wait
#    and per call the page carries (it counts what it drew on <body
#    data-*>; the counts are checked against the embedded data and against
#    the <rect> elements in the DOM), and the header says who was waited
#    for;
#  - --screenshot: a PNG of a sensible size that is not blank: decoded
#    with python3's zlib (stdlib only), it must show the colours of holds,
#    waits and the holder's file calls.
# Exits 77 (skipped) with the reason when chromium or python3 is missing.
# SW_EXPORT_KEEP=DIR keeps the page and the screenshot there.
set -euo pipefail

syswatch=${1:?usage: test_export_html.sh SYSWATCH FIXTURE}
fixture=${2:?usage: test_export_html.sh SYSWATCH FIXTURE}

chromium=""
for c in chromium chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then
		chromium=$c
		break
	fi
done
if [ -z "$chromium" ]; then
	echo "SKIPPED: chromium is not installed (apt-get install chromium)"
	exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIPPED: python3 is not installed"
	exit 77
fi

work=$(mktemp -d /tmp/sw_export_html.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$fixture" "$work/convoy.trace" 32 8
"$syswatch" export --format html -o "$work/page.html" "$work/convoy.trace"

chrome() {
	# No network, no first-run or background traffic, a throwaway profile.
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --proxy-server=127.0.0.1:9 \
		--user-data-dir="$work/profile" --window-size=1400,900 "$@" \
		"file://$work/page.html" 2>"$work/chromium.log"
}

if ! chrome --dump-dom >"$work/dom.html"; then
	echo "FAIL: chromium --dump-dom failed:"
	tail -20 "$work/chromium.log"
	exit 1
fi
if ! chrome --screenshot="$work/shot.png"; then
	echo "FAIL: chromium --screenshot failed:"
	tail -20 "$work/chromium.log"
	exit 1
fi

status=0
python3 - "$work" <<'EOF' || status=$?
import json, re, struct, sys, zlib

work = sys.argv[1]
page = open(f"{work}/page.html", encoding="utf-8").read()
dom = open(f"{work}/dom.html", encoding="utf-8").read()
failed = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failed.append(what)

# What the page carries ...
m = re.search(r'<script type="application/json" id="sw-data">(.*?)</script>', page, re.S)
data = json.loads(m.group(1))
# (a condition variable's signaller "holds" it: drawn with the condition
# waits, which are off by default)
holds = sum(1 for h in data["holds"] if not h[3].startswith("cond "))
calls = len(data["calls"])
lock_waits = sum(1 for w in data["waits"] if not w[5])
check(len(data["threads"]) == 32, f"32 thread rows in the data ({len(data['threads'])})")

# ... is what the script drew.
body = re.search(r"<body([^>]*)>", dom).group(1)
drawn = dict(re.findall(r'data-([a-z]+)="(\d+)"', body))
check(drawn.get("rows") == "32", f"32 rows drawn ({drawn.get('rows')})")
check(drawn.get("holds") == str(holds) and holds >= 7, f"{holds} holds drawn ({drawn.get('holds')})")
check(drawn.get("waits") == str(lock_waits) and lock_waits >= 31 * 8,
      f"{lock_waits} lock waits drawn ({drawn.get('waits')})")
# (the last module's waits are incomplete: no hold, so no calls drawn in it)
check(drawn.get("calls") == str(calls) and calls >= 4 * 7, f"{calls} calls drawn ({drawn.get('calls')})")
chart = re.search(r'<svg id="chart".*?</svg>', dom, re.S).group(0)
rects = {k: len(re.findall(r'<rect class="' + k + r'[ "]', chart)) for k in ("hold", "wait", "call")}
check(rects["hold"] == holds, f"{rects['hold']} hold rects in the DOM")
check(rects["wait"] == lock_waits, f"{rects['wait']} wait rects in the DOM")
check(rects["call"] == calls, f"{rects['call']} call rects in the DOM")
check(len(re.findall(r'<text class="lbl', chart)) == 32, "every row is labelled")
check("was waiting for thread 4000" in dom, "the header names the thread waited for")
check("Most contended lock: sem 0x" in dom, "the header names the most contended lock")

# The screenshot: decode the PNG (8-bit RGB/RGBA, non-interlaced).
png = open(f"{work}/shot.png", "rb").read()
check(png[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is a PNG")
check(len(png) > 20000, f"the screenshot is not trivial ({len(png)} bytes)")
pos, idat, w = 8, b"", 0
while pos < len(png):
    n, kind = struct.unpack(">I4s", png[pos:pos + 8])
    chunk = png[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + n
check((w, h) == (1400, 900), f"the screenshot is 1400x900 ({w}x{h})")
assert depth == 8 and ctype in (2, 6) and interlace == 0, "unexpected PNG layout"
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = {}
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1:
            line[x] = (line[x] + a) & 255
        elif f == 2:
            line[x] = (line[x] + b) & 255
        elif f == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        rgb = bytes(line[x:x + 3])
        colours[rgb] = colours.get(rgb, 0) + 1
    prev = line

def near(rgb, tol=24):
    return sum(n for c, n in colours.items() if all(abs(c[i] - rgb[i]) <= tol for i in range(3)))

total = w * h
check(len(colours) >= 8, f"{len(colours)} distinct colours")
white = near((255, 255, 255), 3)
check(white < 0.9 * total, f"not blank ({100 * white // total}% white)")
for name, rgb, least in (("hold orange", (0xf2, 0x8e, 0x2b), 2000),
                         ("wait blue", (0x3f, 0x6f, 0xb0), 20000),
                         ("file-call red", (0x6b, 0x1d, 0x0e), 100)):
    n = near(rgb)
    check(n >= least, f"{name} covers {n} pixels (at least {least})")

sys.exit(1 if failed else 0)
EOF

if [ -n "${SW_EXPORT_KEEP:-}" ]; then
	mkdir -p "$SW_EXPORT_KEEP"
	cp "$work/page.html" "$work/shot.png" "$SW_EXPORT_KEEP/"
fi
exit $status
