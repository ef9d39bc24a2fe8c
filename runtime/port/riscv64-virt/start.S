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

	/* Direct-mode trap vector: report and stop. */
	.balign	4
trap_entry:
	la	sp, __stack_top
	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	call	board_trap
	j	park
