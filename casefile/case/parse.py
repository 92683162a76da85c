"""The model boundary: loaded YAML validated against a model, pydantic's errors turned into
located `Problem`s with stable dotted key paths and suggestions (copier's way: one place).

`parse_case` gives the typed `Case` of a document, or the problems that stop it; the checks
across fields (`checks.check_case`) run on a `Case` afterwards. Nothing here raises for bad
input.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, NotRequired, TypedDict, TypeVar

from pydantic import BaseModel, ValidationError

from casefile.case import schema_cache
from casefile.case.loader import Document
from casefile.case.model import Case
from casefile.core import typos
from casefile.core.errors import Loc, Problem, error

ModelT = TypeVar("ModelT", bound=BaseModel)


class ErrorDetails(TypedDict):
    """The keys read here of one of pydantic's errors (`pydantic_core.ErrorDetails`, which has
    these and `url`; pydantic_core is not imported: it is pydantic's, not a dependency of ours)."""

    type: str
    loc: tuple[int | str, ...]
    msg: str
    input: Any
    ctx: NotRequired[dict[str, Any]]


def parse_case(doc: Document) -> tuple[Case | None, list[Problem]]:
    case, problems, _ = read_case(doc)
    return case, problems


def read_case(doc: Document) -> tuple[Case | None, list[Problem], list[ErrorDetails]]:
    """`parse_case`, with pydantic's own errors too: case/salvage.py repairs a copy of the
    data by them (instead of validating the same data a second time to get them)."""
    return _parse(doc, Case, "a case file", "start from `casefile new`")


def parse_model(doc: Document, model: type[ModelT], what_file: str, hint: str) -> tuple[ModelT | None, list[Problem]]:
    """Validate loaded YAML against a model; pydantic's errors become located problems."""
    instance, problems, _ = _parse(doc, model, what_file, hint)
    return instance, problems


def _parse(doc: Document, model: type[ModelT], what_file: str,
           hint: str) -> tuple[ModelT | None, list[Problem], list[ErrorDetails]]:
    data = doc.data
    if not isinstance(data, dict):
        what = "empty" if data is None else _kind_of(data)
        return None, [doc.locate(error((), f"{what_file} is a YAML mapping of keys; this file is {what}", hint))], []
    instance, errors = validate_data(data, model)
    if instance is not None:
        return instance, [], []
    return None, _dedupe([_problem_from_pydantic(doc, e, model) for e in errors]), errors


def validate_data(data: dict[str, Any], model: type[ModelT]) -> tuple[ModelT | None, list[ErrorDetails]]:
    """The model of `data`, or pydantic's errors (their `loc` in `data`'s own keys and indices)."""
    schema_cache.install(model)  # this user's kept validator, when it was built from this code
    # text written in several languages is read as the case's language's text first
    language = data.get("language")
    context = {"language": language if isinstance(language, str) else "en"}
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, typing.cast(list[ErrorDetails], exc.errors(include_url=False))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.loc, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _problem_from_pydantic(doc: Document, err: ErrorDetails, root: type[BaseModel] = Case) -> Problem:
    loc: Loc = tuple(part for part in err["loc"] if part != "[key]")
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    hint = None
    prefer_key = False
    if kind == "extra_forbidden":
        key = loc[-1]
        message = f"unknown key '{key}'"
        allowed = _allowed_keys(loc[:-1], root)
        match = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6) if allowed else []
        if match:
            hint = f"did you mean '{match[0]}'?"
        elif allowed:
            hint = "allowed here: " + ", ".join(allowed)
        prefer_key = True
    elif kind == "missing":
        message = f"missing required key '{loc[-1]}'"
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if isinstance(value, (dict, list)) or value is None:
            message = f"expected one of: {', '.join(allowed)}; found {_kind_of(value)}"
        else:
            message = f"'{value}' is not one of: {', '.join(allowed)}"
            meant = typos.typo_of(str(value), allowed)  # `internal` is not `international`
            if meant:
                hint = f"did you mean '{meant}'?"
    elif kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", err["msg"]))
    elif kind in ("string_type", "str_type"):
        message = f"expected text, found {_kind_of(value)}"
    elif kind == "list_type":
        message = f"expected a list, found {_kind_of(value)}"
        hint = "write one item per line starting with '- ', or [a, b]"
    elif kind in ("model_type", "dict_type", "model_attributes_type", "dataclass_type"):
        message = f"expected a mapping of keys, found {_kind_of(value)}"
    elif kind == "bool_type":
        message = f"expected true or false, found {_kind_of(value)}"
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length', 1)} item(s)"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = f"{value} is out of range ({err['msg'].lower()})"
    else:
        message = err["msg"]
    problem = Problem("error", loc, message, hint)
    return doc.locate(problem, prefer_key=prefer_key)


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _allowed_keys(loc: Loc, root: type[BaseModel] = Case) -> list[str]:
    model: Any = root
    for part in loc:
        model = _step(model, part)
        if model is None:
            return []
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(args) == 1:
                tp = args[0]
            elif len(models) == 1:
                tp = models[0]
            else:
                return tp
        else:
            return tp


def type_at(root: type[BaseModel], loc: Loc) -> Any:
    """The declared type of the value at `loc` in a `root` model (Annotated and Optional
    removed), or None where the path leaves the model's declaration."""
    tp: Any = root
    for part in loc:
        tp = _step(tp, part)
        if tp is None:
            return None
    return _unwrap(tp)


def field_at(root: type[BaseModel], loc: Loc) -> Any:
    """The pydantic field declared at `loc` (its last part a field name), or None."""
    owner = type_at(root, loc[:-1]) if loc else None
    if isinstance(owner, type) and issubclass(owner, BaseModel) and loc and isinstance(loc[-1], str):
        return owner.model_fields.get(loc[-1])
    return None


def _step(tp: Any, part: str | int) -> Any:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if isinstance(part, int) and origin is list:
        return typing.get_args(tp)[0]
    if isinstance(part, str) and origin is dict:
        return typing.get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
        field = tp.model_fields.get(part)
        return field.annotation if field else None
    return None
