"""Generate golden reference fixtures for the structlog-ts renderers.

The fixtures are produced by *real* Python structlog 26.1.0 so that the
TypeScript ConsoleRenderer, KeyValueRenderer and LogfmtRenderer can be tested
against Python's exact layout (column order, padding, key sorting,
key_order/drop_missing, quoting decisions, escaping).

structlog-ts deliberately writes *values* in JavaScript notation: wherever
Python would print ``repr(value)``, structlog-ts prints what Node's
``util.inspect(value, { breakLength: Infinity, compact: true })`` prints.  To
get that from Python, this script shadows the builtin ``repr`` inside the
``structlog.dev`` and ``structlog.processors`` modules with ``js_inspect`` (a
Python re-implementation of util.inspect for JSON-compatible values) while the
renderers are constructed and called.  Python's own logic for *when* to call
``repr`` (``repr_native_str``, ConsoleRenderer's quote-on-whitespace rule, ...)
is therefore used unchanged.  Every value formatted that way is cross-checked
against real ``node`` (``util.inspect``) at the end of the run, and the script
fails loudly on any mismatch, so the fixtures are always verified.

Run it from the repository root (needs ``node`` on PATH)::

    python -m venv .venv && .venv/bin/pip install structlog==26.1.0 && .venv/bin/python scripts/structlog-reference.py

Offline, install from the local wheel cache instead::

    .venv/bin/pip install --no-index --find-links /opt/pypi/files structlog==26.1.0

Output: packages/core/test/fixtures/structlog-reference.json -- a JSON array of
``{name, renderer, options, eventDict, expected}`` cases (2-space indented).
``options`` use the TypeScript camelCase option names.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import structlog
import structlog.dev
import structlog.processors

EXPECTED_STRUCTLOG_VERSION = "26.1.0"

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "packages" / "core" / "test" / "fixtures" / "structlog-reference.json"

# ---------------------------------------------------------------------------
# js_inspect: util.inspect(value, { breakLength: Infinity, compact: true })
# for JSON-compatible values (str, int, float, bool, None, list, dict).
# ---------------------------------------------------------------------------

_IDENT_RE = re.compile(r"^[a-zA-Z_][a-zA-Z_0-9]*$")
_INSPECT_DEPTH = 2  # util.inspect's default `depth`
_MAX_SAFE_INT = 2**53 - 1
_SPECIAL_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    "\\": "\\\\",
}


def js_string_literal(s: str) -> str:
    """Quote and escape *s* the way util.inspect does (strEscape)."""
    quote = "'"
    if "'" in s:
        if '"' not in s:
            quote = '"'
        elif "`" not in s and "${" not in s:
            quote = "`"
    out = []
    for ch in s:
        cp = ord(ch)
        if 0xD800 <= cp <= 0xDFFF:
            raise ValueError(f"lone surrogates are not supported: {s!r}")
        if ch in _SPECIAL_ESCAPES:
            out.append(_SPECIAL_ESCAPES[ch])
        elif ch == "'" and quote == "'":
            out.append("\\'")
        elif cp < 0x20 or 0x7F <= cp <= 0x9F:
            out.append(f"\\x{cp:02X}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote


def js_number_string(x: int | float) -> str:
    """Number.prototype.toString() for a finite number."""
    if isinstance(x, bool):
        raise TypeError("bool is not a number here")
    if isinstance(x, int):
        if abs(x) > _MAX_SAFE_INT:
            raise ValueError(f"integer {x} is not exactly representable in JS")
        return str(x)
    if not math.isfinite(x):
        raise ValueError(f"{x!r} is not JSON")
    if x == 0:
        if math.copysign(1.0, x) < 0:
            raise ValueError("-0.0 does not survive JSON; don't use it")
        return "0"
    sign = "-" if x < 0 else ""
    # repr() gives the shortest round-tripping digits, like ECMAScript.
    _, digit_tuple, exp = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exp += len("".join(map(str, digit_tuple))) - len(digits)
    k = len(digits)
    n = exp + k  # value = 0.<digits> * 10**n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        body = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + body


def js_inspect(value: Any, _depth: int = 0) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number_string(value)
    if isinstance(value, str):
        return js_string_literal(value)
    if isinstance(value, list):
        if _depth > _INSPECT_DEPTH:
            return "[Array]"
        if not value:
            return "[]"
        if len(value) > 100:
            raise ValueError("arrays longer than 100 items are truncated by util.inspect")
        return "[ " + ", ".join(js_inspect(v, _depth + 1) for v in value) + " ]"
    if isinstance(value, dict):
        if _depth > _INSPECT_DEPTH:
            return "[Object]"
        if not value:
            return "{}"
        parts = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"non-string key {k!r}")
            key = k if _IDENT_RE.match(k) else js_string_literal(k)
            parts.append(f"{key}: {js_inspect(v, _depth + 1)}")
        return "{ " + ", ".join(parts) + " }"
    raise TypeError(f"not a JSON value: {value!r}")


# Every value that went through js_inspect / str() while rendering, so that
# they can be verified against real node afterwards.
INSPECTED: list[tuple[Any, str]] = []
STRINGIFIED: list[tuple[Any, str]] = []


def recording_js_inspect(value: Any) -> str:
    result = js_inspect(value)
    INSPECTED.append((value, result))
    return result


@contextlib.contextmanager
def js_repr() -> Iterator[None]:
    """Shadow builtin repr() inside structlog's renderer modules."""
    modules = (structlog.dev, structlog.processors)
    for mod in modules:
        assert "repr" not in vars(mod), f"{mod.__name__} already defines repr"
        mod.repr = recording_js_inspect  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for mod in modules:
            del mod.repr  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

CONSOLE_OPTIONS = {
    "colors": "colors",
    "padEventTo": "pad_event_to",
    "padLevel": "pad_level",
    "sortKeys": "sort_keys",
    "reprNativeStr": "repr_native_str",
    "eventKey": "event_key",
    "timestampKey": "timestamp_key",
}
KEY_VALUE_OPTIONS = {
    "sortKeys": "sort_keys",
    "keyOrder": "key_order",
    "dropMissing": "drop_missing",
    "reprNativeStr": "repr_native_str",
}
LOGFMT_OPTIONS = {
    "sortKeys": "sort_keys",
    "keyOrder": "key_order",
    "dropMissing": "drop_missing",
    "boolAsFlag": "bool_as_flag",
}
OPTION_NAMES = {
    "console": CONSOLE_OPTIONS,
    "keyValue": KEY_VALUE_OPTIONS,
    "logfmt": LOGFMT_OPTIONS,
}


def _check_str_rendered(value: Any, what: str) -> None:
    """Values Python renders with str(): must be str or a plain number."""
    if isinstance(value, str):
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        STRINGIFIED.append((value, str(value)))
        return
    raise ValueError(f"{what}: {value!r} would be rendered with Python str(); use a str or number")


def render(renderer: str, options: dict[str, Any], event_dict: dict[str, Any]) -> str:
    names = OPTION_NAMES[renderer]
    unknown = set(options) - set(names)
    if unknown:
        raise ValueError(f"unknown {renderer} options: {sorted(unknown)}")
    kwargs = {names[k]: v for k, v in options.items()}
    # Deep copy (renderers pop keys) that also proves the dict is plain JSON.
    ed = json.loads(json.dumps(event_dict, allow_nan=False))

    if renderer == "console":
        assert options.get("colors") is False, "console cases must set colors: false"
        str_keys = {
            options.get("timestampKey", "timestamp"),
            options.get("eventKey", "event"),
            "logger",
            "logger_name",
        }
        for key in str_keys & set(ed):
            _check_str_rendered(ed[key], f"console column {key!r}")
        if "level" in ed and not isinstance(ed["level"], str):
            raise ValueError("console level must be a string")
        for forbidden in ("exc_info", "exception", "stack"):
            if forbidden in ed:
                raise ValueError(f"{forbidden!r} is not supported in fixtures")
        with js_repr():
            r = structlog.dev.ConsoleRenderer(**kwargs)
            return r(None, "info", ed)

    if renderer == "keyValue":
        with js_repr():
            r = structlog.processors.KeyValueRenderer(**kwargs)
            if kwargs.get("repr_native_str", True):
                assert r._repr is recording_js_inspect
            return r(None, "info", ed)

    if renderer == "logfmt":
        for key, value in ed.items():
            if value is None or isinstance(value, bool):
                continue
            if isinstance(value, (list, dict)):
                raise ValueError(f"logfmt case: {key!r} must be a scalar")
            _check_str_rendered(value, f"logfmt value {key!r}")
        r = structlog.processors.LogfmtRenderer(**kwargs)
        return r(None, "info", ed)

    raise ValueError(f"unknown renderer {renderer!r}")


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

TS = "2026-05-02T10:00:00.000Z"
LONG_EVENT = "this event message is definitely longer than thirty characters"
ESC_RED = "\u001b[31m"

CASES: list[dict[str, Any]] = []


def case(name: str, renderer: str, options: dict[str, Any], event_dict: dict[str, Any]) -> None:
    if renderer == "console":
        options = {"colors": False, **options}
    CASES.append({"name": name, "renderer": renderer, "options": options, "eventDict": event_dict})


def console(name: str, event_dict: dict[str, Any], **options: Any) -> None:
    case(name, "console", options, event_dict)


def key_value(name: str, event_dict: dict[str, Any], **options: Any) -> None:
    case(name, "keyValue", options, event_dict)


def logfmt(name: str, event_dict: dict[str, Any], **options: Any) -> None:
    case(name, "logfmt", options, event_dict)


# --- console ---------------------------------------------------------------

console(
    "console: issue example (timestamp, level, event, logger, one kv)",
    {"timestamp": TS, "level": "info", "event": "app_started", "logger": "myapp", "version": "1.2.3"},
)
console("console: event only (padding stripped at end of line)", {"event": "hello"})
console(
    "console: timestamp, level and event only (trailing padding stripped)",
    {"timestamp": TS, "level": "info", "event": "ready"},
)
for lvl in ("debug", "info", "warning", "error", "critical", "exception"):
    console(
        f"console: level {lvl}",
        {"timestamp": TS, "level": lvl, "event": f"{lvl} happened", "request_id": "abc123"},
    )
console("console: level warn", {"timestamp": TS, "level": "warn", "event": "careful", "n": 1})
console(
    "console: unknown level is still padded to 9",
    {"timestamp": TS, "level": "trace", "event": "fine grained", "n": 1},
)
console(
    "console: event longer than 30 chars is not truncated",
    {"timestamp": TS, "level": "info", "event": LONG_EVENT, "user": "alice"},
)
console(
    "console: event exactly 30 chars",
    {"timestamp": TS, "level": "info", "event": "x" * 30, "user": "alice"},
)
console(
    "console: event with spaces, quotes and = is never repr-ed",
    {"timestamp": TS, "level": "info", "event": 'user said "hi" = it\'s ok', "user": "alice"},
)
console(
    "console: padEventTo 10",
    {"timestamp": TS, "level": "info", "event": "short", "user": "alice"},
    padEventTo=10,
)
console(
    "console: padEventTo 0",
    {"timestamp": TS, "level": "info", "event": "short", "user": "alice"},
    padEventTo=0,
)
console(
    "console: padLevel false",
    {"timestamp": TS, "level": "info", "event": "app_started", "logger": "myapp", "version": "1.2.3"},
    padLevel=False,
)
console(
    "console: default sortKeys sorts extra keys",
    {"timestamp": TS, "level": "info", "event": "sorted", "zeta": 1, "alpha": 2, "mid": 3},
)
console(
    "console: sortKeys false keeps insertion order",
    {"timestamp": TS, "level": "info", "event": "unsorted", "zeta": 1, "alpha": 2, "mid": 3},
    sortKeys=False,
)
console(
    "console: sorting is by code point (uppercase and _ before lowercase)",
    {"event": "case", "b": 1, "B": 2, "_x": 3, "a": 4, "A10": 5, "A2": 6},
)
console(
    "console: columns are in fixed order regardless of insertion order",
    {"user": "alice", "logger": "myapp", "event": "reordered", "level": "error", "timestamp": TS},
)
console(
    "console: logger_name column",
    {"timestamp": TS, "level": "info", "event": "started", "logger_name": "my.module", "pid": 42},
)
console(
    "console: both logger and logger_name",
    {"timestamp": TS, "level": "info", "event": "started", "logger": "myapp", "logger_name": "my.module", "pid": 42},
)
console(
    "console: logger with spaces is printed with str (no quoting)",
    {"timestamp": TS, "level": "info", "event": "started", "logger": "my app"},
)
console(
    "console: custom eventKey with a regular event key present",
    {"timestamp": TS, "level": "info", "msg": "custom message", "event": "not the message", "user": "alice"},
    eventKey="msg",
)
console(
    "console: custom timestampKey with a regular timestamp key present",
    {"ts": TS, "level": "info", "event": "custom ts", "timestamp": "yesterday"},
    timestampKey="ts",
)
console(
    "console: missing timestamp",
    {"level": "info", "event": "no timestamp", "user": "alice"},
)
console(
    "console: missing level",
    {"timestamp": TS, "event": "no level", "user": "alice"},
)
console(
    "console: missing event",
    {"timestamp": TS, "level": "info", "user": "alice", "count": 3},
)
console("console: empty event dict", {})
console(
    "console: empty timestamp column is omitted entirely",
    {"timestamp": "", "level": "info", "event": "empty ts", "user": "alice"},
)
console(
    "console: empty event is still padded",
    {"timestamp": TS, "level": "info", "event": "", "user": "alice"},
)
console(
    "console: empty event with padEventTo 0 is omitted",
    {"timestamp": TS, "level": "info", "event": "", "user": "alice"},
    padEventTo=0,
)
console(
    "console: numeric timestamp",
    {"timestamp": 1777716000.5, "level": "info", "event": "epoch", "user": "alice"},
)
console(
    "console: values needing quotes (space, =, quotes)",
    {
        "timestamp": TS,
        "level": "info",
        "event": "quoting",
        "a_space": "hello world",
        "b_equals": "a=b",
        "c_double": 'say "hi"',
        "d_single": "it's",
        "e_both": "it's \"x\"",
        "f_all": "it's \"x\" `y`",
        "g_plain": "plain",
    },
)
console(
    "console: values with newline, tab and carriage return",
    {"timestamp": TS, "level": "info", "event": "whitespace", "nl": "line1\nline2", "tab": "a\tb", "cr": "a\rb"},
)
console(
    "console: ESC without quote-triggering chars is printed raw",
    {"timestamp": TS, "level": "info", "event": "ansi", "color": ESC_RED + "red" + "\u001b[0m"},
)
console(
    "console: ESC with a space is quoted and escaped",
    {"timestamp": TS, "level": "info", "event": "ansi", "color": ESC_RED + "red text"},
)
console(
    "console: backslashes are bare unless quoting is triggered",
    {"timestamp": TS, "level": "info", "event": "paths", "win": "C:\\temp", "win_space": "C:\\Program Files"},
)
console(
    "console: empty string value",
    {"timestamp": TS, "level": "info", "event": "empty", "empty": "", "next": "x"},
)
console(
    "console: numbers, booleans and null",
    {
        "timestamp": TS,
        "level": "info",
        "event": "scalars",
        "int": 42,
        "neg": -3,
        "float": 1.5,
        "tiny": 1e-7,
        "big": 1e21,
        "bigger_fixed": 1e20,
        "point_one": 0.1,
        "whole_float": 2.0,
        "yes": True,
        "no": False,
        "nothing": None,
    },
)
console(
    "console: nested arrays and objects",
    {
        "timestamp": TS,
        "level": "info",
        "event": "nested",
        "tags": ["a", "b c", 1, True, None],
        "meta": {"a": 1, "b c": 2, "x-y": {"deep": [1, 2]}, "$d": "it's"},
        "empty_list": [],
        "empty_obj": {},
    },
)
console(
    "console: reprNativeStr true quotes every string value but not columns",
    {"timestamp": TS, "level": "info", "event": "repr all", "logger": "myapp", "user": "alice", "n": 1, "text": "a b"},
    reprNativeStr=True,
)
console(
    "console: reprNativeStr true with escapes",
    {"timestamp": TS, "level": "info", "event": "repr escapes", "color": ESC_RED, "path": "C:\\temp", "q": "it's"},
    reprNativeStr=True,
)
console(
    "console: unicode event and values",
    {"timestamp": TS, "level": "info", "event": "café ☕ ready", "word": "naïve", "jp": "日本語 テキスト", "rocket": "🚀"},
)
console(
    "console: all options combined",
    {
        "ts": TS,
        "level": "error",
        "message": "combined",
        "logger": "svc",
        "zeta": "z z",
        "alpha": ["x"],
        "event": "also a kv",
    },
    padEventTo=12,
    padLevel=False,
    sortKeys=False,
    reprNativeStr=True,
    eventKey="message",
    timestampKey="ts",
)

# --- keyValue --------------------------------------------------------------

key_value("keyValue: default insertion order", {"event": "hello", "user": "alice", "count": 3})
key_value("keyValue: sortKeys", {"user": "alice", "event": "hello", "count": 3, "B": 0}, sortKeys=True)
key_value(
    "keyValue: keyOrder with missing key renders null",
    {"user": "alice", "event": "hello", "extra": 1},
    keyOrder=["event", "missing", "user"],
)
key_value(
    "keyValue: keyOrder with dropMissing",
    {"user": "alice", "event": "hello", "extra": 1},
    keyOrder=["event", "missing", "user"],
    dropMissing=True,
)
key_value(
    "keyValue: keyOrder with explicit null value",
    {"user": None, "event": "hello"},
    keyOrder=["event", "user"],
)
key_value(
    "keyValue: dropMissing also drops keys whose value is null",
    {"user": None, "event": "hello", "other": None},
    keyOrder=["event", "user"],
    dropMissing=True,
)
key_value(
    "keyValue: keyOrder with sortKeys sorts the remaining keys",
    {"zeta": 1, "user": "alice", "alpha": 2, "event": "hello"},
    keyOrder=["event", "missing"],
    sortKeys=True,
)
key_value(
    "keyValue: keyOrder with sortKeys and dropMissing",
    {"zeta": 1, "user": "alice", "alpha": 2, "event": "hello"},
    keyOrder=["event", "missing"],
    sortKeys=True,
    dropMissing=True,
)
key_value(
    "keyValue: keyOrder where every key is missing and dropped",
    {},
    keyOrder=["a", "b"],
    dropMissing=True,
)
key_value(
    "keyValue: reprNativeStr true (explicit)",
    {"event": "hello world", "user": "alice"},
    reprNativeStr=True,
)
key_value(
    "keyValue: reprNativeStr false prints strings raw",
    {"event": "hello world", "user": "alice", "eq": "a=b", "q": "it's \"x\"", "n": 1, "flag": True, "none": None},
    reprNativeStr=False,
)
key_value(
    "keyValue: reprNativeStr false with control characters",
    {"event": "raw", "nl": "a\nb", "esc": ESC_RED + "red", "bs": "C:\\temp"},
    reprNativeStr=False,
)
key_value(
    "keyValue: reprNativeStr false still inspects nested strings",
    {"event": "raw", "list": ["a b", "c"], "obj": {"k": "v w"}},
    reprNativeStr=False,
)
key_value(
    "keyValue: quote selection",
    {
        "single": "it's",
        "double": 'say "hi"',
        "both": "it's \"x\"",
        "all_three": "it's \"x\" `y`",
        "both_and_template": "it's \"x\" ${y}",
    },
)
key_value(
    "keyValue: escapes in strings",
    {
        "nl": "line1\nline2",
        "tab": "a\tb",
        "cr": "a\rb",
        "bs": "C:\\temp\\new",
        "esc": ESC_RED + "red" + "\u001b[0m",
        "misc": "\b\f\u000b\u0000\u007f\u0085",
    },
)
key_value(
    "keyValue: numbers, booleans and null",
    {"int": 42, "neg": -3, "float": 1.5, "exp": 1e21, "small": 1.23e-18, "whole": 3.0, "t": True, "f": False, "n": None},
)
key_value(
    "keyValue: nested arrays and objects",
    {
        "list": [1, "two", [3, [4]], {"five": 5}],
        "obj": {"simple": 1, "needs quote": "v", "x-y": None, "_ok": [], "$": {}},
        "empty_list": [],
        "empty_obj": {},
    },
)
key_value(
    "keyValue: nesting deeper than util.inspect depth 2",
    {"deep": {"a": {"b": {"c": {"d": 1}}}}, "deep_list": [[[[1]]]]},
)
key_value(
    "keyValue: unicode",
    {"event": "café ☕", "jp": "日本語", "rocket": "🚀"},
)

# --- logfmt ----------------------------------------------------------------

logfmt("logfmt: default insertion order", {"event": "hello", "user": "alice", "count": 42})
logfmt("logfmt: boolAsFlag default renders true as bare flag", {"event": "flags", "on": True, "off": False})
logfmt("logfmt: boolAsFlag false", {"event": "flags", "on": True, "off": False}, boolAsFlag=False)
logfmt("logfmt: null renders as empty value", {"event": "nulls", "nothing": None, "after": 1})
logfmt("logfmt: empty string renders as empty value", {"event": "empty", "empty": "", "after": 1})
logfmt("logfmt: numbers", {"int": 42, "neg": -3, "float": 1.5, "quarter": 0.25, "zero": 0})
logfmt("logfmt: string with spaces is quoted", {"event": "hello world", "user": "alice"})
logfmt("logfmt: string with = is quoted", {"event": "eq", "expr": "a=b"})
logfmt("logfmt: double quotes are escaped and quoted", {"event": "quotes", "said": 'say "hi"'})
logfmt("logfmt: single quote needs no quoting", {"event": "quotes", "q": "it's"})
logfmt("logfmt: backslash without quoting is kept single", {"event": "paths", "path": "C:\\temp"})
logfmt("logfmt: backslash with space is doubled and quoted", {"event": "paths", "path": "C:\\Program Files"})
logfmt("logfmt: backslash with = is doubled and quoted", {"event": "paths", "expr": "a\\b=c"})
logfmt("logfmt: backslash with double quote", {"event": "paths", "v": '\\"'})
logfmt("logfmt: newline is escaped but does not trigger quoting", {"event": "nl", "text": "line1\nline2"})
logfmt(
    "logfmt: literal backslash-n and real newline look the same unquoted",
    {"literal": "a\\nb", "newline": "a\nb"},
)
logfmt(
    "logfmt: backslash and newline with space",
    {"text": "a\\b\nc d"},
)
logfmt("logfmt: tab and carriage return are left raw", {"tab": "a\tb", "cr": "a\rb"})
logfmt("logfmt: ESC is left raw", {"color": ESC_RED + "red"})
logfmt("logfmt: unicode", {"event": "café", "jp": "日本語 テキスト", "rocket": "🚀"})
logfmt("logfmt: sortKeys", {"user": "alice", "event": "hello", "count": 1, "B": 0}, sortKeys=True)
logfmt(
    "logfmt: keyOrder with missing key renders empty value",
    {"user": "alice", "event": "hello", "extra": 1},
    keyOrder=["event", "missing", "user"],
)
logfmt(
    "logfmt: keyOrder with dropMissing",
    {"user": "alice", "event": "hello", "extra": 1},
    keyOrder=["event", "missing", "user"],
    dropMissing=True,
)
logfmt(
    "logfmt: dropMissing also drops keys whose value is null",
    {"user": None, "event": "hello", "other": None},
    keyOrder=["event", "user"],
    dropMissing=True,
)
logfmt(
    "logfmt: keyOrder with sortKeys",
    {"zeta": True, "user": "alice", "alpha": 2, "event": "hello"},
    keyOrder=["event", "missing"],
    sortKeys=True,
)


# ---------------------------------------------------------------------------
# Verification against node
# ---------------------------------------------------------------------------

NODE_CHECK = r"""
const fs = require('node:fs');
const util = require('node:util');
const data = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
const opts = { breakLength: Infinity, compact: true };
process.stdout.write(JSON.stringify({
  inspect: data.inspect.map((v) => util.inspect(v, opts)),
  string: data.string.map((v) => String(v)),
  keys: data.eventDicts.map((d) => Object.keys(d)),
}));
"""


def verify_with_node() -> None:
    payload = {
        "inspect": [v for v, _ in INSPECTED],
        "string": [v for v, _ in STRINGIFIED],
        "eventDicts": [c["eventDict"] for c in CASES],
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.json"
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        try:
            proc = subprocess.run(
                ["node", "-e", NODE_CHECK, str(path)],
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=True,
            )
        except FileNotFoundError:
            sys.exit("error: `node` is required to verify the fixtures")
        except subprocess.CalledProcessError as e:
            sys.exit(f"error: node verification failed:\n{e.stderr}")
    node = json.loads(proc.stdout)

    errors = []
    for (value, ours), theirs in zip(INSPECTED, node["inspect"], strict=True):
        if ours != theirs:
            errors.append(f"util.inspect mismatch for {value!r}: python {ours!r} != node {theirs!r}")
    for (value, ours), theirs in zip(STRINGIFIED, node["string"], strict=True):
        if ours != theirs:
            errors.append(f"str()/String() mismatch for {value!r}: python {ours!r} != node {theirs!r}")
    for c, keys in zip(CASES, node["keys"], strict=True):
        if list(c["eventDict"]) != keys:
            errors.append(f"{c['name']}: JS key order {keys} != Python key order {list(c['eventDict'])}")
    if errors:
        sys.exit("error: fixtures do not match node:\n  " + "\n  ".join(errors))
    print(
        f"verified {len(INSPECTED)} util.inspect values, {len(STRINGIFIED)} String() values "
        f"and {len(CASES)} event dict key orders against node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}"
    )


def main() -> None:
    if structlog.__version__ != EXPECTED_STRUCTLOG_VERSION:
        sys.exit(f"error: need structlog {EXPECTED_STRUCTLOG_VERSION}, found {structlog.__version__}")

    names = [c["name"] for c in CASES]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        sys.exit(f"error: duplicate case names: {sorted(dupes)}")

    for c in CASES:
        c["expected"] = render(c["renderer"], c["options"], c["eventDict"])

    verify_with_node()

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(CASES, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    counts = {r: sum(c["renderer"] == r for c in CASES) for r in OPTION_NAMES}
    print(f"wrote {len(CASES)} cases to {OUTPUT.relative_to(REPO_ROOT)}: {counts}")


if __name__ == "__main__":
    main()
