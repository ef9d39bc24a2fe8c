#!/usr/bin/env bash
# Installs, from Debian's archive only, whatever this project needs and the
# machine lacks. Idempotent: a second run installs nothing.
set -euo pipefail

packages=(
  cmake make gcc clang libclang-rt-14-dev libcmocka-dev valgrind
  python3 python3-jinja2 python3-yaml python3-kconfiglib linux-libc-dev
  gcc-riscv64-unknown-elf gcc-aarch64-linux-gnu gcc-arm-none-eabi
  qemu-system-misc qemu-system-arm
  qemu-system-common git scons mtools picolibc-riscv64-unknown-elf picolibc-aarch64-linux-gnu
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
