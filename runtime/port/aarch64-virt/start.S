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

	/* Exception vectors: IRQs at EL1 (entries 1 and 5: SP_EL0 and
	 * SP_ELx) are handled and return; every other entry reports and
	 * stops. */
	.macro	vector_entry index
	.balign	128
	mov	x0, #\index
	b	exception_common
	.endm

	.macro	irq_entry
	.balign	128
	b	irq_common
	.endm

	.balign	2048
vectors:
	vector_entry 0
	irq_entry
	vector_entry 2
	vector_entry 3
	vector_entry 4
	irq_entry
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

	/* Saves the registers a C call may change (the firmware is built
	 * with -mgeneral-regs-only, so no FP/SIMD state), and ELR/SPSR in
	 * case the handler takes an exception that returns. */
irq_common:
	sub	sp, sp, #192
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #160]
	str	x1, [sp, #176]
	bl	board_irq_entry
	ldr	x1, [sp, #176]
	ldp	x30, x0, [sp, #160]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x18, x29, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #192
	eret

	.ltorg
