#!/usr/bin/env bash
# Regenerates the README screenshots from the real program: linedesk --demo
# runs under a private tmux server, keys are sent as an operator would type
# them, each screen is captured with its colours (capture-pane -e) and turned
# into a PNG by aha + headless Chromium.
#
# Needs: tmux, aha, chromium and fonts for CJK and emoji
# (apt-get install -y tmux aha chromium fonts-wqy-microhei fonts-noto-color-emoji).
# Usage: screenshots/make.sh            (from anywhere inside the repo)
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"

for tool in tmux aha chromium; do
	command -v "$tool" >/dev/null || { echo "make.sh: $tool is missing (apt-get install -y $tool)" >&2; exit 2; }
done

cols=120 rows=35
tmp=$(mktemp -d)
sock="linedesk-shots-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/linedesk" .

# TERM is overridden so that colorprofile emits 24-bit colour inside tmux.
tmux -L "$sock" -f /dev/null new-session -d -s app -x "$cols" -y "$rows" \
	"env TERM=xterm-256color COLORTERM=truecolor LANG=en_US.UTF-8 $tmp/linedesk --demo; sleep 30"

wait_for() {
	for _ in $(seq 100); do
		tmux -L "$sock" capture-pane -p -t app | grep -q -- "$1" && return 0
		sleep 0.1
	done
	echo "make.sh: timed out waiting for \"$1\"; the screen was:" >&2
	tmux -L "$sock" capture-pane -p -t app >&2
	exit 1
}

# shot NAME: capture the pane with colours and render it to screenshots/NAME.png
shot() {
	local ans="$tmp/$1.ans" html="$tmp/$1.html" prof
	tmux -L "$sock" capture-pane -p -e -N -t app >"$ans"
	{
		printf '<!doctype html><meta charset="utf-8"><style>html,body{margin:0;background:#1e1e2e}'
		printf 'pre{margin:0;padding:16px;color:#cdd6f4;font:16px/19px "DejaVu Sans Mono",monospace;white-space:pre}'
		printf '.w{display:inline-block;width:2ch;text-align:center;font-family:"WenQuanYi Micro Hei Mono","Noto Color Emoji",monospace}</style><pre>'
		# Wide characters (CJK, emoji) get a box exactly two cells wide, as a
		# terminal draws them, so that the columns after them stay aligned.
		perl -pe 's/(\e\[(?:0|49)?m) +$/$1/' "$ans" | aha --no-header |
			perl -CSD -pe 's/([\x{1100}-\x{115F}\x{2E80}-\x{303E}\x{3041}-\x{33FF}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{A000}-\x{A4CF}\x{AC00}-\x{D7A3}\x{F900}-\x{FAFF}\x{FE30}-\x{FE4F}\x{FF00}-\x{FF60}\x{FFE0}-\x{FFE6}\x{2614}\x{2615}\x{1F300}-\x{1F64F}\x{1F680}-\x{1F6FF}\x{1F900}-\x{1F9FF}])/<span class="w">$1<\/span>/g'
		printf '</pre>'
	} >"$html"
	prof=$(mktemp -d)
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --disable-quic \
		--user-data-dir="$prof" --hide-scrollbars --force-device-scale-factor=1 \
		--window-size=$((cols * 963 / 100 + 34)),$((rows * 19 + 32)) \
		--screenshot="screenshots/$1.png" "file://$html" 2>/dev/null
	rm -rf "$prof"
	echo "wrote screenshots/$1.png"
}

wait_for "updated"
sleep 0.5
shot sessions

tmux -L "$sock" send-keys -t app u
wait_for "Cancel"
shot confirm

tmux -L "$sock" send-keys -t app y
wait_for "Unpinned"
sleep 0.5
shot highlighted

# Escape on its own, then a pause: an ESC followed at once by another key
# reads as alt+key.
key() { tmux -L "$sock" send-keys -t app "$@"; sleep 0.4; }

key Escape # clear the highlights
key j
key j
key Enter
wait_for "Last messages"
sleep 0.3
shot details

key Escape
key /
key Н о в
wait_for "filter"
key Enter
key s
wait_for "sorted by"
shot filter

key q
