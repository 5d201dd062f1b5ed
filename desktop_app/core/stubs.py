"""The code a coding question starts from: the reference solution's signatures, with bodies that raise.

Derived with `ast`, keeping the author's own layout (see stub()). Qt-free and apart from running code: the coding
panel calls stub() when it opens a question, and the tests check it on every coding question in the bank.
"""

from __future__ import annotations

import ast
import io
import tokenize


def _loaded_names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _calls_any(node: ast.AST | None, names: set[str]) -> bool:
    """Whether evaluating `node` would call one of `names` (the solution's own functions and classes)."""
    if node is None:
        return False
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            root = sub.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in names:
                return True
    return False


def _signature_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names: set[str] = set()
    for part in (*node.decorator_list, node.args, node.returns):
        names |= _loaded_names(part)
    return names


def _docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return [first]
    return []


def _stub_function(node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    raise_it = ast.Raise(exc=ast.Name(id="NotImplementedError", ctx=ast.Load()), cause=None)
    node.body = [*_docstring(node.body), raise_it]


def _assigned(node: ast.stmt) -> list[str] | None:
    """The plain names a simple assignment binds, or None when it is not one (attributes, subscripts...)."""
    if isinstance(node, ast.AnnAssign):
        return [node.target.id] if isinstance(node.target, ast.Name) else None
    if not isinstance(node, ast.Assign):
        return None
    names: list[str] = []
    for target in node.targets:
        parts = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        if not all(isinstance(p, ast.Name) for p in parts):
            return None
        names += [p.id for p in parts if isinstance(p, ast.Name)]
    return names


def _stub_class(node: ast.ClassDef, own: set[str], needed: set[str]) -> None:
    """Methods stubbed; the docstring, nested classes and class-level assignments (dataclass fields, constants
    such as BOS = "<s>") kept, unless computing one would call the solution's own code."""
    body: list[ast.stmt] = list(_docstring(node.body))
    for item in node.body[len(body) :]:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            _stub_function(item)
            needed |= _signature_names(item)
            body.append(item)
        elif isinstance(item, ast.ClassDef):
            _stub_class(item, own, needed)
            body.append(item)
        elif _assigned(item) is not None and not _calls_any(getattr(item, "value", None), own):
            needed |= _loaded_names(item)
            body.append(item)
    node.body = body or [ast.Pass()]
    for part in (*node.decorator_list, *node.bases, *node.keywords):
        needed |= _loaded_names(part)


def _lambda_as_def(node: ast.stmt) -> ast.stmt:
    """`relu = lambda x: ...` is a function the tests call by name: it becomes a def, to be stubbed like one."""
    if not (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Lambda)
    ):
        return node
    func = ast.FunctionDef(
        name=node.targets[0].id, args=node.value.args, body=[ast.Pass()], decorator_list=[], returns=None
    )
    # A start but no end: it has no text of its own to copy, so the layout unparses it (which needs a line).
    func.lineno, func.col_offset = node.lineno, node.col_offset
    return func


def _public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def stub(solution: str) -> str:
    """The code the user starts from, derived from the reference solution with `ast`.

    Kept: the module docstring, imports, classes, and every function and method with its decorators, full
    signature and docstring, its body replaced by `raise NotImplementedError`. Kept too are module-level
    assignments to plain names that need none of the solution's own code to compute, when the name is public
    (a constant the tests may use, like EPS or __all__) or a kept signature or class needs it (a default such
    as `eps=_EPS`); `name = lambda ...` becomes a stubbed def. Dropped: everything else at module level
    (private tables such as a regex or a dispatch dict, tables of lambdas, and any code that runs), since it is
    part of the answer or would need the stubbed code at import.
    Raises ValueError when the solution does not parse.
    """
    try:
        tree = ast.parse(solution)
    except (SyntaxError, ValueError) as exc:
        line = f" at line {exc.lineno}" if isinstance(exc, SyntaxError) and exc.lineno else ""
        raise ValueError(f"the solution does not parse{line}: {exc}") from exc
    tree.body = [_lambda_as_def(node) for node in tree.body]
    own = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    needed: set[str] = set()
    keep: list[bool] = []
    assignments: dict[int, list[str]] = {}
    docstring = _docstring(tree.body)
    for i, node in enumerate(tree.body):
        if (docstring and i == 0) or isinstance(node, ast.Import | ast.ImportFrom):
            keep.append(True)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            _stub_function(node)
            needed |= _signature_names(node)
            keep.append(True)
        elif isinstance(node, ast.ClassDef):
            _stub_class(node, own, needed)
            keep.append(True)
        else:
            names = _assigned(node)
            value = getattr(node, "value", None)
            if names is None or _calls_any(value, own):
                keep.append(False)  # code that runs, or that would need the stubbed functions at import
                continue
            assignments[i] = names
            # A table of lambdas is part of the answer: kept only when a signature needs it.
            reveals = value is not None and any(isinstance(n, ast.Lambda) for n in ast.walk(value))
            keep.append(not reveals and any(_public(n) for n in names))
            if keep[-1]:
                needed |= _loaded_names(value)
    # Private constants that a kept signature, class or constant needs, and what those need in turn.
    changed = True
    while changed:
        changed = False
        for i, names in assignments.items():
            if not keep[i] and needed & set(names):
                keep[i] = changed = True
                needed |= _loaded_names(getattr(tree.body[i], "value", None))
    nodes = [node for node, k in zip(tree.body, keep, strict=True) if k]
    return _layout(nodes, solution)


def _group(node: ast.stmt) -> str:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return "def"
    return "import" if isinstance(node, ast.Import | ast.ImportFrom) else "other"


def _layout(nodes: list[ast.stmt], source: str) -> str:
    """The kept statements as source: imports together, two blank lines around functions and classes.

    Each statement is copied from the solution's own text where ast gives its position (so signatures keep
    their author's layout, `eps: float = 1e-8` rather than `eps: float=1e-08`), and the result is checked
    against the stub's syntax tree; on any difference the tree is unparsed instead.
    """
    expected = ast.dump(ast.Module(body=nodes, type_ignores=[]))
    for render in (_statement_source, _statement_unparsed):
        out: list[str] = []
        previous: str | None = None
        try:
            for node in nodes:
                group = _group(node)
                if previous is not None:
                    out.append("\n\n\n" if "def" in (group, previous) else "\n" if group == previous else "\n\n")
                out.append(render(node, source))
                previous = group
            text = "".join(out) + "\n"
            if ast.dump(ast.parse(text)) == expected:
                return text
        except (SyntaxError, ValueError, IndexError, tokenize.TokenError):
            pass
    return ast.unparse(ast.Module(body=nodes, type_ignores=[])) + "\n"  # unreachable in practice: a safe floor


def _statement_unparsed(node: ast.stmt, source: str) -> str:
    # Unparsed inside a module so a docstring keeps its triple quotes and its lines.
    return ast.unparse(ast.Module(body=[node], type_ignores=[]))


def _statement_source(node: ast.stmt, source: str, indent: str = "") -> str:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return _function_source(node, source, indent)
    if isinstance(node, ast.ClassDef):
        return _class_source(node, source, indent)
    if not hasattr(node, "lineno"):  # made here (a placeholder pass): no text of its own
        return indent + ast.unparse(node)
    segment = ast.get_source_segment(source, node)
    if segment is None:
        return indent + ast.unparse(node)
    return indent + segment


def _lines_before(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, source: str) -> list[str]:
    """The decorator lines, as written."""
    if not node.decorator_list:
        return []
    lines = source.splitlines()
    first = min(d.lineno for d in node.decorator_list)
    return [line.rstrip() for line in lines[first - 1 : node.lineno - 1]]


def _header(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, source: str) -> str:
    """`def name(...) -> ...:` or `class Name(...):` as written, up to the colon that ends it."""
    lines = source.splitlines(keepends=True)
    text = lines[node.lineno - 1][node.col_offset :] + "".join(lines[node.lineno :])
    depth = 0
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type != tokenize.OP:
            continue
        if tok.string in "([{":
            depth += 1
        elif tok.string in ")]}":
            depth -= 1
        elif tok.string == ":" and depth == 0:
            row, col = tok.end
            head = text.splitlines(keepends=True)
            return "".join(head[: row - 1]) + head[row - 1][:col]
    raise ValueError("no colon ends the header")


def _body_indent(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, indent: str) -> str:
    first = node.body[0] if node.body else None
    if first is not None and hasattr(first, "lineno") and first.lineno > node.lineno:
        return " " * first.col_offset
    return indent + "    "


def _function_source(node: ast.FunctionDef | ast.AsyncFunctionDef, source: str, indent: str) -> str:
    if getattr(node, "end_lineno", None) is None:  # made here from a lambda: no text of its own
        return indent + ast.unparse(node).replace("\n", "\n" + indent)
    inner = _body_indent(node, indent)
    parts = [*_lines_before(node, source), indent + _header(node, source)]
    for statement in node.body:
        if hasattr(statement, "lineno"):
            parts.append(inner + (ast.get_source_segment(source, statement) or ""))
        else:
            parts.append(inner + ast.unparse(statement))
    return "\n".join(parts)


def _class_source(node: ast.ClassDef, source: str, indent: str) -> str:
    inner = _body_indent(node, indent)
    parts = [*_lines_before(node, source), indent + _header(node, source)]
    for i, item in enumerate(node.body):
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if i > 0:
                parts.append("")
            parts.append(_statement_source(item, source, inner))
        elif hasattr(item, "lineno"):
            parts.append(inner + (ast.get_source_segment(source, item) or ""))
        else:
            parts.append(inner + ast.unparse(item))
    return "\n".join(parts)
