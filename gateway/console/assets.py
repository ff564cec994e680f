"""Build the console's static assets from the npm packages (`make assets`): GOV.UK Frontend's compiled CSS,
JS, fonts and images, with the stylesheet's /assets/ URLs pointed at where the gateway serves them."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from gateway.api.api_reference import BUILT_FILES, REFERENCE_DIR
from gateway.console.rendering import GOVUK_DIR, STATIC_PATH

GOVUK_DIST = Path("node_modules/govuk-frontend/dist/govuk")
SWAGGER_DIST = Path("node_modules/swagger-ui-dist")
FILES = ("govuk-frontend.min.css", "govuk-frontend.min.js")
# Source map comments would send browsers for files we do not serve.
SOURCE_MAP = re.compile(r"(/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S*)")


def build(node_modules_root: Path, out: Path = GOVUK_DIR) -> None:
    source = node_modules_root / GOVUK_DIST
    if not (source / FILES[0]).exists():
        raise FileNotFoundError(f"{source} is missing: run `npm ci` first")
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source / "assets", tmp / "assets")
    css = (source / FILES[0]).read_text()
    # The compiled stylesheet expects its fonts and images at /assets/; ours live under the console.
    css = SOURCE_MAP.sub("", css.replace("url(/assets/", f"url({STATIC_PATH}/govuk/assets/"))
    (tmp / FILES[0]).write_text(css)
    (tmp / FILES[1]).write_text(SOURCE_MAP.sub("", (source / FILES[1]).read_text()))
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)


def build_reference(node_modules_root: Path, out: Path = REFERENCE_DIR) -> None:
    """Swagger UI's bundle and stylesheet for the API reference at /schema (beside our reference.js)."""
    source = node_modules_root / SWAGGER_DIST
    if not (source / BUILT_FILES[0]).exists():
        raise FileNotFoundError(f"{source} is missing: run `npm ci` first")
    for name in BUILT_FILES:
        tmp = out / (name + ".tmp")
        tmp.write_text(SOURCE_MAP.sub("", (source / name).read_text()))
        tmp.replace(out / name)


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    build(root)
    build_reference(root)
    print(f"built {GOVUK_DIR} and {REFERENCE_DIR}")
