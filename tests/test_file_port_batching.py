"""A file output port keeps written text and encodes it in batches (schemy.runtime.ports.port,
open_file_port): bytes, flushes, closes and encoding changes must still see the text in the
order it was written.  Answers are Guile 3.0.8's."""

from __future__ import annotations

from pathlib import Path

from schemy.app import Interpreter
from schemy.lang.printer import write_string


def _run(tmp_path: Path, body: str) -> str:
    f = tmp_path / "out.txt"
    program = f'(use-modules (rnrs bytevectors) (rnrs io ports)) (define f "{f}") {body}'
    return write_string(Interpreter().eval_string(program))


def test_bytes_written_between_characters_keep_their_place(tmp_path: Path) -> None:
    assert _run(tmp_path, """
      (call-with-output-file f (lambda (p) (write-char #\\a p) (put-bytevector p #vu8(66)) (write-char #\\c p)))
      (call-with-input-file f get-string-all)""") == '"aBc"'


def test_force_output_writes_every_pending_character(tmp_path: Path) -> None:
    assert _run(tmp_path, """
      (define p (open-output-file f))
      (let loop ((i 0)) (when (< i 5000) (write-char (integer->char (+ 97 (modulo i 26))) p) (loop (+ i 1))))
      (force-output p)
      (let ((n (string-length (call-with-input-file f get-string-all)))) (close-port p) n)""") == "5000"


def test_text_keeps_the_encoding_it_was_written_under(tmp_path: Path) -> None:
    assert _run(tmp_path, """
      (define p (open-output-file f))
      (set-port-encoding! p "UTF-8") (write-char #\\xe9 p)
      (set-port-encoding! p "ISO-8859-1") (write-char #\\xe9 p)
      (close-port p)
      (call-with-input-file f get-bytevector-all #:binary #t)""") == "#vu8(195 169 233)"


def test_column_is_tracked_by_write_char(tmp_path: Path) -> None:
    assert _run(tmp_path, """
      (call-with-output-file f
        (lambda (p)
          (write-char #\\a p) (write-char #\\b p)
          (let ((c (port-column p))) (newline p) (list c (port-column p) (port-line p)))))""") == "(2 0 1)"
