#!/bin/sh
# Code size of the runtime core on Cortex-M4 (target: transport +
# negotiation + split ring <= 2 KiB of .text).
#   tests/bench/size.sh            (needs arm-none-eabi-gcc)
# Prints the .text of each core object, their sum, the same sum for the
# build switches a small system would use (no packed ring, modern only,
# both, both without indirect descriptors), the core's .rodata, the optional parts, and what a minimal polling
# driver actually links with --gc-sections.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC_M4:-arm-none-eabi-gcc}
command -v "$cc" >/dev/null || { echo "size.sh: $cc missing" >&2; exit 2; }
flags="-mcpu=cortex-m4 -mthumb -Os -ffunction-sections -fdata-sections
       -std=c11 -ffreestanding -Wall -Wextra -Werror
       -I$root/runtime/include -I$root/generated/include ${SIZE_CFLAGS:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

text() { # .text bytes of an object (all .text.* sections)
	arm-none-eabi-size -A "$1" | awk '$1 ~ /^\.text/ { s += $2 } END { print s + 0 }'
}
rodata() { # .rodata bytes of an object (tables, ops, strings)
	arm-none-eabi-size -A "$1" | awk '$1 ~ /^\.rodata/ { s += $2 } END { print s + 0 }'
}
core_files="src/mmio.c src/negotiate.c src/virtqueue_split.c"

core=0
ro=0
echo "Cortex-M4 -Os .text (bytes):"
for f in $core_files; do
	o=$tmp/$(basename "$f" .c).o
	$cc $flags -c "$root/runtime/$f" -o "$o"
	t=$(text "$o")
	core=$((core + t))
	ro=$((ro + $(rodata "$o")))
	printf '  %-24s %5d\n' "$f" "$t"
done
printf '  %-24s %5d  (transport + negotiation + split ring)\n' "core total" "$core"
# The same core built with the documented switches (virtio.h).
variant() { # label, note, extra flags...: core .text under those flags
	label=$1 note=$2
	shift 2
	sum=0
	mkdir -p "$tmp/variant"
	for f in $core_files; do
		o=$tmp/variant/$(basename "$f" .c).o
		$cc $flags "$@" -c "$root/runtime/$f" -o "$o"
		sum=$((sum + $(text "$o")))
	done
	printf '  %-24s %5d  (%s)\n' "$label" "$sum" "$note"
}
variant "core, split only" "-DVIRTIO_PACKED_RING=0: no packed hand-overs" \
	-DVIRTIO_PACKED_RING=0
variant "core, modern only" "-DVIRTIO_ACCEPT_LEGACY=0" -DVIRTIO_ACCEPT_LEGACY=0
variant "core, both" "split only and modern only" \
	-DVIRTIO_PACKED_RING=0 -DVIRTIO_ACCEPT_LEGACY=0
variant "core, minimal" "both, and -DVIRTIO_INDIRECT_DESC=0" \
	-DVIRTIO_PACKED_RING=0 -DVIRTIO_ACCEPT_LEGACY=0 -DVIRTIO_INDIRECT_DESC=0
printf '  %-24s %5d  (.rodata of the default core: ops table, constants)\n' \
	"core rodata" "$ro"
for f in src/virtqueue_packed.c src/config.c src/strerror.c drivers/blk.c; do
	o=$tmp/$(basename "$f" .c).o
	$cc $flags -c "$root/runtime/$f" -o "$o"
	printf '  %-24s %5d  (not in core)\n' "$f" "$(text "$o")"
done

# A minimal polling driver: probe, negotiate, one queue, add/kick/get.
cat > "$tmp/app.c" <<'EOF'
#include <virtio/transport.h>
#include <virtio/virtqueue.h>
uint8_t virtio_port_read8(uintptr_t a) { return *(volatile uint8_t *)a; }
uint16_t virtio_port_read16(uintptr_t a) { return *(volatile uint16_t *)a; }
uint32_t virtio_port_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
void virtio_port_write8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
void virtio_port_write16(uintptr_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
void virtio_port_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static uint8_t heap[8192] __attribute__((aligned(4096)));
void *virtio_port_dma_alloc(size_t n, size_t al) { (void)al; return n <= sizeof(heap) ? heap : 0; }
void virtio_port_dma_free(void *p, size_t n) { (void)p; (void)n; }
uint64_t virtio_port_virt_to_phys(const void *p) { return (uintptr_t)p; }
void *virtio_port_phys_to_virt(uint64_t p) { return (void *)(uintptr_t)p; }
uint64_t virtio_port_time_us(void) { return 0; }
void virtio_port_log(enum virtio_log_level l, const char *m) { (void)l; (void)m; }
static struct virtio_device dev;
static struct virtqueue vq;
static char buf[64];
void entry(void)
{
	struct virtio_buf b = { buf, sizeof(buf) };
	void *t;
	uint32_t len;

	if (virtio_mmio_probe(&dev, 0x40000000u) || virtio_negotiate(&dev, 0) ||
	    virtqueue_setup(&dev, &vq, 0, 8) || virtio_driver_ok(&dev))
		for (;;);
	virtqueue_disable_cb(&vq);
	virtqueue_add(&vq, &b, 0, 1, buf);
	virtqueue_kick(&vq);
	while (virtqueue_get(&vq, &t, &len) == 0)
		;
	for (;;);
}
EOF
objs="$tmp/mmio.o $tmp/negotiate.o $tmp/virtqueue_split.o"
$cc $flags -c "$tmp/app.c" -o "$tmp/app.o"
# (the split ring's hand-overs to the packed ring need its object to link)
$cc $flags -nostdlib -Wl,--gc-sections -Wl,-e,entry "$tmp/app.o" $objs \
	"$tmp/virtqueue_packed.o" -lgcc \
	-o "$tmp/app.elf"
# sum the sizes of the functions that came from the core objects
arm-none-eabi-nm $objs | awk '$2 ~ /^[Tt]$/ { print $3 }' | sort -u > "$tmp/names"
linked=$(arm-none-eabi-nm -S --radix=d "$tmp/app.elf" |
	awk 'NR == FNR { want[$1] = 1; next }
	     $3 ~ /^[Tt]$/ && ($4 in want) { s += $2 + 0 }
	     END { print s + 0 }' "$tmp/names" -)
printf '  %-24s %5d  (of it, linked by a minimal polling driver, --gc-sections)\n' \
	"linked core" "$linked"
