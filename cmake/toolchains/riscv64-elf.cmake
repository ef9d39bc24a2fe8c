# Toolchain file: bare-metal riscv64 (QEMU -M virt) with Debian's
# riscv64-unknown-elf-gcc. Freestanding, no C library; libgcc only.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)

set(VIRTIO_CROSS_PREFIX "riscv64-unknown-elf-" CACHE STRING "Cross compiler prefix")
set(CMAKE_C_COMPILER "${VIRTIO_CROSS_PREFIX}gcc")
set(CMAKE_ASM_COMPILER "${VIRTIO_CROSS_PREFIX}gcc")
set(CMAKE_OBJCOPY "${VIRTIO_CROSS_PREFIX}objcopy" CACHE FILEPATH "")
set(CMAKE_SIZE "${VIRTIO_CROSS_PREFIX}size" CACHE FILEPATH "")

# _zicsr: csr instructions; medany: code and data above 2 GiB (RAM at 0x80000000).
set(_virtio_arch "-march=rv64imac_zicsr -mabi=lp64 -mcmodel=medany")
set(CMAKE_C_FLAGS_INIT "${_virtio_arch} -ffreestanding -fno-common -fno-stack-protector -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${_virtio_arch}")
# Linking repeats -march without _zicsr: gcc picks the libgcc multilib by
# the last -march, and "rv64imac_zicsr" matches none, which silently links
# the rv64gc/lp64d libgcc ("can't link double-float modules with
# soft-float modules" as soon as a libgcc routine such as __ctzsi2 is used).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-march=rv64imac -mabi=lp64 -mcmodel=medany -nostdlib -static -Wl,--gc-sections -Wl,--build-id=none")
set(CMAKE_C_STANDARD_LIBRARIES "-lgcc")

# No C library to link a test program against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
