#!/usr/bin/env bash
# Demo: boots the self-test firmware on QEMU riscv64 -M virt with modern
# virtio-mmio and seven devices (blk, net, console, gpu, keyboard, tablet,
# rng), prints the firmware's device report and the blk round-trip result,
# then what the console wrote to its chardev (a greeting, the echoed input)
# and the net device's ARP / DHCP exchange with QEMU's user network, the
# key presses and tablet moves the harness injected as the firmware reported
# them, and where the GPU's screen (the firmware's test pattern) was saved
# as PNG (DEMO_SCREEN_DIR, default <build dir>/demo-screens).
# The disk is a scratch image in a temporary directory, deleted afterwards.
#
# Usage: bash scripts/demo.sh   (installs missing tools with scripts/setup.sh,
#                               builds the firmware if needed, runs QEMU)
# Environment: BUILD_DIR (default <repo>/build), DEMO_ARCH (riscv64|aarch64),
#              DEMO_MODE (modern|legacy), DEMO_BUS (mmio|pci: the same devices
#              as modern virtio-pci functions on the board's PCIe bus).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch="${DEMO_ARCH:-riscv64}"
mode="${DEMO_MODE:-modern}"
bus="${DEMO_BUS:-mmio}"
devices=blk,net,console,gpu,keyboard,tablet,rng
case "$bus" in
  mmio) ;;
  pci) devices=blk-pci,net-pci,console-pci,gpu-pci,keyboard-pci,tablet-pci,rng-pci ;;
  *) echo "demo: DEMO_BUS must be mmio or pci" >&2; exit 2 ;;
esac
case "$mode" in
  modern) ;;
  legacy) if [ "$bus" = pci ]; then
            echo "demo: DEMO_MODE=legacy is virtio-mmio only: the runtime drives PCI devices" \
                 "through the modern interface (legacy-only PCI devices are refused)" >&2
            exit 2
          fi ;;
  *) echo "demo: DEMO_MODE must be modern or legacy" >&2; exit 2 ;;
esac
build="${BUILD_DIR:-$root/build}/demo-firmware-$arch"
screens="${DEMO_SCREEN_DIR:-${BUILD_DIR:-$root/build}/demo-screens}"

case "$arch" in
  riscv64) cc=riscv64-unknown-elf-gcc ;;
  aarch64) cc=aarch64-linux-gnu-gcc ;;
  *) echo "demo: DEMO_ARCH must be riscv64 or aarch64" >&2; exit 2 ;;
esac
missing_tools() {
  missing=()
  for tool in cmake make "$cc" "qemu-system-$arch" python3; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
}

# Install from Debian's archive what is missing (scripts/setup.sh is
# idempotent), then check again.
missing_tools
if [ ${#missing[@]} -gt 0 ]; then
  echo "demo: missing ${missing[*]}: running scripts/setup.sh"
  bash "$root/scripts/setup.sh"
  missing_tools
  if [ ${#missing[@]} -gt 0 ]; then
    echo "demo: still missing ${missing[*]}" >&2
    exit 1
  fi
fi
python=/usr/bin/python3
[ -x "$python" ] || python="$(command -v python3)"

# Build (incremental: a no-op when nothing changed).
if [ ! -f "$build/selftest.elf" ]; then
  echo "demo: building the $arch self-test firmware (the first time takes about 15 s)..."
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root/tests/qemu/firmware" -B "$build" \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/$arch-elf.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target selftest >/dev/null

if [ "$bus" = pci ]; then
  echo "demo: $arch -M virt, virtio-pci (modern), devices: blk net console gpu keyboard tablet rng"
else
  echo "demo: $arch -M virt, $mode virtio-mmio, devices: blk net console gpu keyboard tablet rng"
fi
echo
# The harness makes the scratch disk, bounds the run (timeout), prints the
# serial output and checks it; its exit status is the demo's.
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
mkdir -p "$screens"
set +e
"$python" "$root/tests/qemu/harness.py" --arch "$arch" --mode "$mode" \
  --firmware "$build/selftest.elf" --timeout 30 --png-dir "$screens" \
  --devices "$devices" | tee "$out" | grep -v '^EVENT '  # events: in words below
status=${PIPESTATUS[0]}
set -e
# The console's chardev (what the guest wrote on port 0, input echoed) and
# the network exchange with QEMU's user network (ARP, DHCP).
echo
echo "demo: console and network, as the host saw them:"
grep -E '^harness: console[0-9]+ port[0-9]+ chardev:|^RESULT net[0-9]+ (arp-gateway|dhcp-offer) ' \
  "$out" | sed 's/^/  /' || true
echo
PYTHONPATH="$root/tests/qemu" "$python" - "$out" <<'EOF'
import sys
import interact
print("demo: injected over QMP: " + interact.describe_script(["keyboard", "tablet"]))
print("demo: what the firmware received:")
with open(sys.argv[1]) as fh:
    for line in interact.describe_events(fh.read().splitlines()):
        print("  " + line)
EOF
echo
echo "demo: the GPU's screen:"
grep -E '^harness: saved the screen' "$out" | sed 's/^harness: /  /' || true
exit "$status"
