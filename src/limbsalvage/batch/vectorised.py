"""Vectorised batch paths for systems restaged at registry scale (numpy + Arrow).

Each entry reads a CSV, classifies every row with array operations and writes exactly the rows
the row-by-row path would write (a property test holds the two paths equal).
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from limbsalvage.core.sources import Table

# (source, output) -> (rows, rows with errors, tables used)
VectorisedPath = Callable[[Path, Path], tuple[int, int, set[Table]]]

VECTORISED: Mapping[str, VectorisedPath] = MappingProxyType({})
