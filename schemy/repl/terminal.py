"""The terminal front end of ``schemy repl``: a prompt-toolkit ``PromptSession`` in front of a ``Repl``.

Multi-line input that submits when the datum is complete, a persistent history, highlighting,
completion of bound names and of record field names, and bracket matching.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from schemy.lang.reader import is_complete
from schemy.repl.session import META_COMMANDS, Repl

_DELIMITERS = set("()[]\"';`,")
_SPECIAL_WORDS = set("""
    define define* define-public define-syntax define-record-type define-record-type* define-module
    define-configuration define-maybe lambda lambda* case-lambda let let* letrec letrec* let-values
    let*-values receive if cond case when unless and or begin do set! quote quasiquote unquote
    syntax-rules syntax-case with-syntax match match-lambda match-let guard parameterize use-modules
    delay else => service operating-system gexp ungexp
""".split())
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?\d+/\d+$|^#[xXbBoOdDeEiI]")


def scheme_fragments(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into (style class, text) fragments for highlighting."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    after_open = False
    if text.lstrip().startswith(","):
        m = re.match(r"\s*,\S*", text)
        assert m is not None
        out.append(("class:meta", m.group()))
        i = m.end()
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            j = i
            while j < n and text[j] in " \t\r\n":
                j += 1
            out.append(("", text[i:j]))
            i = j
            continue
        if c == ";":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(("class:comment", text[i:j]))
            i = j
        elif text.startswith("#|", i):
            j = text.find("|#", i + 2)
            j = n if j < 0 else j + 2
            out.append(("class:comment", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(("class:string", text[i:j]))
            i = j
        elif c in "()[]":
            out.append(("class:paren", c))
            i += 1
            after_open = c in "(["
            continue
        elif c in "'`," or text.startswith(("#~", "#$", "#+", "#;"), i):
            j = i + (2 if c == "#" else 1)
            if text.startswith("@", j):
                j += 1
            out.append(("class:quote", text[i:j]))
            i = j
            continue
        else:
            j = i
            if text.startswith("#\\", i):
                j = i + 3
            while j < n and text[j] not in _DELIMITERS and text[j] not in " \t\r\n":
                j += 1
            word = text[i:j]
            if word.startswith("#\\"):
                style = "class:char"
            elif word.startswith("#:") or (word.endswith(":") and len(word) > 1):
                style = "class:keyword"
            elif word in ("#t", "#f", "#true", "#false"):
                style = "class:constant"
            elif _NUMBER.match(word):
                style = "class:number"
            elif after_open and word in _SPECIAL_WORDS:
                style = "class:special"
            elif word.startswith("$") and word[1:].isdigit():
                style = "class:history"
            else:
                style = "class:name"
            out.append((style, word))
            i = j
        after_open = False
    return out


REPL_STYLE = {
    "comment": "italic #7f7f7f",
    "string": "#3a9a3a",
    "char": "#3a9a3a",
    "number": "#b5651d",
    "constant": "#b5651d",
    "keyword": "#a0529a",
    "special": "bold #3465a4",
    "quote": "#c4a000",
    "meta": "bold #a0529a",
    "history": "#06989a",
    "prompt": "bold",
}


def make_lexer() -> Any:
    from prompt_toolkit.lexers import Lexer

    class SchemeLexer(Lexer):
        """Highlights Scheme (comments, strings, numbers, keywords, special forms)."""

        def lex_document(self, document: Any) -> Callable[[int], list[tuple[str, str]]]:
            lines: list[list[tuple[str, str]]] = [[]]
            for style, text in scheme_fragments(document.text):
                pieces = text.split("\n")
                for k, piece in enumerate(pieces):
                    if k:
                        lines.append([])
                    if piece:
                        lines[-1].append((style, piece))

            def get_line(lineno: int) -> list[tuple[str, str]]:
                return lines[lineno] if 0 <= lineno < len(lines) else []

            return get_line

    return SchemeLexer()


class _Frame:
    __slots__ = ("col", "head", "items", "first_arg_col", "line")

    def __init__(self, col: int, line: int) -> None:
        self.col = col
        self.line = line
        self.head: str | None = None
        self.items = 0
        self.first_arg_col: int | None = None


def _scan(text: str) -> tuple[list[_Frame], bool]:
    """The open lists at the end of ``text`` (outermost first) and whether it ends inside a string."""
    stack: list[_Frame] = []
    i, n = 0, len(text)
    line, line_start = 0, 0

    def atom(word: str, col: int) -> None:
        if stack:
            frame = stack[-1]
            if frame.items == 0:
                frame.head = word
            elif frame.items == 1 and frame.first_arg_col is None and line == frame.line:
                frame.first_arg_col = col
            frame.items += 1

    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            line_start = i + 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == ";":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("#|", i):
            j = text.find("|#", i + 2)
            if j < 0:
                return stack, True
            line += text.count("\n", i, j)
            k = text.rfind("\n", i, j)
            if k >= 0:
                line_start = k + 1
            i = j + 2
        elif c == '"':
            col = i - line_start
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return stack, True
            line += text.count("\n", i, j)
            k = text.rfind("\n", i, j)
            if k >= 0:
                line_start = k + 1
            atom('""', col)
            i = j + 1
        elif c in "([":
            atom("(", i - line_start)
            stack.append(_Frame(i - line_start, line))
            i += 1
        elif c in ")]":
            if stack:
                stack.pop()
            i += 1
        elif c in "'`,":
            i += 1
            if i < n and text[i] == "@":
                i += 1
        elif text.startswith(("#~", "#$", "#+"), i):
            i += 2
            if i < n and text[i] == "@":
                i += 1
        else:
            j = i + (3 if text.startswith("#\\", i) else 0)
            while j < n and text[j] not in _DELIMITERS and text[j] not in " \t\r\n":
                j += 1
            atom(text[i:j], i - line_start)
            i = max(j, i + 1)
    return stack, False


def indentation(text: str) -> int:
    """How far to indent a new line typed after ``text`` (0 inside a string)."""
    stack, in_string = _scan(text)
    if in_string or not stack:
        return 0
    frame = stack[-1]
    head = frame.head
    if head is None or head == "(" or head in _SPECIAL_WORDS \
            or head.startswith(("define", "with-", "call-with")):
        return frame.col + (1 if head == "(" else 2)
    if frame.first_arg_col is not None:
        return frame.first_arg_col
    return frame.col + 2


_WORD_AT_END = re.compile(r"[^\s()\[\]\"';`,]*$")


def make_completer(repl: Repl) -> Any:
    from prompt_toolkit.completion import Completer, Completion

    class SchemeCompleter(Completer):
        """Bound names of the current module; field names inside ``(TYPE (``; meta-command names."""

        def get_completions(self, document: Any, complete_event: Any) -> Iterator[Any]:
            text = document.text_before_cursor
            stripped = text.lstrip()
            if stripped.startswith(",") and not re.search(r"\s", stripped):
                word = stripped[1:]
                for name in META_COMMANDS:
                    if name.startswith(word):
                        yield Completion(name, -len(word), display_meta=META_COMMANDS[name][1])
                return
            m = _WORD_AT_END.search(text)
            word = m.group() if m else ""
            before = text[: len(text) - len(word)]
            stack, in_string = _scan(before)
            if in_string:
                return
            if len(stack) >= 2 and stack[-1].items == 0 and before.endswith(("(", "[")):
                ctor = stack[-2].head
                if ctor and ctor != "(":
                    fields = repl.describer.field_completions(ctor)
                    if fields:
                        for name, meta in fields:
                            if name.startswith(word):
                                yield Completion(name, -len(word), display_meta=meta)
                        return
            if not word:
                return
            for name in sorted(repl.describer.visible_bindings()):
                if name.startswith(word):
                    yield Completion(name, -len(word))

    return SchemeCompleter()


def history_path() -> Path:
    """``$XDG_STATE_HOME/schemy/repl-history`` (default ``~/.local/state/schemy/repl-history``)."""
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "schemy" / "repl-history"


def _key_bindings() -> Any:
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    @kb.add("enter")
    def _enter(event: Any) -> None:
        buf = event.current_buffer
        if buf.complete_state is not None and buf.complete_state.current_completion is not None:
            buf.complete_state = None  # Enter in the completion menu accepts the choice
            return
        text = buf.text
        after = buf.document.text_after_cursor
        if not text.strip() or (not after.strip() and is_complete(text)):
            buf.validate_and_handle()
        else:
            buf.insert_text("\n" + " " * indentation(buf.document.text_before_cursor))

    @kb.add("escape", "enter")
    def _newline(event: Any) -> None:
        buf = event.current_buffer
        buf.insert_text("\n" + " " * indentation(buf.document.text_before_cursor))

    return kb


def make_session(repl: Repl, history: Path | None = None) -> Any:
    """The prompt-toolkit session of the interactive REPL (input/output from the current app session)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, History, InMemoryHistory
    from prompt_toolkit.layout.processors import HighlightMatchingBracketProcessor
    from prompt_toolkit.styles import Style

    path = history if history is not None else history_path()
    hist: History
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        hist = FileHistory(str(path))
    except OSError:
        hist = InMemoryHistory()

    def continuation(width: int, line_number: int, is_soft_wrap: bool) -> str:
        return " " * width

    return PromptSession(
        multiline=True,
        key_bindings=_key_bindings(),
        lexer=make_lexer(),
        completer=make_completer(repl),
        complete_while_typing=False,
        history=hist,
        style=Style.from_dict(REPL_STYLE),
        input_processors=[HighlightMatchingBracketProcessor(chars="()[]")],
        prompt_continuation=continuation,
        enable_history_search=False,
    )


def run_interactive(repl: Repl, session: Any = None, banner: bool = True) -> int:
    """Prompt, evaluate and print until ``,quit`` or Ctrl-D; the exit code."""
    if session is None:
        session = make_session(repl)
    if banner:
        from schemy.lang.resources import VERSION as __version__

        repl.say(f"schemy {__version__}: a Guile-compatible Scheme.\nEnter `,help' for help.")
    while True:
        try:
            text = session.prompt(lambda: [("class:prompt", repl.prompt())])
        except KeyboardInterrupt:
            continue
        except EOFError:
            repl.say()
            return 0
        try:
            code = repl.handle(text)
        except KeyboardInterrupt:
            repl.say("error: User interrupt")
            continue
        if code is not None:
            return code
