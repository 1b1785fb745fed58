#!/usr/bin/env python3
"""Derives the Shopify simulator's schema subset from Shopify's public Admin API schema (SDL).

Usage: python3 tools/shopify-schema-subset.py <admin_schema_2026-01_public.graphql> \
           src/Integrations.Sdk.Testing/Shopify/admin-2026-01.subset.graphql

The source is Shopify/bluejay data/admin_schema_2026-01_public.graphql (MIT), the public GraphQL Admin API schema,
version 2026-01. The subset keeps the root fields the simulator serves and, from there, every type the simulator can
answer: on each kept object type, all fields of scalar or enum type (with all their arguments), and the object-typed
fields listed in KEEP below. Arguments keep their input types (input objects in full) and enums. Descriptions,
interfaces and field directives are dropped. Only the build of the subset needs this script; tests read the subset.
"""
import re
import sys

# The object-typed fields the simulator answers, by type. Connection and edge types are kept whole.
KEEP = {
    "QueryRoot": ["orders", "order", "customers", "productVariants"],
    "Mutation": ["inventoryAdjustQuantities"],
    "OrderConnection": ["edges", "nodes", "pageInfo"],
    "OrderEdge": ["node"],
    "Order": ["customer", "totalPriceSet", "totalTaxSet", "lineItems", "shippingLines", "refunds"],
    "LineItemConnection": ["edges", "nodes", "pageInfo"],
    "LineItemEdge": ["node"],
    "LineItem": ["originalUnitPriceSet", "variant", "product", "taxLines", "discountAllocations"],
    "Product": [],
    "TaxLine": ["priceSet"],
    "DiscountAllocation": ["allocatedAmountSet"],
    "ShippingLineConnection": ["edges", "nodes", "pageInfo"],
    "ShippingLineEdge": ["node"],
    "ShippingLine": ["originalPriceSet", "discountAllocations", "taxLines"],
    "Refund": ["totalRefundedSet", "refundLineItems", "refundShippingLines"],
    "RefundLineItemConnection": ["edges", "nodes", "pageInfo"],
    "RefundLineItemEdge": ["node"],
    "RefundLineItem": ["lineItem", "priceSet", "subtotalSet", "totalTaxSet"],
    "RefundShippingLineConnection": ["edges", "nodes", "pageInfo"],
    "RefundShippingLineEdge": ["node"],
    "RefundShippingLine": ["shippingLine", "subtotalAmountSet", "taxAmountSet"],
    "MoneyBag": ["shopMoney", "presentmentMoney"],
    "Customer": ["defaultEmailAddress"],
    "CustomerConnection": ["edges", "nodes", "pageInfo"],
    "CustomerEdge": ["node"],
    "ProductVariantConnection": ["edges", "nodes", "pageInfo"],
    "ProductVariantEdge": ["node"],
    "ProductVariant": ["inventoryItem"],
    "InventoryAdjustQuantitiesPayload": ["inventoryAdjustmentGroup", "userErrors"],
    "InventoryAdjustmentGroup": ["changes"],
    "InventoryChange": ["item", "location"],
}
DIRECTIVES = ["idempotent"]
BUILTIN = {"Int", "Float", "String", "Boolean", "ID"}

TOKEN = re.compile(r'"""(?:\\"""|[^"]|"(?!""))*"""|"(?:\\.|[^"\\])*"|#[^\n]*|\.\.\.|[!$&():=@\[\]{}|]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[_A-Za-z][_0-9A-Za-z]*')


def tokens(text):
    return [t for t in TOKEN.findall(text) if not t.startswith("#")]


class Reader:
    def __init__(self, toks):
        self.t, self.i = toks, 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else None

    def next(self):
        self.i += 1
        return self.t[self.i - 1]

    def expect(self, v):
        got = self.next()
        if got != v:
            raise SystemExit(f"expected {v}, found {got} at token {self.i}")

    def description(self):
        while self.peek() is not None and self.peek().startswith('"'):
            self.next()

    def type_ref(self):
        if self.peek() == "[":
            self.next()
            inner = self.type_ref()
            self.expect("]")
            text = f"[{inner}]"
        else:
            text = self.next()
        if self.peek() == "!":
            self.next()
            text += "!"
        return text

    def value(self):
        tok = self.next()
        if tok in ("[", "{"):
            close, depth, parts = {"[": "]", "{": "}"}[tok], 1, [tok]
            while depth:
                t = self.next()
                depth += 1 if t == tok else -1 if t == close else 0
                parts.append(t)
            return " ".join(parts)
        return tok

    def directives(self):
        while self.peek() == "@":
            self.next()
            self.next()
            if self.peek() == "(":
                self.arguments()

    def arguments(self):
        """Argument definitions: (name: Type = default @dir ...)."""
        args = []
        self.expect("(")
        while self.peek() != ")":
            self.description()
            name = self.next()
            self.expect(":")
            typ = self.type_ref()
            default = None
            if self.peek() == "=":
                self.next()
                default = self.value()
            self.directives()
            args.append((name, typ, default))
        self.expect(")")
        return args

    def fields(self):
        out = []
        self.expect("{")
        while self.peek() != "}":
            self.description()
            name = self.next()
            args = self.arguments() if self.peek() == "(" else []
            self.expect(":")
            typ = self.type_ref()
            self.directives()
            out.append((name, args, typ))
        self.expect("}")
        return out

    def definitions(self):
        defs = {}
        directives = {}
        while self.peek() is not None:
            self.description()
            kind = self.next()
            if kind == "schema":
                self.directives()
                self.fields_block_skip()
                continue
            if kind == "directive":
                self.expect("@")
                name = self.next()
                args = self.arguments() if self.peek() == "(" else []
                repeatable = False
                if self.peek() == "repeatable":
                    self.next()
                    repeatable = True
                self.expect("on")
                locations = []
                if self.peek() == "|":
                    self.next()
                locations.append(self.next())
                while self.peek() == "|":
                    self.next()
                    locations.append(self.next())
                directives[name] = (args, repeatable, locations)
                continue
            name = self.next()
            if kind == "scalar":
                self.directives()
                defs[name] = ("scalar", None)
            elif kind in ("type", "interface"):
                if self.peek() == "implements":
                    self.next()
                    if self.peek() == "&":
                        self.next()
                    self.next()
                    while self.peek() == "&":
                        self.next()
                        self.next()
                self.directives()
                defs[name] = (kind, self.fields() if self.peek() == "{" else [])
            elif kind == "input":
                self.directives()
                items = []
                self.expect("{")
                while self.peek() != "}":
                    self.description()
                    fname = self.next()
                    self.expect(":")
                    typ = self.type_ref()
                    default = None
                    if self.peek() == "=":
                        self.next()
                        default = self.value()
                    self.directives()
                    items.append((fname, typ, default))
                self.expect("}")
                defs[name] = ("input", items)
            elif kind == "enum":
                self.directives()
                values = []
                self.expect("{")
                while self.peek() != "}":
                    self.description()
                    values.append(self.next())
                    self.directives()
                self.expect("}")
                defs[name] = ("enum", values)
            elif kind == "union":
                self.directives()
                self.expect("=")
                if self.peek() == "|":
                    self.next()
                members = [self.next()]
                while self.peek() == "|":
                    self.next()
                    members.append(self.next())
                defs[name] = ("union", members)
            else:
                raise SystemExit(f"unexpected definition {kind} {name}")
        return defs, directives

    def fields_block_skip(self):
        self.expect("{")
        while self.next() != "}":
            pass


def named(typ):
    return typ.strip("[]!")


def main(source, target):
    with open(source, encoding="utf-8") as f:
        defs, directives = Reader(tokens(f.read())).definitions()

    kept = {}  # type name -> fields (objects) / whole definition (others)
    pending = ["QueryRoot", "Mutation"]

    def want(name):
        if name not in BUILTIN and name not in kept and name not in pending:
            pending.append(name)

    while pending:
        name = pending.pop()
        kind, body = defs[name]
        if kind in ("type", "interface"):
            leaf = lambda t: named(t) in BUILTIN or defs[named(t)][0] in ("scalar", "enum")
            roots = name in ("QueryRoot", "Mutation")
            fields = [f for f in body if (leaf(f[2]) and not roots) or f[0] in KEEP.get(name, [])]
            missing = set(KEEP.get(name, [])) - {f[0] for f in body}
            if missing:
                raise SystemExit(f"{name} has no field {missing}")
            kept[name] = (kind, fields)
            for _, args, typ in fields:
                want(named(typ))
                for _, atyp, _ in args:
                    want(named(atyp))
        elif kind == "input":
            kept[name] = (kind, body)
            for _, typ, _ in body:
                want(named(typ))
        elif kind == "union":
            kept[name] = (kind, body)
            for member in body:
                want(member)
        else:
            kept[name] = (kind, body)
    for d in DIRECTIVES:
        for _, typ, _ in directives[d][0]:
            want(named(typ))

    out = [
        "# Shopify GraphQL Admin API, version 2026-01: the subset the Integrations.Sdk Shopify simulator serves.",
        "# Source: Shopify/bluejay data/admin_schema_2026-01_public.graphql (commit 82842b9), MIT licence,",
        "# Copyright (c) Shopify Inc. Derived by tools/shopify-schema-subset.py: the root fields orders, order,",
        "# customers, productVariants and inventoryAdjustQuantities; on every type reached, all scalar and enum fields",
        "# and the object fields the simulator answers; argument input types in full. Descriptions, interfaces and",
        "# field directives dropped. Regenerate with the script; do not edit by hand.\n",
    ]
    header = "\n".join(out)
    out = ["schema {\n  query: QueryRoot\n  mutation: Mutation\n}"]

    def args_text(args):
        if not args:
            return ""
        return "(" + ", ".join(f"{n}: {t}" + (f" = {d}" if d is not None else "") for n, t, d in args) + ")"

    for d in DIRECTIVES:
        args, repeatable, locations = directives[d]
        out.append(f"directive @{d}{args_text(args)}{' repeatable' if repeatable else ''} on {' | '.join(locations)}")
    for name in sorted(kept):
        kind, body = kept[name]
        if kind == "scalar":
            out.append(f"scalar {name}")
        elif kind in ("type", "interface"):
            lines = [f"  {n}{args_text(a)}: {t}" for n, a, t in body]
            out.append(f"{kind} {name} {{\n" + "\n".join(lines) + "\n}")
        elif kind == "input":
            lines = [f"  {n}: {t}" + (f" = {d}" if d is not None else "") for n, t, d in body]
            out.append(f"input {name} {{\n" + "\n".join(lines) + "\n}")
        elif kind == "enum":
            out.append(f"enum {name} {{\n" + "\n".join("  " + v for v in body) + "\n}")
        elif kind == "union":
            out.append(f"union {name} = " + " | ".join(body))
    with open(target, "w", encoding="utf-8", newline="\n") as f:
        f.write(header + "\n" + "\n\n".join(out) + "\n")
    print(f"{len(kept)} types written to {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
