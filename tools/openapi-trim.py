#!/usr/bin/env python3
"""Trims an OpenAPI 3.x or Swagger 2.0 spec (JSON) to the paths the project uses, dropping nothing else.

Usage: python3 tools/openapi-trim.py SRC DST PATH_REGEX...

Keeps every path whose template fully matches one of the regexes, every component those paths reference, followed
transitively (OpenAPI 3: #/components/...; Swagger 2.0: #/definitions, #/parameters, #/responses), the security
schemes, and every top-level key other than the path and component sections. Nothing inside a kept path or
component is changed. Writes `info.x-trimmed` (source file name and the regexes) so the file says what was done.
Used for the specs under src/Integrations.Sdk.Testing/Specs (see the README there for the exact commands).
"""
import json
import re
import sys

if len(sys.argv) < 4:
    sys.exit(__doc__)
source, target, patterns = sys.argv[1], sys.argv[2], sys.argv[3:]
regexes = [re.compile(p) for p in patterns]
with open(source, encoding="utf-8") as f:
    spec = json.load(f)

paths = {template: item for template, item in spec["paths"].items() if any(r.fullmatch(template) for r in regexes)}


def collect(node, found):
    """Adds every local $ref under node to found."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            found.add(ref)
        for value in node.values():
            collect(value, found)
    elif isinstance(node, list):
        for value in node:
            collect(value, found)


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def resolve(pointer):
    node = spec
    for token in pointer[2:].split("/"):
        node = node[unescape(token)]
    return node


referenced, pending = set(), set()
collect(paths, pending)
while pending:
    ref = pending.pop()
    if ref not in referenced:
        referenced.add(ref)
        collect(resolve(ref), pending)

trimmed = {key: value for key, value in spec.items() if key not in ("paths", "components", "definitions", "parameters", "responses")}
trimmed["paths"] = paths
for ref in sorted(referenced):
    tokens = ref[2:].split("/")
    src, dst = spec, trimmed
    for token in tokens[:-1]:
        src = src[unescape(token)]
        dst = dst.setdefault(unescape(token), {})
    dst[unescape(tokens[-1])] = src[unescape(tokens[-1])]
schemes = spec.get("components", {}).get("securitySchemes")
if schemes is not None:
    trimmed.setdefault("components", {})["securitySchemes"] = schemes
if "securityDefinitions" in spec:
    trimmed["securityDefinitions"] = spec["securityDefinitions"]
trimmed.setdefault("info", {})["x-trimmed"] = {"source": source.rsplit("/", 1)[-1], "kept-paths": patterns}
with open(target, "w", encoding="utf-8") as f:
    json.dump(trimmed, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{target}: paths {len(paths)}/{len(spec['paths'])}, components {len(referenced)}")
