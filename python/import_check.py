"""Build step: load the just-linked gprproc._core by file name, so an undefined
symbol (a bound C++ function that nothing implements) fails the build, not the
first `import gprproc`. Usage: python import_check.py path/to/_core.<suffix>"""
import importlib.util
import sys

path = sys.argv[1]
try:
    spec = importlib.util.spec_from_file_location("_core", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
except ImportError as error:
    sys.exit(f"gprproc Python module does not load: {error}\n"
             "(a binding calls a C++ function that is declared but not compiled in; "
             "see the symbol above)")
