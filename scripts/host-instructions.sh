#!/usr/bin/env bash
# Host instructions per guest instruction, counted by valgrind's callgrind: deterministic where wall-clock
# MIPS on a shared machine is not. Runs IMAGE for N1 and N2 guest instructions under callgrind (optimizing
# compiler only, so both runs compile the same code) and prints (Ir(N2) - Ir(N1)) / (N2 - N1).
#   scripts/host-instructions.sh [IMAGE] [N1] [N2] [RUN OPTIONS...]   (default bench-matrix 20000000 30000000)
# Options after N2 go to `cca-emu run` (e.g. `--rme`: the image under the RME boot, EL3 monitor, GPT and RMM).
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-bench-matrix}; n1=${2:-20000000}; n2=${3:-30000000}
shift $(( $# < 3 ? $# : 3 ))
command -v valgrind >/dev/null || { echo "host-instructions: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
[ -f "images/$image/$image.elf" ] || { echo "host-instructions: no images/$image/$image.elf" >&2; exit 2; }
count() {
  local n=$1; shift
  # the run stops at --max-instructions with status 124: that is the point, not an error
  { valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=/dev/null \
    node --no-liftoff --hash-seed=1 --random-seed=1 bin/cca-emu.js run "images/$image/$image.elf" "$@" --max-instructions "$n" 2>&1 >/dev/null || true; } \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
a=$(count "$n1" "$@"); b=$(count "$n2" "$@")
echo "$image${*:+ $*}: $(awk "BEGIN { printf \"%.2f\", ($b - $a) / ($n2 - $n1) }") host instructions per guest instruction (callgrind, $n1 -> $n2)"
