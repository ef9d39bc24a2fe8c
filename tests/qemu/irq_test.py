#!/usr/bin/python3
"""Interrupt-driven operation in QEMU: boots selftest-irq.elf (the self-test
firmware built with SELFTEST_IRQ=1, see firmware/selftest_irq.c) with one
blk, one net, one console and one rng device and a QMP socket, and takes the
host's turns:

  READY irq blk<i> resize capacity=<n>  -> QMP block_resize to 2 * n + 2048
                                           sectors; the firmware must report
                                           exactly that (IRQ blk<i> resized)
  READY irq net<i> link-down|link-up    -> QMP set_link; the firmware must
                                           report link=0, then link=1
  READY irq console<i> input            -> "irq-ping\n" into port 0's pipe;
                                           the firmware answers "irq-pong"

Passes only if the firmware exits 0 with no FAIL line, every expected
RESULT line passed (irq-rw with and without EVENT_IDX, irq-blocking,
irq-resize, irq-resize-read, irq-link, console irq-read, rng irq-read), the console's output log holds "irq-pong",
and every IRQ blk line counts IRQ_REQS requests completed by at least
one interrupt. Prints the interrupts-per-request table (queue
depth 1 and 8) with --bench.

    tests/qemu/irq_test.py --arch riscv64 --mode legacy \\
        --firmware build/tests/qemu/firmware-riscv64/selftest-irq.elf
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import interact  # noqa: E402

IRQ_REQS = 64  # firmware/selftest_irq.c
IMAGE_BYTES = 4 * 1024 * 1024
READY_RE = re.compile(r"^READY irq (blk|net|console)(\d+) (\S+)(?: capacity=(\d+))?")
IRQ_BLK_RE = re.compile(r"^IRQ blk(\d+) op=")
RESIZED_RE = re.compile(r"^IRQ blk(\d+) resized capacity=(\d+)")
LINK_RE = re.compile(r"^IRQ net(\d+) link=(\d)")


def host_turn(qmp, m, state):
    """One READY line: resize the drive or flip the link over QMP."""
    kind, what = m.group(1), m.group(3)
    if kind == "blk" and what == "resize":
        new = 2 * int(m.group(4)) + 2048
        state["resized_to"] = new
        qmp.execute("block_resize", {"device": "irqdrv", "size": new * 512})
    elif kind == "net" and what in ("link-down", "link-up"):
        qmp.execute("set_link", {"name": "irqnet", "up": what == "link-up"})
        state["links"].append(what)
    elif kind == "console" and what == "input":
        os.write(state["con_in"], b"irq-ping\n")
        state["con_input"] = True
    else:
        raise harness.QMPError("unknown READY line: %s" % m.group(0))


def run(args, tmp):
    board = harness.BOARDS[args.arch]
    image = os.path.join(tmp, "irq.img")
    with open(image, "wb") as f:
        f.truncate(IMAGE_BYTES)
    sock = os.path.join(tmp, "qmp.sock")
    con = os.path.join(tmp, "con")
    for end in (".in", ".out"):
        os.mkfifo(con + end)
    # O_RDWR: neither side blocks on open; QEMU reads .in, writes .out.
    fds = [os.open(con + end, os.O_RDWR | os.O_NONBLOCK) for end in (".in", ".out")]
    cmd = [args.qemu or board["qemu"]] + board["args"] + harness.COMMON_ARGS
    cmd += ["-kernel", args.firmware, "-qmp", "unix:%s,server=on,wait=off" % sock]
    if args.mode == "modern":
        cmd += ["-global", "virtio-mmio.force-legacy=false"]
    cmd += ["-drive", "if=none,id=irqdrv,format=raw,file=%s" % image,
            "-device", "virtio-blk-device,drive=irqdrv,serial=irq,bus=virtio-mmio-bus.0",
            "-netdev", "user,id=irqn,restrict=on",
            "-device", "virtio-net-device,netdev=irqn,id=irqnet,bus=virtio-mmio-bus.1",
            "-chardev", "pipe,id=irqcon,path=%s,logfile=%s.log" % (con, con),
            "-device", "virtio-serial-device,id=irqser,max_ports=1,bus=virtio-mmio-bus.2",
            "-device", "virtconsole,chardev=irqcon,bus=irqser.0,nr=0",
            "-device", "virtio-rng-device,bus=virtio-mmio-bus.3"]
    if args.verbose:
        print("irq_test: " + " ".join(cmd))
    state = {"resized_to": None, "links": [], "errors": [], "con_in": fds[0],
             "con_input": False}
    deadline = time.monotonic() + args.timeout
    timed_out = False
    with open(os.path.join(tmp, "qemu.stderr"), "w+b") as errf:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=errf, start_new_session=True)
        serial = interact.Console(proc.stdout)
        qmp = None
        try:
            try:
                qmp = harness.QMP(sock).connect(wait=5.0)
            except (harness.QMPError, OSError) as e:
                state["errors"].append("qmp: %s" % e)
            while True:
                line = serial.read_line(deadline)
                if line is None:
                    timed_out = not serial.eof
                    break
                m = READY_RE.match(line)
                if m and qmp is not None:
                    try:
                        host_turn(qmp, m, state)
                    except harness.QMPError as e:
                        state["errors"].append("qmp: %s" % e)
            if not timed_out:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    timed_out = True
        finally:
            if qmp is not None:
                qmp.close()
            if proc.poll() is None:
                harness.kill_group(proc)
                proc.wait()
            proc.stdout.close()
        text = serial.text()
        errf.seek(0)
        err = errf.read().decode("utf-8", "replace")
    for fd in fds:
        os.close(fd)
    try:
        with open(con + ".log", "r", errors="replace") as f:
            state["con_log"] = f.read()
    except OSError:
        state["con_log"] = ""
    return proc.returncode, text, err, timed_out, state


def check(status, out, timed_out, state):
    """Reasons the run failed (empty: passed) and the IRQ blk lines."""
    reasons = list(state["errors"])
    lines = [ln.rstrip("\r") for ln in out.splitlines()]
    results, blk_lines, resized, links = {}, [], None, []
    for ln in lines:
        m = re.match(r"^RESULT (\S+) (\S+) (PASS|FAIL)", ln)
        if m:
            results[(m.group(1), m.group(2))] = m.group(3)
            if m.group(3) == "FAIL":
                reasons.append("FAIL line: " + ln)
        if ln.startswith("CRASH"):
            reasons.append("crash: " + ln)
        if IRQ_BLK_RE.match(ln):
            blk_lines.append(dict(harness.KV_RE.findall(ln)))
        m = RESIZED_RE.match(ln)
        if m:
            resized = int(m.group(2))
        m = LINK_RE.match(ln)
        if m:
            links.append(int(m.group(2)))
    if timed_out:
        reasons.append("timeout")
    elif status != 0:
        reasons.append("exit status %s" % status)
    for key in [("blk0", "irq-rw"), ("blk0", "irq-blocking"), ("blk0", "irq-resize"),
                ("blk0", "irq-resize-read"), ("net0", "irq-link"), ("console0", "irq-read"),
                ("rng0", "irq-read")]:
        if results.get(key) != "PASS":
            reasons.append("missing expected result: RESULT %s %s PASS" % key)
    # irq-rw runs twice (EVENT_IDX off, then on): 2 x (depth 1, 8) x (write, read)
    if len(blk_lines) != 8:
        reasons.append("expected 8 IRQ blk lines, got %d" % len(blk_lines))
    for kv in blk_lines:
        if int(kv.get("requests", -1)) != IRQ_REQS or int(kv.get("interrupts", 0)) < 1:
            reasons.append("IRQ blk line without interrupt-completed requests: %r" % kv)
        if int(kv.get("wakeups", 0)) > int(kv.get("interrupts", 0)):
            reasons.append("more wake-ups than interrupts: %r" % kv)
    if state["resized_to"] is None:
        reasons.append("the firmware never asked for block_resize")
    elif resized != state["resized_to"]:
        reasons.append("capacity after block_resize: firmware says %s, QEMU has %d"
                       % (resized, state["resized_to"]))
    if not state["con_input"]:
        reasons.append("the firmware never asked for console input")
    elif "irq-pong" not in state.get("con_log", ""):
        reasons.append("console output lacks irq-pong: %r" % state.get("con_log", "")[:200])
    if state["links"] != ["link-down", "link-up"] or links != [0, 1]:
        reasons.append("set_link down/up: host did %r, firmware saw link=%r"
                       % (state["links"], links))
    return reasons, blk_lines


def print_table(arch, mode, blk_lines):
    print("%s %s: interrupts per request, %d requests of 4 KiB per run"
          % (arch, mode, IRQ_REQS))
    print("%-6s %9s %6s %11s %10s %9s" % ("op", "event_idx", "depth", "interrupts",
                                          "wake-ups", "irq/req"))
    for kv in blk_lines:
        print("%-6s %9s %6s %11s %10s %9.2f"
              % (kv["op"], kv["event_idx"], kv["depth"], kv["interrupts"], kv["wakeups"],
                 int(kv["interrupts"]) / float(kv["requests"])))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", choices=sorted(harness.BOARDS), required=True)
    p.add_argument("--firmware", required=True, help="selftest-irq.elf")
    p.add_argument("--mode", choices=["legacy", "modern"], default="modern")
    p.add_argument("--qemu", help="QEMU binary (default: qemu-system-<arch>)")
    p.add_argument("--timeout", type=float, default=90.0)
    p.add_argument("--bench", action="store_true", help="print the interrupts table")
    p.add_argument("--expect-failure", metavar="REGEX",
                   help="pass only if the run fails with a reason matching REGEX")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="virtio-irq-")
    try:
        status, out, err, timed_out, state = run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for ln in out.splitlines():
        ln = ln.rstrip("\r")
        if args.verbose or ln.startswith(("IRQ", "READY", "RESULT blk0 irq",
                                          "RESULT net0 irq", "RESULT console0 irq", "RESULT rng0 irq", "FAIL", "CRASH")) \
                or " FAIL " in ln:
            print(ln)
    reasons, blk_lines = check(status, out, timed_out, state)
    if args.bench and blk_lines:
        print()
        print_table(args.arch, args.mode, blk_lines)
    if args.expect_failure is not None:
        hit = [r for r in reasons if re.search(args.expect_failure, r)]
        print("irq_test: expected failure %s: %r" % ("seen" if hit else "NOT seen", reasons))
        return 0 if hit else 1
    if reasons:
        print("irq_test: FAILED\n  " + "\n  ".join(reasons))
        if err.strip():
            print(err)
        return 1
    print("irq_test: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
