"""Fail unless every line and branch of limbsalvage/core is covered (the floor of issue 2)."""

import json
import sys
from pathlib import Path

FLOOR_PERCENT = 100.0


def main(report_path: str) -> int:
    """Read coverage's JSON report and check the floor on src/limbsalvage/core."""
    files = json.loads(Path(report_path).read_text())["files"]
    short = []
    for name, data in sorted(files.items()):
        if "/limbsalvage/core/" not in name.replace("\\", "/"):
            continue
        percent = data["summary"]["percent_covered"]
        if percent < FLOOR_PERCENT:
            short.append(f"{name}: {percent:.1f}% (missing lines {data['missing_lines']})")
    if short:
        print("core/ coverage below 100%:\n  " + "\n  ".join(short), file=sys.stderr)
        return 1
    print("core/ coverage: 100% of lines and branches")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
