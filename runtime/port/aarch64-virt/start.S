/*
 * Start-up for QEMU aarch64 `-M virt -cpu cortex-a57 -kernel fw.elf`: the
 * CPU enters at EL1 with the MMU and caches off. CPU 0 runs, others park.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	mrs	x9, mpidr_el1
	and	x9, x9, #0xffffff
	cbnz	x9, park
	ldr	x9, =__stack_top
	mov	sp, x9
	adr	x9, vectors
	msr	vbar_el1, x9
	/* Allow FP/SIMD at EL1/EL0 in case a library routine uses it. */
	mov	x9, #(3 << 20)
	msr	cpacr_el1, x9
	isb
	/* Zero .bss (bounds are 16-byte aligned by the linker script). */
	ldr	x9, =__bss_start
	ldr	x10, =__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	bl	board_start
park:
	wfe
	b	park

	/* Exception vectors: every entry reports and stops. */
	.macro	vector_entry index
	.balign	128
	mov	x0, #\index
	b	exception_common
	.endm

	.balign	2048
vectors:
	vector_entry 0
	vector_entry 1
	vector_entry 2
	vector_entry 3
	vector_entry 4
	vector_entry 5
	vector_entry 6
	vector_entry 7
	vector_entry 8
	vector_entry 9
	vector_entry 10
	vector_entry 11
	vector_entry 12
	vector_entry 13
	vector_entry 14
	vector_entry 15

exception_common:
	ldr	x9, =__stack_top
	mov	sp, x9
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	board_trap
	b	park

	.ltorg
