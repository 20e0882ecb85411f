"""Random well-formed Scheme programs for differential testing against the reference evaluator.

``program(seed)`` always makes the same program from the same seed.  Programs use closures,
recursion (bounded by a counter), tail loops (named let, do, nested do), shadowing (a small pool
of names reused at every level), set! on captured variables, rest arguments, apply, call/cc
escapes, vectors, lists and strings, and print each result with write.  They cannot fail and
do not depend on argument evaluation order: every set! is on a variable the same template
binds, and every side-effecting call stands in a sequence, never as an argument.
"""

from __future__ import annotations

import random

INT_NAMES = ["x", "y", "z", "n", "i", "a", "b", "acc"]
LIST_NAMES = ["xs", "ys", "l"]
PROC_NAMES = ["f", "g", "h"]


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.functions: list[tuple[str, int, bool]] = []  # top-level (name, required args, rest?)
        self.in_function = False
        self.repeated = 0  # > 0 while generating code that runs many times (loop bodies, lambdas)
        self.long_loops = 1  # long tail loops left for this program

    def pick(self, options: list) -> object:
        return self.rng.choice(options)

    def small(self) -> int:
        return self.rng.randint(1, 9)

    # ------------------------------------------------------------ integers
    def int_expr(self, scope: dict, depth: int) -> str:
        ints = [n for n, t in scope.items() if t == "int"]
        if depth <= 0 or self.rng.random() < 0.2:
            if ints and self.rng.random() < 0.7:
                return self.pick(ints)
            return str(self.rng.randint(-20, 40))
        makers = [self.arith, self.arith, self.if_int, self.cond_int, self.case_int, self.let_int, self.let_star_int,
                  self.letrec_int, self.named_let_int, self.do_int, self.nested_do_int, self.lambda_call,
                  self.counter, self.varargs, self.call_cc, self.when_int, self.local_proc, self.list_measure,
                  self.vector_int, self.string_int, self.internal_define, self.loop_closures,
                  self.do_set_captured, self.named_let_closures, self.shadow_primitive, self.vector_closure,
                  self.apply_lambda, self.symbol_case, self.even_odd]
        if self.functions:
            makers += [self.call_function, self.call_function]
        if any(t == "proc" for t in scope.values()):
            makers.append(self.call_local)
        return self.pick(makers)(scope, depth - 1)

    def arith(self, scope: dict, d: int) -> str:
        e = lambda: self.int_expr(scope, d)  # noqa: E731
        op = self.pick(["+", "-", "*", "quotient", "remainder", "modulo", "max", "min", "abs", "+3"])
        if op == "*":
            return f"(* {e()} {self.rng.randint(-3, 3)})"
        if op in ("quotient", "remainder", "modulo"):
            return f"({op} {e()} {self.pick([-7, -2, 3, 5, 10])})"
        if op == "abs":
            return f"(abs {e()})"
        if op == "+3":
            return f"(+ {e()} {e()} {e()})"
        return f"({op} {e()} {e()})"

    def bool_expr(self, scope: dict, d: int) -> str:
        e = lambda: self.int_expr(scope, d)  # noqa: E731
        kind = self.pick(["<", "=", ">=", "even?", "not", "and", "or", "null?", "equal?"])
        if kind in ("<", "=", ">="):
            return f"({kind} {e()} {e()})"
        if kind == "even?":
            return f"(even? {e()})"
        if kind == "not":
            return f"(not {self.bool_expr(scope, d - 1)})"
        if kind in ("and", "or"):
            return f"({kind} {self.bool_expr(scope, d - 1)} {self.bool_expr(scope, d - 1)})"
        if kind == "null?":
            return f"(null? {self.list_expr(scope, d)})"
        return f"(equal? {self.list_expr(scope, d)} {self.list_expr(scope, d)})"

    def if_int(self, scope: dict, d: int) -> str:
        return f"(if {self.bool_expr(scope, d)} {self.int_expr(scope, d)} {self.int_expr(scope, d)})"

    def cond_int(self, scope: dict, d: int) -> str:
        clauses = [f"({self.bool_expr(scope, d)} {self.int_expr(scope, d)})" for _ in range(self.rng.randint(1, 3))]
        if self.rng.random() < 0.3:
            clauses.append(f"((memv {self.int_expr(scope, d)} '(1 2 3)) => length)")
        return f"(cond {' '.join(clauses)} (else {self.int_expr(scope, d)}))"

    def case_int(self, scope: dict, d: int) -> str:
        return (f"(case (modulo {self.int_expr(scope, d)} 5) ((0 1) {self.int_expr(scope, d)}) "
                f"((2) {self.int_expr(scope, d)}) (else {self.int_expr(scope, d)}))")

    def repeat(self, make, *args: object) -> str:  # noqa: ANN001
        """``make(*args)``, for code that may run many times."""
        self.repeated += 1
        try:
            return make(*args)
        finally:
            self.repeated -= 1

    def bind(self, scope: dict, names: list[str], kind: str) -> dict:
        inner = dict(scope)
        for n in names:
            inner[n] = kind
        return inner

    def let_int(self, scope: dict, d: int) -> str:
        names = self.rng.sample(INT_NAMES, self.rng.randint(1, 3))
        inits = " ".join(f"({n} {self.int_expr(scope, d)})" for n in names)
        return f"(let ({inits}) {self.int_expr(self.bind(scope, names, 'int'), d)})"

    def let_star_int(self, scope: dict, d: int) -> str:
        parts, inner = [], scope
        for n in [self.pick(INT_NAMES) for _ in range(self.rng.randint(1, 3))]:
            parts.append(f"({n} {self.int_expr(inner, d)})")
            inner = self.bind(inner, [n], "int")
        return f"(let* ({' '.join(parts)}) {self.int_expr(inner, d)})"

    def letrec_int(self, scope: dict, d: int) -> str:
        f = self.pick(PROC_NAMES)
        inner = self.bind(self.bind(scope, ["n", "acc"], "int"), [f], "recursive")
        step = self.repeat(self.int_expr, inner, d)
        return (f"(letrec (({f} (lambda (n acc) (if (<= n 0) acc ({f} (- n 1) (+ acc {step})))))) "
                f"({f} {self.rng.randint(0, 12)} {self.int_expr(scope, d)}))")

    def named_let_int(self, scope: dict, d: int) -> str:
        name = self.pick(["loop", "lp", "f"])
        inner = self.bind(scope, ["i", "acc"], "int")
        inner.pop(name, None)  # the loop's own name is not a one-argument procedure here
        if self.in_function or self.repeated or not self.long_loops or self.rng.random() < 0.85:
            count, step = self.pick([3, 10, 25]), self.repeat(self.int_expr, inner, d)
        else:  # a long tail loop (once per program, never inside another), with a cheap step
            self.long_loops -= 1
            count, step = 1000, f"(* i {self.small()})"
        return (f"(let {name} ((i 0) (acc {self.int_expr(scope, d)})) "
                f"(if (>= i {count}) acc ({name} (+ i 1) (modulo (+ acc {step}) 100003))))")

    def do_int(self, scope: dict, d: int) -> str:
        inner = self.bind(scope, ["i", "acc"], "int")
        return (f"(do ((i 0 (+ i 1)) (acc {self.int_expr(scope, d)} (+ acc {self.repeat(self.int_expr, inner, d)}))) "
                f"((= i {self.rng.randint(0, 8)}) acc))")

    def nested_do_int(self, scope: dict, d: int) -> str:
        total = self.pick(["acc", "total", "x"])
        inner = self.bind(scope, [total, "i", "j"], "int")
        return (f"(let (({total} {self.int_expr(scope, d)})) "
                f"(do ((i 0 (+ i 1))) ((= i {self.rng.randint(0, 5)}) {total}) "
                f"(do ((j 0 (+ j 1))) ((= j {self.rng.randint(0, 5)})) "
                f"(set! {total} (+ {total} {self.repeat(self.int_expr, inner, d)})))))")

    def lambda_call(self, scope: dict, d: int) -> str:
        names = self.rng.sample(INT_NAMES, self.rng.randint(1, 3))
        args = " ".join(self.int_expr(scope, d) for _ in names)
        return f"((lambda ({' '.join(names)}) {self.int_expr(self.bind(scope, names, 'int'), d)}) {args})"

    def counter(self, scope: dict, d: int) -> str:
        c = self.pick(["c", "x", "n"])
        inner = self.bind(scope, ["d"], "int")
        bumps = " ".join(f"(bump {self.int_expr(scope, d)})" for _ in range(self.rng.randint(1, 3)))
        return (f"(let (({c} {self.int_expr(scope, d)})) (let ((bump (lambda (d) (set! {c} (+ {c} d "
                f"{self.int_expr(inner, d)})) {c}))) {bumps}))")

    def varargs(self, scope: dict, d: int) -> str:
        args = " ".join(self.int_expr(scope, d) for _ in range(self.rng.randint(1, 4)))
        if self.rng.random() < 0.5:
            return f"((lambda (a . rest) (+ a (length rest) (apply + rest))) {args})"
        return f"((lambda args (apply max 0 args)) {args})"

    def call_cc(self, scope: dict, d: int) -> str:
        return (f"(call/cc (lambda (k) (+ {self.int_expr(scope, d)} (if {self.bool_expr(scope, d)} "
                f"(k {self.int_expr(scope, d)}) {self.int_expr(scope, d)}))))")

    def when_int(self, scope: dict, d: int) -> str:
        v = self.pick(INT_NAMES)
        form = self.pick(["when", "unless"])
        inner = self.bind(scope, [v], "int")
        return (f"(let (({v} {self.int_expr(scope, d)})) ({form} {self.bool_expr(inner, d)} "
                f"(set! {v} (+ {v} {self.int_expr(inner, d)}))) {v})")

    def local_proc(self, scope: dict, d: int) -> str:
        f = self.pick(PROC_NAMES)
        body = self.repeat(self.int_expr, self.bind(scope, ["x"], "int"), d)
        return f"(let (({f} (lambda (x) {body}))) {self.int_expr(self.bind(scope, [f], 'proc'), d)})"

    def call_local(self, scope: dict, d: int) -> str:
        f = self.pick([n for n, t in scope.items() if t == "proc"])
        return f"({f} {self.int_expr(scope, d)})"

    def call_function(self, scope: dict, d: int) -> str:
        name, required, rest = self.pick(self.functions)
        extra = self.rng.randint(0, 2) if rest else 0
        return f"({name} {' '.join(self.int_expr(scope, d) for _ in range(required + extra))})"

    def list_measure(self, scope: dict, d: int) -> str:
        kind = self.pick(["length", "apply", "car", "fold"])
        if kind == "length":
            return f"(length {self.list_expr(scope, d)})"
        if kind == "apply":
            return f"(apply + {self.int_expr(scope, d)} {self.list_expr(scope, d)})"
        if kind == "car":
            return f"(car (cons {self.int_expr(scope, d)} {self.list_expr(scope, d)}))"
        return (f"(let loop ((l {self.list_expr(scope, d)}) (acc 0)) "
                f"(if (null? l) acc (loop (cdr l) (+ acc (car l)))))")

    def vector_int(self, scope: dict, d: int) -> str:
        items = " ".join(self.int_expr(scope, d) for _ in range(3))
        return f"(vector-ref (vector {items}) (modulo {self.int_expr(scope, d)} 3))"

    def string_int(self, scope: dict, d: int) -> str:
        suffix = self.pick(['""', '"ab"', '"λ"'])
        return f"(string-length (string-append (number->string {self.int_expr(scope, d)}) {suffix}))"

    def internal_define(self, scope: dict, d: int) -> str:
        """A body with internal definitions (one recursive, one shadowing a variable)."""
        v = self.pick(INT_NAMES)
        inner = self.bind(scope, [v], "int")
        body = self.repeat(self.int_expr, self.bind(inner, ["n"], "int"), d)
        outer = {n: t for n, t in scope.items() if n != v}  # the body's own v is not yet defined
        return (f"((lambda () (define {v} {self.int_expr(outer, d)}) "
                f"(define (walk n) (if (<= n 0) {v} (+ (walk (- n 1)) {body}))) "
                f"(walk {self.rng.randint(0, 6)})))")

    def loop_closures(self, scope: dict, d: int) -> str:
        """Closures made in a do loop: each sees its own iteration's variable."""
        body = self.repeat(self.int_expr, self.bind(scope, ["i"], "int"), d)
        return (f"(apply + (do ((i 0 (+ i 1)) (fs '() (cons (lambda () {body}) fs))) "
                f"((= i {self.rng.randint(0, 5)}) (map (lambda (f) (f)) fs))))")

    def do_set_captured(self, scope: dict, d: int) -> str:
        """set! of a do variable in the body, where a closure made in the body captured it."""
        step = self.repeat(self.int_expr, self.bind(scope, ["i", "acc"], "int"), d)
        return (f"(let ((keep '())) (do ((i 0 (+ i 1)) (acc {self.int_expr(scope, d)})) "
                f"((>= i {self.rng.randint(1, 6)}) (apply + acc (map (lambda (g) (g)) keep))) "
                f"(set! keep (cons (lambda () (+ i acc)) keep)) (set! acc (+ acc {step})) (set! i (+ i 1))))")

    def named_let_closures(self, scope: dict, d: int) -> str:
        """A named-let loop that collects closures over its variables, then calls them."""
        body = self.repeat(self.int_expr, self.bind(scope, ["i", "acc"], "int"), d)
        return (f"(let loop ((i 0) (acc 0) (fs '())) (if (= i {self.rng.randint(0, 5)}) "
                f"(apply + acc (map (lambda (f) (f)) fs)) "
                f"(loop (+ i 1) (+ acc i) (cons (lambda () {body}) fs))))")

    def shadow_primitive(self, scope: dict, d: int) -> str:
        """A local binding named like a primitive hides the primitive (the arguments are computed
        outside it, where loops' (+ i 1) still adds)."""
        name, value = self.pick([("max", "min"), ("abs", "-"), ("car", "cadr"), ("+", "*"), ("length", "car"),
                                 ("list", "vector")])
        use = {"max": "(max p1 p2)", "abs": "(abs p1)", "car": "(car (list p1 p2))", "+": "(+ p1 p2)",
               "length": "(length (list p1 2))", "list": "(vector-ref (list p1 p2) 1)"}[name]
        return (f"(let ((p1 {self.int_expr(scope, d)}) (p2 {self.int_expr(scope, d)})) "
                f"(let (({name} {value})) {use}))")

    def vector_closure(self, scope: dict, d: int) -> str:
        """A vector filled through a closure that captured it."""
        k = self.rng.randint(1, 5)
        body = self.repeat(self.int_expr, self.bind(scope, ["i"], "int"), d)
        return (f"(let* ((v (make-vector {k} 0)) (put! (lambda (i x) (vector-set! v i x)))) "
                f"(do ((i 0 (+ i 1))) ((= i {k})) (put! i {body})) (apply + (vector->list v)))")

    def apply_lambda(self, scope: dict, d: int) -> str:
        args = " ".join(self.int_expr(scope, d) for _ in range(self.rng.randint(0, 2)))
        inner = self.bind(scope, ["a"], "int") | {"r": "list"}
        return (f"(apply (lambda (a . r) {self.int_expr(inner, d)}) {self.int_expr(scope, d)} "
                f"(list {args}))")

    def symbol_case(self, scope: dict, d: int) -> str:
        key = self.pick(["'red", "'green", "(string->symbol \"blue\")", "(car '(green red))"])
        return (f"(case {key} ((red) {self.int_expr(scope, d)}) ((green blue) {self.int_expr(scope, d)}) "
                f"(else {self.int_expr(scope, d)}))")

    def even_odd(self, scope: dict, d: int) -> str:
        return (f"(letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1))))) "
                f"(od? (lambda (n) (if (= n 0) #f (ev? (- n 1)))))) "
                f"(if (ev? (abs (modulo {self.int_expr(scope, d)} 50))) {self.int_expr(scope, d)} "
                f"{self.int_expr(scope, d)}))")

    # ------------------------------------------------------------ lists
    def list_expr(self, scope: dict, d: int) -> str:
        lists = [n for n, t in scope.items() if t == "list"]
        if d <= 0 or self.rng.random() < 0.25:
            if lists and self.rng.random() < 0.6:
                return self.pick(lists)
            return self.pick(["'()", "'(1 2 3)", "'(5)", "(list 4 -2)"])
        e = lambda: self.int_expr(scope, d - 1)  # noqa: E731
        kind = self.pick(["list", "cons", "reverse", "append", "map", "build", "vector", "let", "cdr", "map2"])
        if kind == "list":
            return f"(list {' '.join(e() for _ in range(self.rng.randint(0, 3)))})"
        if kind == "cons":
            return f"(cons {e()} {self.list_expr(scope, d - 1)})"
        if kind == "reverse":
            return f"(reverse {self.list_expr(scope, d - 1)})"
        if kind == "append":
            return f"(append {self.list_expr(scope, d - 1)} {self.list_expr(scope, d - 1)})"
        if kind == "map":
            body = self.repeat(self.int_expr, self.bind(scope, ["x"], "int"), d - 1)
            return f"(map (lambda (x) {body}) {self.list_expr(scope, d - 1)})"
        if kind == "map2":
            # lists of one length: Guile's map rejects unequal ones
            return f"(let ((l {self.list_expr(scope, d - 1)})) (map + l (reverse l)))"
        if kind == "build":
            body = self.repeat(self.int_expr, self.bind(scope, ["i", "acc"], "int") | {"acc": "list"}, d - 1)
            return (f"(let loop ((i 0) (acc '())) (if (= i {self.rng.randint(0, 6)}) (reverse acc) "
                    f"(loop (+ i 1) (cons {body} acc))))")
        if kind == "vector":
            k = self.rng.randint(0, 5)
            body = self.repeat(self.int_expr, self.bind(scope, ["i"], "int"), d - 1)
            return (f"(let ((v (make-vector {k} 0))) (do ((i 0 (+ i 1))) ((= i {k}) (vector->list v)) "
                    f"(vector-set! v i {body})))")
        if kind == "let":
            n = self.pick(LIST_NAMES)
            return (f"(let (({n} {self.list_expr(scope, d - 1)})) "
                    f"{self.list_expr(self.bind(scope, [n], 'list'), d - 1)})")
        return f"(cdr (cons {e()} {self.list_expr(scope, d - 1)}))"

    # ------------------------------------------------------------ programs
    def define_function(self, index: int) -> str:
        name = f"fn{index}"
        kind = self.pick(["plain", "plain", "rest", "recursive", "closures", "mutual", "deep"])
        if kind == "closures":  # a self tail call (a loop) whose iterations' closures must stay apart
            inner = {"n": "int", "acc": "int"}
            body = self.repeat(self.int_expr, inner, 2)
            text = (f"(define ({name} n acc fs) (if (<= n 0) (apply + acc (map (lambda (f) (f)) fs)) "
                    f"(begin (set! acc (+ acc n)) ({name} (- n 1) acc (cons (lambda () {body}) fs)))))")
            self.functions.append((f"(lambda (n acc) ({name} (modulo n 8) acc '()))", 2, False))
            return text
        if kind == "mutual":  # two procedures calling each other in tail position
            other = f"{name}b"
            step = self.repeat(self.int_expr, {"n": "int", "acc": "int"}, 2)
            text = (f"(define ({name} n acc) (if (<= n 0) acc ({other} (- n 1) (+ acc {step}))))\n"
                    f"(define ({other} n acc) (if (<= n 0) (- acc) ({name} (- n 1) (* acc 2))))")
            self.functions.append((f"(lambda (n acc) ({name} (modulo n 12) acc))", 2, False))
            return text
        if kind == "deep":  # non-tail recursion a thousand calls deep
            text = (f"(define ({name} n acc) (if (<= n 0) acc (+ 1 ({name} (- n 1) acc))))")
            self.functions.append((f"(lambda (n acc) ({name} (+ 900 (modulo n 100)) acc))", 2, False))
            return text
        if kind == "recursive":
            inner = {"n": "int", "acc": "int"}
            step = self.int_expr(inner, 2)
            text = (f"(define ({name} n acc) (if (<= n 0) acc ({name} (- n 1) (+ acc {step}))))")
            self.functions.append((f"(lambda (n acc) ({name} (modulo n 15) acc))", 2, False))
            return text
        params = self.rng.sample(INT_NAMES, self.rng.randint(1, 3))
        scope = {p: "int" for p in params}
        if kind == "rest":
            scope["xs"] = "list"
            text = f"(define ({name} {' '.join(params)} . xs) {self.int_expr(scope, 3)})"
        else:
            text = f"(define ({name} {' '.join(params)}) {self.int_expr(scope, 3)})"
        self.functions.append((name, len(params), kind == "rest"))
        return text

    def program(self) -> str:
        self.in_function = True
        lines = [self.define_function(i) for i in range(self.rng.randint(0, 2))]
        self.in_function = False
        scope: dict = {}
        for i in range(self.rng.randint(0, 2)):
            name = f"g{i}"
            lines.append(f"(define {name} {self.int_expr(scope, 2)})")
            scope[name] = "int"
            if self.rng.random() < 0.3:
                lines.append(f"(set! {name} {self.int_expr(scope, 2)})")
        for _ in range(self.rng.randint(2, 4)):
            kind = self.pick(["int", "int", "list", "bool"])
            depth = self.rng.randint(2, 3)
            expr = {"int": self.int_expr, "list": self.list_expr, "bool": self.bool_expr}[kind](scope, depth)
            lines.append(f"(write {expr}) (newline)")
        return "\n".join(lines) + "\n"


def program(seed: int) -> str:
    """The program made from ``seed`` (the same one every time)."""
    return Generator(seed).program()
