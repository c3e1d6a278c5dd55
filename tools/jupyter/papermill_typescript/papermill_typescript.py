"""papermill parameters for TypeScript notebooks: `papermill in.ipynb out.ipynb -p seed 7` on the Deno kernel.

papermill writes the parameters it is given as a new cell after the cell tagged `parameters`, in the notebook's
language, through a translator registered for the kernel's language (`typescript` here). The injected cell
declares each parameter again with `const`: the Deno kernel evaluates cells in V8's REPL mode, where a `const`
of a later cell replaces the one of an earlier cell, so every cell below sees the new value. Values are written
as JSON, which is a JavaScript literal for every type papermill passes (None is null; NaN and ±Infinity too).

papermill 2.7 has no entry-point group for translators; it loads the `papermill.engine` group on every run, so
this module is that group's `typescript` entry (papermill's own nbclient engine, unchanged) and registers the
translator when papermill imports it.
"""

import json
import re

from papermill.engines import NBClientEngine
from papermill.models import Parameter
from papermill.translators import Translator, papermill_translators

# `const name: type = value; // help` (also `let`), one declaration per line.
DECLARATION = re.compile(r"^(?:const|let)\s+(\w+)\s*(?::\s*([^=]+?))?\s*=\s*(.*?);?\s*(?://\s*(.*))?$")


class TypeScriptTranslator(Translator):
    """Parameters as TypeScript `const` declarations (see the module docstring)."""

    @classmethod
    def translate(cls, val):
        return json.dumps(val, ensure_ascii=False)

    @classmethod
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        return f"const {name} = {str_val};"

    @classmethod
    def inspect(cls, parameters_cell):
        """The one-line declarations of a parameters cell, for `papermill --help-notebook`."""
        found = (DECLARATION.match(line.strip()) for line in parameters_cell["source"].splitlines())
        return [Parameter(m[1], (m[2] or "None").strip(), m[3], m[4] or "") for m in found if m]


class TypeScriptEngine(NBClientEngine):
    """papermill's default engine under the name `typescript` (the entry point that loads this module)."""


papermill_translators.register("typescript", TypeScriptTranslator)
