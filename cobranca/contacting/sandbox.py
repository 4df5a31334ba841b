"""The message templates' sandbox and render budget: bounded output, bounded intermediate values, bounded time.

Jinja's sandbox stops attribute escapes but not a template that grows a string until memory runs out
(`{% set ns.s = ns.s ~ ns.s %}` 30 times is 1 GB). A render in a thread with a deadline cannot be killed, so the
budget is enforced at the source, before each allocation: every `~`, `+`, `*`, `%`, `**`, filter and method call
checks the size of what it is about to build, and every loop step and call checks the deadline.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

MAX_OUTPUT_CHARS = 50_000  # of a rendered message, and of any string or list built while rendering it
MAX_RENDER_SECONDS = 1.0  # per template render
MAX_RANGE = 1000
MAX_INT_BITS = 4096  # numbers beyond ~1200 digits are never a message's business
_BIG_NUMBER = re.compile(r"\d{6,}")  # a width/precision in a format string of a million or more

_deadline: ContextVar[float | None] = ContextVar("cobranca_template_deadline", default=None)


class TooBig(SecurityError):
    """A template asked for a huge string, list, number or loop."""


class TooSlow(SecurityError):
    """A template took longer than MAX_RENDER_SECONDS."""


@contextmanager
def budget(seconds: float = MAX_RENDER_SECONDS) -> Iterator[None]:
    """The time budget of one render (the size budget always applies)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TooSlow("time")


def _size(value) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict | set) else 0


def check_size(value):
    """`value`, unless it is a string or collection over the budget."""
    if _size(value) > MAX_OUTPUT_CHARS:
        raise TooBig("size")
    return value


def _check_int(value) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT_CHARS:
        raise TooBig("argument")


def _check_format(text) -> None:
    if isinstance(text, str) and _BIG_NUMBER.search(text):
        raise TooBig("format width")


def _check_args(args: tuple, kwargs: dict) -> None:
    """Before a call: no width or count over the budget, no format string with a huge width."""
    for value in (*args, *kwargs.values()):
        _check_int(value)


def _replace_estimate(text: str, old: str, new: str) -> int:
    count = len(text) + 1 if not old else text.count(old)
    return len(text) + count * max(0, len(new) - len(old))


def _precheck_method(obj, args: tuple) -> None:
    """Methods of str/list whose result size is known before they run (replace, join, format, extend)."""
    obj = getattr(obj, "__wrapped__", obj)  # Jinja wraps str.format/format_map (wrap_str_format)
    owner, name = getattr(obj, "__self__", None), getattr(obj, "__name__", "")
    if isinstance(owner, str):
        if name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
            if _replace_estimate(owner, args[0], args[1]) > MAX_OUTPUT_CHARS:
                raise TooBig("replace")
        elif name == "join" and args:
            items = list(args[0]) if not isinstance(args[0], str) else args[0]
            if sum(len(str(i)) for i in items) + len(owner) * max(0, len(items) - 1) > MAX_OUTPUT_CHARS:
                raise TooBig("join")
        elif name in ("format", "format_map"):
            _check_format(owner)
    elif isinstance(owner, list) and name in ("extend", "__iadd__") and args:
        if len(owner) + _size(args[0]) > MAX_OUTPUT_CHARS:
            raise TooBig("extend")


def _bounded_filter(func):
    """A built-in filter that refuses huge widths/counts before running and huge results after."""

    @functools.wraps(func)
    def bounded(*args, **kwargs):
        check_time()
        _check_args(args[1:], kwargs)
        if func.__name__ == "do_replace" and len(args) >= 4:
            value, old, new = (str(a) for a in args[1:4])
            if _replace_estimate(value, old, new) > MAX_OUTPUT_CHARS:
                raise TooBig("replace")
        if func.__name__ == "do_format" and len(args) >= 2:
            _check_format(args[0] if isinstance(args[0], str) else args[1])
        return check_size(func(*args, **kwargs))

    return bounded


def _bounded_iter(iterable: Iterable) -> Iterator:
    """A loop's iterable, checking the deadline at each step (nested loops of range(1000) are 10⁹ steps)."""
    for item in iterable:
        check_time()
        yield item


def _bounded_concat(value):
    check_time()
    return check_size(value)


class _Budgeted(NodeTransformer):
    """Wraps every loop's iterable and every `~` concatenation in the environment's budget checks."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter], [], None, None,
                               lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(nodes.EnvironmentAttribute("bounded_concat"), [node], [], None, None, lineno=node.lineno)


class Sandbox(SandboxedEnvironment):
    """The Jinja2 sandbox with the render budget: sizes checked before they are built, time checked as it goes."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    bounded_iter = staticmethod(_bounded_iter)
    bounded_concat = staticmethod(_bounded_concat)

    def __init__(self, **options):
        super().__init__(**options)
        self.filters = {name: _bounded_filter(func) for name, func in self.filters.items()}
        self.globals["range"] = small_range

    def _parse(self, source, name, filename):
        return _Budgeted().visit(super()._parse(source, name, filename))

    def call_binop(self, context, operator, left, right):
        check_time()
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(right) > 64 or abs(left) > 1 and left.bit_length() * abs(right) > MAX_INT_BITS:
                raise TooBig("power")
        if operator == "*":
            _precheck_repeat(left, right)
        if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT_CHARS:
            raise TooBig("concat")
        if operator == "%":
            _check_format(left)
        return check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        check_time()
        _check_args(args, kwargs)
        _precheck_method(__obj, args)
        result = super().call(__context, __obj, *args, **kwargs)
        check_size(getattr(__obj, "__self__", None))  # list.append in a loop
        return check_size(result)


def _precheck_repeat(left, right) -> None:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_OUTPUT_CHARS:
            raise TooBig("repeat")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise TooBig("product")


def small_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TooBig("range")
    return numbers
