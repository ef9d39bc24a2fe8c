"""Command line: python3 -m generator [--check] [--out DIR], and
python3 -m generator export ... (generator/export/cli.py)."""
import argparse
import glob
import os
import sys
import time

from . import output
from .errors import SpecError, SpecErrors
from .loader import load
from .render import render
from .validate import Validator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

EXIT_OK, EXIT_DIFFERENT, EXIT_INVALID, EXIT_USAGE = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 3: 2 means an invalid spec."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")

DESCRIPTION = """\
Render the VirtIO description in spec/ into C headers, accessor code, a
layout test and a reference document.

Without options, validates spec/ and replaces generated/ with a fresh
render. Writing is all-or-nothing: on any error generated/ is left as it was.

exit status:
  0  rendered, or (--check) generated/ is byte-identical to a fresh render
  1  (--check) generated/ differs; the unified diff is printed
  2  the spec is invalid: each problem is printed as file:line: message
  3  wrong command line

subcommand:
  export   a vendorable copy for an RTOS tree (python3 -m generator export --help)

From any folder: scripts/generator (picks a Python with Jinja2 and PyYAML).
"""
USAGE = ("%(prog)s [-h] [--check] [--out DIR] [--spec DIR] [-q]\n"
         "       %(prog)s export --dest DIR [options]")


def spec_files(spec_dir):
    """Top-level files first, then devices/, each in name order: a stable order."""
    paths = glob.glob(os.path.join(spec_dir, "**", "*.yaml"), recursive=True)
    return sorted(paths, key=lambda p: (os.path.relpath(p, spec_dir).count(os.sep), p))


def load_spec(spec_dir):
    documents = []
    errors = []
    base = os.path.dirname(os.path.abspath(spec_dir))
    for path in spec_files(spec_dir):
        rel = os.path.relpath(path, base).replace(os.sep, "/")
        try:
            with open(path, encoding="utf-8") as fh:
                documents.append((rel, load(rel, fh.read())))
        except SpecError as exc:
            errors.append(exc)
        except UnicodeDecodeError as exc:
            errors.append(SpecError(rel, 1, f"not UTF-8 text: {exc.reason}"))
        except OSError as exc:  # a folder or a broken link named *.yaml
            errors.append(SpecError(rel, 1, f"cannot read: {exc.strerror}"))
    if not documents and not errors:
        errors.append(SpecError(os.path.relpath(spec_dir, base), 1, "no *.yaml files"))
    if errors:
        raise SpecErrors(errors)
    return Validator().run(documents)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["export"]:
        return _export(argv[1:])
    parser = Parser(prog="python3 -m generator", description=DESCRIPTION, usage=USAGE,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; compare the output folder with a fresh render")
    parser.add_argument("--out", metavar="DIR", default=os.path.join(ROOT, "generated"),
                        help="output folder (default: generated/ of the project)")
    parser.add_argument("--spec", metavar="DIR", default=os.path.join(ROOT, "spec"),
                        help="spec folder (default: spec/ of the project)")
    parser.add_argument("--templates", metavar="DIR", default=os.path.join(ROOT, "templates"),
                        help=argparse.SUPPRESS)
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        spec = load_spec(args.spec)
    except SpecErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"generator: {len(exc.errors)} problem(s) in the spec; nothing written",
              file=sys.stderr)
        return EXIT_INVALID
    rendered = render(spec, args.templates)

    label = os.path.basename(os.path.normpath(args.out))
    if args.check:
        text = output.diff(rendered, args.out, label)
        if text:
            sys.stdout.write(text)
            print(f"generator: {args.out} is out of date; run python3 -m generator",
                  file=sys.stderr)
            return EXIT_DIFFERENT
        if not args.quiet:
            print(f"generator: {args.out} is up to date ({len(rendered)} files)")
        return EXIT_OK

    output.write_tree(rendered, args.out)
    if not args.quiet:
        ms = (time.perf_counter() - started) * 1000
        print(f"generator: wrote {len(rendered)} files to {args.out} in {ms:.0f} ms")
    return EXIT_OK


def _export(argv):
    """The export subcommand (generator/export/cli.py)."""
    from .export import cli as export_cli

    return export_cli.main(argv, ROOT, load_spec, os.path.join(ROOT, "spec"),
                           os.path.join(ROOT, "templates"))
