#!/usr/bin/env bash
# Vendor the KRDS design system (npm package krds-uiux) into static/krds/.
#
# Usage: scripts/vendor_krds.sh            (needs node/npm and python3)
#
# What it does, reproducibly:
#   1. `npm pack krds-uiux@$KRDS_VERSION` into a temporary folder and checks the
#      tarball's integrity against the pinned hash below;
#   2. builds static/krds/css/krds.css = @font-face (Pretendard GOV) + design
#      tokens + common (reset, icons) + components, from the package's
#      unminified CSS. The bundled resources/cdn/krds.min.css is NOT used: it
#      loads every icon from the KRDS web site. component.css has broken
#      relative paths (../../img/img/...); every url(...) is rewritten to a
#      local relative path (../img/icon/NAME.svg, ../fonts/NAME.woff2);
#      comments and source-map references are stripped;
#   3. copies only the icons that CSS references and the woff2 font weights it
#      uses (400, 700);
#   4. fails if any url(...) does not resolve to a file on disk or if any
#      absolute http(s) URL is left in the CSS.
set -euo pipefail

KRDS_VERSION="${KRDS_VERSION:-1.1.0}"
# `npm pack --json` integrity of krds-uiux-1.1.0.tgz; update together with the version.
KRDS_INTEGRITY="${KRDS_INTEGRITY:-sha512-4cjL3cpnlTaDrkivVceDpWhHxUYgV2AhiRRbO74I8ZKlnM17BcutEjPOlMOz9RQGAmdEubTsSYoyKFhvD1/g+A==}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/krds"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "Fetching krds-uiux@$KRDS_VERSION ..."
(cd "$TMP" && npm pack "krds-uiux@$KRDS_VERSION" --json --silent > pack.json)
python3 - "$TMP/pack.json" "$KRDS_INTEGRITY" <<'PY'
import json, sys
info = json.load(open(sys.argv[1]))[0]
if info["integrity"] != sys.argv[2]:
    sys.exit(f"integrity mismatch: got {info['integrity']}, expected {sys.argv[2]}")
PY
tar -xzf "$TMP/krds-uiux-$KRDS_VERSION.tgz" -C "$TMP"

rm -rf "$DEST"
mkdir -p "$DEST/css" "$DEST/fonts" "$DEST/img/icon"

python3 - "$TMP/package" "$DEST" <<'PY'
import json
import re
import shutil
import sys
from pathlib import Path

pkg, dest = Path(sys.argv[1]), Path(sys.argv[2])
meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
res = pkg / "resources"
icon_src = res / "img" / "component" / "icon"

SOURCES = [
    "css/token/krds_tokens.css",    # design tokens (CSS custom properties)
    "css/common/common.css",        # :root variables, icon classes, reset, helpers
    "css/component/component.css",  # all components
]
FONTS = {400: "PretendardGOV-Regular.subset.woff2", 700: "PretendardGOV-Bold.subset.woff2"}

URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
ICON_RE = re.compile(r"^(?:\.\./)+img/(?:img/)?component/icon/([A-Za-z0-9_.-]+\.svg)$")
icons = set()


def fix_url(match):
    target = match.group(2).strip()
    if target.startswith(("data:", "#")):
        return match.group(0)
    m = ICON_RE.match(target)
    if not m:
        sys.exit(f"unexpected url() in KRDS CSS: {target!r}")
    icons.add(m.group(1))
    return f"url(../img/icon/{m.group(1)})"


def clean(css):
    css = css.replace("\r\n", "\n").replace("\r", "\n")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)          # comments, sourceMappingURL
    css = re.sub(r"^\s*@charset[^;]*;", "", css, flags=re.M)
    css = re.sub(r"^\s*@import[^;]*;", "", css, flags=re.M)  # tokens are bundled below
    css = URL_RE.sub(fix_url, css)
    lines = (line.strip() for line in css.split("\n"))
    return "\n".join(line for line in lines if line)


font_face = "\n".join(
    "@font-face {\n"
    '  font-family: "Pretendard GOV";\n'
    "  font-style: normal;\n"
    f"  font-weight: {weight};\n"
    "  font-display: swap;\n"
    f'  src: url(../fonts/{name}) format("woff2");\n'
    "}"
    for weight, name in FONTS.items()
)

parts = [
    '@charset "UTF-8";',
    f"/*! {meta['name']} {meta['version']} ({meta['license']}), vendored by scripts/vendor_krds.sh:"
    " tokens + common + component CSS, local paths. Do not edit; re-run the script. */",
    font_face,
]
for rel in SOURCES:
    parts.append(f"/* --- {Path(rel).name} --- */")
    parts.append(clean((res / rel).read_text(encoding="utf-8")))
bundle = "\n".join(parts) + "\n"

if re.search(r"https?://", bundle, flags=re.I):
    sys.exit("absolute URL left in krds.css")
(dest / "css" / "krds.css").write_text(bundle, encoding="utf-8")

for name in FONTS.values():
    shutil.copy2(res / "fonts" / name, dest / "fonts" / name)
for name in sorted(icons):
    shutil.copy2(icon_src / name, dest / "img" / "icon" / name)

# Every url() must point at a file that exists.
css_dir = dest / "css"
for target in sorted({m.group(2) for m in URL_RE.finditer(bundle)}):
    if not target.startswith(("data:", "#")) and not (css_dir / target).resolve().is_file():
        sys.exit(f"missing file for url({target})")

readme = f"""# KRDS assets (vendored)

- Package: `{meta['name']}` version `{meta['version']}` from the npm registry
  (tarball integrity pinned in `scripts/vendor_krds.sh`).
- Licence: `{meta['license']}` (the `license` field of the package's package.json). The package
  README adds that use follows the KRDS terms of use (KRDS copyright page on the KRDS web site).
- Fonts: Pretendard GOV 1.309, Copyright (c) 2023 Kil Hyung-jin, SIL Open Font License 1.1
  (as stated in the fonts' own name table). Only the woff2 files of the weights the CSS uses
  (400 Regular, 700 Bold) are shipped.

## Contents

- `css/krds.css`: one stylesheet = `@font-face` rules for Pretendard GOV + `resources/css/token/krds_tokens.css`
  + `resources/css/common/common.css` + `resources/css/component/component.css`, comments and
  source-map references stripped, `@import` removed (the tokens are included instead).
- `fonts/`: {", ".join(FONTS.values())}.
- `img/icon/`: the {len(icons)} SVG icons that `css/krds.css` references (nothing else).

## Paths fixed

- The package's `resources/cdn/krds.min.css` loads every icon from the KRDS web site; it is not used.
- `component.css` points at `../../img/img/component/icon/...`, which does not exist in the package;
  `common.css` at `../../img/component/icon/...`. Every image reference is rewritten to
  `../img/icon/NAME.svg`, relative to `css/krds.css`.
- The package ships no `@font-face` for Pretendard GOV; one is added, pointing at `../fonts/`.

Nothing here requests another host. Do not edit these files: re-run `scripts/vendor_krds.sh`.
"""
(dest / "README.md").write_text(readme, encoding="utf-8")
print(f"krds.css: {len(bundle.encode()):,} bytes; icons: {len(icons)}; fonts: {len(FONTS)}")
PY

echo "static/krds: $(find "$DEST" -type f -exec cat {} + | wc -c | tr -d " ") bytes in $(find "$DEST" -type f | wc -l | tr -d " ") files"
