/*
 * Start-up for QEMU riscv64 `-M virt -bios none`: every hart enters here in
 * M-mode at 0x80000000 with a0 = hart id. Hart 0 runs, the others park.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	csrr	t0, mhartid
	bnez	t0, park
	la	t0, trap_entry
	csrw	mtvec, t0
	la	sp, __stack_top
	/* Zero .bss (bounds are 16-byte aligned by the linker script). */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	board_start
park:
	wfi
	j	park

	/* Direct-mode trap vector. An exception reports and stops on a fresh
	 * stack (the old one may be the problem). An interrupt saves the
	 * registers a C call may change on the interrupted stack, runs
	 * board_irq_entry (plic.c) and returns. mcause's interrupt bit is
	 * its sign bit. */
	.balign	4
trap_entry:
	csrw	mscratch, t0
	csrr	t0, mcause
	bltz	t0, irq_entry
	la	sp, __stack_top
	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	call	board_trap
	j	park

irq_entry:
	csrr	t0, mscratch
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	t3, 32(sp)
	sd	t4, 40(sp)
	sd	t5, 48(sp)
	sd	t6, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	csrr	a0, mcause
	call	board_irq_entry
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	t3, 32(sp)
	ld	t4, 40(sp)
	ld	t5, 48(sp)
	ld	t6, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	a6, 112(sp)
	ld	a7, 120(sp)
	addi	sp, sp, 128
	mret
