# Toolchain file: bare-metal aarch64 (QEMU -M virt) with Debian's
# aarch64-linux-gnu-gcc used freestanding. No C library; libgcc only.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(VIRTIO_CROSS_PREFIX "aarch64-linux-gnu-" CACHE STRING "Cross compiler prefix")
set(CMAKE_C_COMPILER "${VIRTIO_CROSS_PREFIX}gcc")
set(CMAKE_ASM_COMPILER "${VIRTIO_CROSS_PREFIX}gcc")
set(CMAKE_OBJCOPY "${VIRTIO_CROSS_PREFIX}objcopy" CACHE FILEPATH "")
set(CMAKE_SIZE "${VIRTIO_CROSS_PREFIX}size" CACHE FILEPATH "")

# The MMU stays off, so all memory is Device memory: no unaligned accesses
# (-mstrict-align) and no FP/SIMD registers in compiler-generated code.
# -mno-outline-atomics: the out-of-line helpers need the C library.
set(_virtio_arch "-mgeneral-regs-only -mstrict-align -mno-outline-atomics")
set(CMAKE_C_FLAGS_INIT "${_virtio_arch} -ffreestanding -fno-common -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "-fno-pie")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none")
set(CMAKE_C_STANDARD_LIBRARIES "-lgcc")

# No C library to link a test program against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
